"""This app's routes under /api/v1/ (included by motcua.api_urls)."""

from django.urls import path

from motcua.dossiers import api

urlpatterns = [
    path("dossiers/", api.DossierListCreate.as_view(), name="api-dossiers"),
    path("dossiers/<str:code>/", api.DossierDetail.as_view(), name="api-dossier"),
    path("dossiers/<str:code>/transitions/", api.DossierTransition.as_view(), name="api-dossier-transition"),
    path("dossiers/<str:code>/papers/", api.DossierPapers.as_view(), name="api-dossier-papers"),
    path(
        "dossiers/<str:code>/result-papers/",
        api.DossierResultPapers.as_view(),
        name="api-dossier-result-papers",
    ),
    path("dossiers/<str:code>/supplements/", api.DossierSupplement.as_view(), name="api-dossier-supplements"),
    path("public/dossiers/<str:code>", api.PublicDossier.as_view(), name="api-public-dossier"),
]
