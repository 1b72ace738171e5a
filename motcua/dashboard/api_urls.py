"""This app's routes under /api/v1/ (included by motcua.api_urls)."""

from django.urls import path

from motcua.dashboard import api

urlpatterns = [
    path("stats/dossiers", api.DossierStatsView.as_view(), name="stats-dossiers"),
    path("stats/feedback", api.FeedbackStatsView.as_view(), name="stats-feedback"),
]
