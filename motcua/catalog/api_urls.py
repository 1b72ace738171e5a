"""This app's routes under /api/v1/ (included by motcua.api_urls)."""

from django.urls import path

from motcua.catalog import api

urlpatterns = [
    path("procedures", api.ProcedureListView.as_view(), name="api-procedures"),
    path("procedures/<str:code>", api.ProcedureDetailView.as_view(), name="api-procedure"),
    path("calendar/due", api.CalendarDueView.as_view(), name="api-calendar-due"),
]
