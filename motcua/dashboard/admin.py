from django.contrib import admin

from motcua.dashboard.models import QualityWeight


@admin.register(QualityWeight)
class QualityWeightAdmin(admin.ModelAdmin):
    list_display = ("group", "points", "formula")
