from django.urls import path

from motcua.core import views

urlpatterns = [
    path("favicon.ico", views.favicon),
    path("staff/outbox/", views.outbox, name="outbox"),
]
