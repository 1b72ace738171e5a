from django.urls import path

from motcua.surveys import views

urlpatterns = [
    path("danh-gia/<str:code>/", views.rate, name="surveys-rate"),
    path("staff/surveys/", views.staff_index, name="surveys-staff"),
    path("staff/surveys/export.<str:fmt>", views.staff_export, name="surveys-export"),
]
