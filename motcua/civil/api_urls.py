"""This app's routes under /api/v1/ (included by motcua.api_urls)."""

from django.urls import path

from motcua.civil import api

urlpatterns = [
    path("civil/verify/<str:code>/", api.VerifyDocument.as_view(), name="api-civil-verify"),
    path("civil/births/", api.RegisterBirth.as_view(), name="api-civil-births"),
    path("civil/marriages/", api.RegisterMarriage.as_view(), name="api-civil-marriages"),
    path("civil/deaths/", api.RegisterDeath.as_view(), name="api-civil-deaths"),
    path("civil/extracts/", api.IssueExtract.as_view(), name="api-civil-extracts"),
    path("civil/extracts/<str:public_id>/pdf", api.ExtractPdf.as_view(), name="api-civil-extract-pdf"),
    path("civil/marital-status/", api.IssueMaritalStatus.as_view(), name="api-civil-marital-status"),
]
