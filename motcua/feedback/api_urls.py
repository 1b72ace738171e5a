"""This app's routes under /api/v1/ (included by motcua.api_urls)."""

from django.urls import path

from motcua.feedback import api

urlpatterns = [
    path("feedback/categories", api.CategoryListView.as_view(), name="feedback-categories"),
    path("feedback/reports", api.ReportCreateView.as_view(), name="feedback-report-create"),
    path("feedback/reports/<str:code>", api.ReportDetailView.as_view(), name="feedback-report-detail"),
]
