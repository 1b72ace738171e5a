"""/api/v1/: every app's API routes, the OpenAPI document and its browsable docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from motcua.core.ratelimit import AnonThrottle

urlpatterns = [
    # public like every anonymous API answer: throttled per client address (tests/test_limits.py)
    path("openapi.json", SpectacularJSONAPIView.as_view(throttle_classes=[AnonThrottle]), name="openapi"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="openapi", throttle_classes=[AnonThrottle]),
        name="api-docs",
    ),
    path("", include("motcua.core.api_urls")),
    path("", include("motcua.catalog.api_urls")),
    path("", include("motcua.dossiers.api_urls")),
    path("", include("motcua.citizens.api_urls")),
    path("", include("motcua.civil.api_urls")),
    path("", include("motcua.feedback.api_urls")),
    path("", include("motcua.surveys.api_urls")),
    path("", include("motcua.assistant.api_urls")),
    path("", include("motcua.documents.api_urls")),
    path("", include("motcua.portal.api_urls")),
    path("", include("motcua.dashboard.api_urls")),
]
