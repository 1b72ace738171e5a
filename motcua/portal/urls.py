from django.urls import path

from motcua.portal import views

urlpatterns = [
    path("", views.home, name="home"),
]
