"""This app's routes under /api/v1/ (included by motcua.api_urls)."""

from django.urls import path

from motcua.documents import api

urlpatterns = [
    path("documents/incoming", api.IncomingCreate.as_view(), name="documents-incoming-create"),
    path("documents/incoming/<str:id>", api.IncomingDetail.as_view(), name="documents-incoming-detail"),
    path("documents/incoming/<str:id>/edxml", api.IncomingEdxml.as_view(), name="documents-incoming-edxml"),
    path("documents/edxml", api.EdxmlCreate.as_view(), name="documents-edxml-import"),
]
