#!/usr/bin/env bash
# `make serve`: the production layout on this machine (docs/deployment.md).
#   nginx on $PORT  ->  gunicorn workers on a unix socket  ->  DATABASE_URL
#   plus TASK_WORKERS task workers (database or Redis broker) and the periodic scheduler; Ctrl+C stops everything.
# DEBUG off, hashed static files served by nginx, persistent database connections, JSON logs.
# Plain HTTP on this machine; a real server terminates TLS in nginx (see deploy/nginx.conf).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install nginx" >&2; exit 1; }

export MOTCUA_ENV=production
export PORT="${PORT:-8000}"
export MOTCUA_VAR_DIR="${MOTCUA_VAR_DIR:-$PWD/var}"
export MOTCUA_RUN_DIR="$MOTCUA_VAR_DIR/run"
export MOTCUA_STATIC_ROOT="${STATIC_ROOT:-$MOTCUA_VAR_DIR/static}"
export STATIC_ROOT="$MOTCUA_STATIC_ROOT"
export MOTCUA_SOCKET="unix:$MOTCUA_RUN_DIR/gunicorn.sock"
export GUNICORN_BIND="$MOTCUA_SOCKET"
export NGINX_USER="$(id -un)"
mkdir -p "$MOTCUA_RUN_DIR"

# Secrets for this machine's run, made once and kept in var/run (a server takes them from its vault).
secret() { [ -s "$MOTCUA_RUN_DIR/$1" ] || "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(48))' >"$MOTCUA_RUN_DIR/$1"; chmod 600 "$MOTCUA_RUN_DIR/$1"; cat "$MOTCUA_RUN_DIR/$1"; }
export SECRET_KEY="${SECRET_KEY:-$(secret secret-key)}"
export METRICS_TOKEN="${METRICS_TOKEN:-$(secret metrics-token)}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export MOTCUA_PUBLIC_URL="${MOTCUA_PUBLIC_URL:-http://127.0.0.1:$PORT}"
export BEHIND_PROXY=1
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}" SESSION_COOKIE_SECURE="${SESSION_COOKIE_SECURE:-0}"
export CSRF_COOKIE_SECURE="${CSRF_COOKIE_SECURE:-0}" SECURE_HSTS_SECONDS="${SECURE_HSTS_SECONDS:-0}"

"$BIN/python" -m motcua migrate --noinput -v 0
"$BIN/python" -m motcua collectstatic --noinput -v 0
envsubst '${NGINX_USER} ${PORT} ${MOTCUA_RUN_DIR} ${MOTCUA_SOCKET} ${MOTCUA_STATIC_ROOT}' \
  <deploy/nginx.conf >"$MOTCUA_RUN_DIR/nginx.conf"
nginx -t -q -c "$MOTCUA_RUN_DIR/nginx.conf" -e "$MOTCUA_RUN_DIR/nginx-error.log"

pids=()
stop() { trap - EXIT INT TERM; for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait; }
trap stop EXIT INT TERM
"$BIN/gunicorn" -c deploy/gunicorn.conf.py motcua.wsgi & pids+=($!)
# Task workers: TASK_WORKERS of them (default 1), on the database backend or, with
# TASKS_BACKEND=django_tasks_rq.RQBackend, on the Redis broker (TASKS_REDIS_URL). The scheduler claims each
# period in the database, so running more than one of it would still enqueue each job once.
for _ in $(seq 1 "${TASK_WORKERS:-1}"); do
  case "${TASKS_BACKEND:-}" in
    django_tasks_rq.*) "$BIN/python" -m motcua rqworker --job-class django_tasks_rq.Job default & pids+=($!) ;;
    *) "$BIN/python" -m motcua db_worker --interval 1 & pids+=($!) ;;
  esac
done
"$BIN/python" -m motcua periodic & pids+=($!)
nginx -c "$MOTCUA_RUN_DIR/nginx.conf" -e "$MOTCUA_RUN_DIR/nginx-error.log" -g 'daemon off;' & pids+=($!)
echo "motcua (production layout): http://127.0.0.1:$PORT/  metrics token in $MOTCUA_RUN_DIR/metrics-token  (Ctrl+C to stop)"
wait -n   # any process ending ends the whole set
