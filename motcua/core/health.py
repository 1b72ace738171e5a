"""Liveness and readiness for the load balancer and the process supervisor.

- `/healthz`: the process answers (no database touched), for restarting a hung worker.
- `/readyz`: the database answers, every migration is applied and the cache answers; 503 otherwise,
  so a load balancer sends no traffic to a worker that would fail.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

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
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results}, status=200 if ready else 503
    )
