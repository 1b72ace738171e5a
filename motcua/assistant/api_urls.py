"""This app's routes under /api/v1/ (included by motcua.api_urls)."""

from django.urls import path

from motcua.assistant import api

urlpatterns = [
    path("assistant/ask", api.AskView.as_view(), name="api-assistant-ask"),
]
