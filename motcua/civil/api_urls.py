"""This app's routes under /api/v1/ (included by motcua.api_urls)."""

from django.urls import path

from motcua.civil import api

urlpatterns = [
    path("civil/verify/<str:code>/", api.VerifyDocument.as_view(), name="api-civil-verify"),
]
