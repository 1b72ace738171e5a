"""This app's routes under /api/v1/ (included by motcua.api_urls)."""

from django.urls import path

from motcua.citizens import api

urlpatterns = [
    path("citizens/prefill/", api.Prefill.as_view(), name="api-citizens-prefill"),
]
