"""Operations endpoints: liveness, readiness and metrics (docs/deployment.md)."""

from django.urls import path

from motcua.core import health, metrics

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
]
