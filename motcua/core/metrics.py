"""Prometheus metrics at /metrics, in the text exposition format.

- `motcua_http_request_duration_seconds` (histogram by route name, method and status class), observed by
  `motcua.core.logging.RequestLogMiddleware` in each web process. Under gunicorn the processes share
  their samples through PROMETHEUS_MULTIPROC_DIR (set by deploy/gunicorn.conf.py).
- `motcua_outbox_pending_messages`, `motcua_outbox_oldest_pending_age_seconds`,
  `motcua_tasks{status}` and `motcua_task_failures{task}`: read from the database at scrape time, so
  they are right whichever process queued or ran the work.

Never public: a scrape must come from an address in METRICS_ALLOWED_IPS or carry
`Authorization: Bearer <METRICS_TOKEN>`; with neither configured every scrape is refused.
"""

from __future__ import annotations

import hmac
import ipaddress
import os

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from motcua.core.clientip import client_ip

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUEST_LATENCY = Histogram(
    "motcua_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it, by URL route name.",
    ["route", "method", "status"],
    buckets=LATENCY_BUCKETS,
)


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(route=route, method=method, status=f"{status // 100}xx").observe(seconds)


class DatabaseCollector:
    """Queue depth, outbox age and task failures, computed from the tables when scraped."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        from motcua.core.models import OutboundMessage  # settings load this module (logging) before any model

        pending = OutboundMessage.objects.filter(status=OutboundMessage.Status.PENDING).aggregate(
            n=Count("id"), oldest=Min("created_at")
        )
        yield GaugeMetricFamily(
            "motcua_outbox_pending_messages", "Outbox messages not yet delivered.", value=pending["n"]
        )
        age = (timezone.now() - pending["oldest"]).total_seconds() if pending["oldest"] else 0.0
        yield GaugeMetricFamily(
            "motcua_outbox_oldest_pending_age_seconds",
            "Age of the oldest undelivered outbox message (0 when none is pending).",
            value=age,
        )
        tasks = GaugeMetricFamily("motcua_tasks", "Background task results by status.", labels=["status"])
        for row in DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by("status"):
            tasks.add_metric([row["status"]], row["n"])
        yield tasks
        failures = GaugeMetricFamily(
            "motcua_task_failures", "Background tasks that ended in failure, by task.", labels=["task"]
        )
        rows = DBTaskResult.objects.failed().values("task_path").annotate(n=Count("id")).order_by("task_path")
        for row in rows:
            failures.add_metric([row["task_path"]], row["n"])
        yield failures


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_LATENCY)
    registry.register(DatabaseCollector())
    return registry


def scrape_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        # The real client (behind nginx, not nginx's own 127.0.0.1 that every visitor would share).
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_IPS)


def metrics_view(request):
    if not scrape_allowed(request):
        return HttpResponse(_("Không có quyền xem số liệu giám sát."), status=403, content_type="text/plain")
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
