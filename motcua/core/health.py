"""Liveness and readiness for the load balancer and the process supervisor.

- `/healthz`: the process answers (no database touched), for restarting a hung worker.
- `/readyz`: the database answers, every migration is applied and the cache answers; 503 otherwise,
  so a load balancer sends no traffic to a worker that would fail. Anyone gets only the status; which
  check failed (a hint for an attacker: "3 unapplied", "error: ConnectionError") is shown only to this
  host itself (`clientip.is_local`) and to the monitoring callers `/metrics` admits (token or address).
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from motcua.core.clientip import is_local
from motcua.core.metrics import scrape_allowed

_migrations_known_applied = False


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _migrations() -> str:
    global _migrations_known_applied
    if _migrations_known_applied:  # migrations are never unapplied under a running process
        return "ok"
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return f"{len(plan)} unapplied"
    _migrations_known_applied = True
    return "ok"


def _cache() -> str:
    key = f"motcua:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    return "ok" if found == "1" else "value not read back"


CHECKS = {"database": _database, "migrations": _migrations, "cache": _cache}


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure means "not ready": report it, never raise
            results[name] = f"error: {exc.__class__.__name__}"
    ready = all(value == "ok" for value in results.values())
    body: dict[str, object] = {"status": "ok" if ready else "unavailable"}
    if is_local(request) or scrape_allowed(request):
        body["checks"] = results
    return JsonResponse(body, status=200 if ready else 503)
