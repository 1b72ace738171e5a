"""A local stand-in for the national public-service portal's status endpoint (real HTTP).

It accepts POSTed status messages, deduplicates them by message id (as the real portal must) and keeps
them in arrival order, so tests can assert "exactly one message per status change, in order".
`GET /messages` returns what it holds; `fail_next(n)` makes the next n requests answer 503.
"""

from __future__ import annotations

import json
import threading
from http.server import ThreadingHTTPServer
from typing import Any

from motcua.core.fakehttp import JsonHandler


class FakePortal:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.messages: list[dict[str, Any]] = []
        self.deliveries = 0
        self._ids: set[str] = set()
        self._fail = 0
        self._lock = threading.Lock()
        portal = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:
                with portal._lock:
                    self._reply(200, {"messages": list(portal.messages)})

            def do_POST(self) -> None:
                raw = self._body()
                with portal._lock:
                    portal.deliveries += 1
                    if portal._fail > 0:
                        portal._fail -= 1
                        self._reply(503, {"error": "unavailable"})
                        return
                    try:
                        message = json.loads(raw.decode("utf-8"))
                        message_id = message["message_id"]
                        int(message["status_code"])
                    except (ValueError, KeyError, TypeError):
                        self._reply(400, {"error": "bad message"})
                        return
                    if message_id in portal._ids:
                        self._reply(200, {"duplicate": True})
                        return
                    portal._ids.add(message_id)
                    portal.messages.append(message)
                self._reply(201, {"accepted": message_id})

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}/api/hoso/trangthai"

    def fail_next(self, n: int) -> None:
        with self._lock:
            self._fail = n

    def codes_for(self, dossier_code: str) -> list[int]:
        with self._lock:
            return [m["status_code"] for m in self.messages if m["dossier_code"] == dossier_code]

    def start(self) -> FakePortal:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakePortal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
