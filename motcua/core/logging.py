"""Structured logs: one JSON object per line, each carrying the id of the request that caused it.

`RequestLogMiddleware` (first in MIDDLEWARE) takes the caller's `X-Request-ID` when it is well formed
(nginx sets one for every request), otherwise makes one, echoes it in the response, writes one access
line per request on the `motcua.request` logger and feeds the latency histogram of `/metrics`.
`JsonFormatter` and `RequestIdFilter` are wired in settings (LOG_FORMAT=json, the production default).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import traceback
import uuid

from motcua.core import metrics

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and - _ . : up to 128 characters (UUIDs, nginx's $request_id, W3C trace ids).
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
access_log = logging.getLogger("motcua.request")

# LogRecord attributes that are not "extra" fields given by the caller.
_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def current_request_id() -> str:
    """The id of the request being served by this thread ("" outside a request)."""
    return _current_request_id.get()


def accepted_request_id(value: str | None) -> str:
    """The caller's id if it is well formed, else a fresh one (a hostile header never reaches the logs)."""
    if value and _WELL_FORMED.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Stamps every record with the current request id (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or current_request_id(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def route_name(request) -> str:
    """The URL pattern's name (or its route), never the raw path, so metrics have bounded labels."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return match.view_name or match.route or "<unnamed>"


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = _current_request_id.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[REQUEST_ID_HEADER] = request_id
            return response
        finally:
            elapsed = time.perf_counter() - started
            route = route_name(request)
            metrics.observe_request(route, request.method, status, elapsed)
            access_log.info(
                "%s %s %s",
                request.method,
                route,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )
            _current_request_id.reset(token)
