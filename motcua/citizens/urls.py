from django.urls import path

from motcua.citizens import views

app_name = "citizens"
urlpatterns = [
    path("staff/citizens/", views.index, name="index"),
    path("staff/citizens/log/", views.message_log, name="log"),
    path("staff/citizens/person/", views.person, name="person"),
]
