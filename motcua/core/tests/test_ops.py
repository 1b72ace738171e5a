"""Operations endpoints: liveness, readiness, request ids in JSON logs, metrics only for the scraper."""

import json
import logging

import pytest
from django.core.cache import cache
from prometheus_client.parser import text_string_to_metric_families

from motcua.core import health, notify
from motcua.core.logging import JsonFormatter, current_request_id

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_reports_database_migrations_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok"},
    }


def test_readyz_is_503_naming_the_failing_check(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", broken)
    monkeypatch.setattr(health, "_migrations_known_applied", False)
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "migrations": "1 unapplied", "cache": "error: ConnectionError"},
    }


def _broken_migrations(monkeypatch) -> None:
    monkeypatch.setattr(health, "_migrations_known_applied", False)
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])


@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "203.0.113.7"},  # a visitor reaching the app directly
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"},  # a visitor through nginx
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.7"},
    ],
    ids=["direct", "through-nginx", "x-real-ip"],
)
def test_readyz_tells_a_public_caller_the_status_only(client, monkeypatch, meta):
    _broken_migrations(monkeypatch)
    response = client.get("/readyz", **meta)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert client.get("/readyz", **meta).json() == {"status": "unavailable"}


def test_readyz_names_the_failing_check_to_the_metrics_token_and_monitoring_address(
    client, monkeypatch, settings
):
    _broken_migrations(monkeypatch)
    settings.METRICS_TOKEN = "scrape-secret-0123456789"
    settings.METRICS_ALLOWED_IPS = ["198.51.100.0/24"]
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    assert "checks" not in client.get("/readyz", HTTP_AUTHORIZATION="Bearer wrong", **outside).json()
    with_token = client.get("/readyz", HTTP_AUTHORIZATION="Bearer scrape-secret-0123456789", **outside)
    assert with_token.json()["checks"]["migrations"] == "1 unapplied"
    monitor = client.get("/readyz", REMOTE_ADDR="198.51.100.9")
    assert monitor.json()["checks"]["migrations"] == "1 unapplied"


def _access_lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "motcua.request"]


def test_request_id_is_echoed_and_logged_as_json(client, caplog):
    caplog.set_level(logging.INFO, logger="motcua.request")
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")
    assert response["X-Request-ID"] == "lb-7f3a9c21-0001"
    (line,) = _access_lines(caplog)
    assert line["request_id"] == "lb-7f3a9c21-0001"
    assert line["route"] == "healthz" and line["status"] == 200 and line["method"] == "GET"
    assert line["level"] == "INFO" and line["duration_ms"] >= 0 and line["time"].endswith("+00:00")


@pytest.mark.parametrize("given", ["", "short", "two words here", "x" * 129, "id\nforged log line"])
def test_malformed_request_id_is_replaced_by_a_fresh_one(client, caplog, given):
    caplog.set_level(logging.INFO, logger="motcua.request")
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)
    echoed = response["X-Request-ID"]
    assert echoed != given and len(echoed) == 32 and int(echoed, 16) >= 0
    assert [line["request_id"] for line in _access_lines(caplog)] == [echoed]


def test_every_log_record_inside_a_request_carries_its_id(client, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="motcua.test")

    def probe():
        logging.getLogger("motcua.test").info("checking")
        return "ok"

    monkeypatch.setitem(health.CHECKS, "probe", probe)
    assert client.get("/readyz", HTTP_X_REQUEST_ID="req-00000042").status_code == 200
    (record,) = [r for r in caplog.records if r.name == "motcua.test"]
    assert json.loads(JsonFormatter().format(record))["request_id"] == "req-00000042"
    assert current_request_id() == ""  # reset when the request ends


# --- /metrics ---------------------------------------------------------------------------------


@pytest.fixture
def scraper(settings):
    settings.METRICS_TOKEN = "scrape-token-123"
    settings.METRICS_ALLOWED_IPS = ["10.20.0.0/16"]
    return {"HTTP_AUTHORIZATION": "Bearer scrape-token-123"}


def _families(response) -> dict:
    assert response["Content-Type"].startswith("text/plain; version=")
    return {f.name: f for f in text_string_to_metric_families(response.content.decode())}


def test_metrics_parse_and_report_latency_by_route_and_the_outbox(client, scraper):
    notify.queue_message(key="ops-test:1", channel="sms", recipient="0901234567", body="Hồ sơ đã tiếp nhận")
    notify.queue_message(key="ops-test:2", channel="sms", recipient="0901234568", body="Hồ sơ đã tiếp nhận")
    client.get("/healthz")
    families = _families(client.get("/metrics", **scraper))
    latency = families["motcua_http_request_duration_seconds"]
    assert latency.type == "histogram"
    counts = [s for s in latency.samples if s.name.endswith("_count") and s.labels["route"] == "healthz"]
    assert counts and counts[0].value >= 1 and counts[0].labels["status"] == "2xx"
    assert families["motcua_outbox_pending_messages"].samples[0].value == 2
    assert families["motcua_outbox_oldest_pending_age_seconds"].samples[0].value >= 0
    assert "motcua_tasks" in families and "motcua_task_failures" in families


def test_metrics_allowed_from_a_configured_address_without_token(client, scraper):
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer wrong-token"},
        {"HTTP_AUTHORIZATION": "scrape-token-123"},
        {"REMOTE_ADDR": "10.21.0.1"},
    ],
)
def test_metrics_refused_without_token_or_allowed_address(client, scraper, headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 403 and b"motcua_" not in response.content


def test_metrics_refused_to_everyone_when_nothing_is_configured(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403
    assert client.get("/metrics").status_code == 403
