from django.contrib import admin

from motcua.surveys.models import Answer, Question, Rating


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "subject", "order", "required", "active"]
    list_editable = ["order", "active"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ["question", "value"]
    can_delete = False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["dossier_code", "unit", "officer", "channel", "score", "satisfied", "created_at"]
    list_filter = ["channel", "satisfied"]
    search_fields = ["dossier_code"]
    readonly_fields = [f.name for f in Rating._meta.fields]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False
