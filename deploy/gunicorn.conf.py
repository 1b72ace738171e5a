"""gunicorn settings for motcua (docs/deployment.md). Every value can be overridden from the environment.

    gunicorn -c deploy/gunicorn.conf.py motcua.wsgi
"""

import multiprocessing
import os
import shutil
from pathlib import Path

_var = Path(os.environ.get("MOTCUA_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
_run = _var / "run"
_run.mkdir(parents=True, exist_ok=True)

# A unix socket when nginx is on the same host (no TCP port exposed); "127.0.0.1:8001" or similar otherwise.
bind = os.environ.get("GUNICORN_BIND", f"unix:{_run / 'gunicorn.sock'}")
# Sync workers: each request holds one process and one persistent database connection (CONN_MAX_AGE).
# Twice the cores is the usual start for a database-bound application; measure before raising it.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# Recycle workers now and then so a slow leak never grows unbounded; the jitter avoids restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500
# Django writes one JSON access line per request with the request id (motcua.core.logging); nginx logs too.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "motcua-web"

# Prometheus: the workers share their samples through files in this directory (prometheus_client's
# multiprocess mode). Set before any worker imports the application.
_metrics_dir = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_run / "prometheus")))


def on_starting(server):
    """Samples of a previous run would be added to this one's: start from an empty directory."""
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    _metrics_dir.mkdir(parents=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
