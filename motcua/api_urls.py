"""/api/v1/: every app's API routes, the OpenAPI document and its browsable docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="openapi"), name="api-docs"),
    path("", include("motcua.core.api_urls")),
    path("", include("motcua.catalog.api_urls")),
    path("", include("motcua.dossiers.api_urls")),
    path("", include("motcua.citizens.api_urls")),
    path("", include("motcua.civil.api_urls")),
    path("", include("motcua.feedback.api_urls")),
    path("", include("motcua.surveys.api_urls")),
    path("", include("motcua.portal.api_urls")),
    path("", include("motcua.dashboard.api_urls")),
]
