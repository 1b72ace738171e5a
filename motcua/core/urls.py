from django.urls import path

from motcua.core import views

urlpatterns = [
    path("staff/outbox/", views.outbox, name="outbox"),
]
