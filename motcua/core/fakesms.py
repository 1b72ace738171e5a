"""A local stand-in for an SMS brandname gateway (real HTTP), for tests and fault runs.

It speaks the protocol `motcua.core.notify.HttpSmsAdapter` uses: `POST /sms` with a JSON body
`{"to": ..., "text": ..., "sender": ...}`, a bearer token, and an `Idempotency-Key` header. Like a real
gateway that honours idempotency keys, a second request with a key it has seen is answered with the first
request's reference and NOT delivered again, so `delivered` counts what reached phones.
`fail_next(n)` makes the next n requests answer 503; `GET /sms` lists what was delivered.
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import ThreadingHTTPServer
from typing import Any

from motcua.core.fakehttp import JsonHandler


class FakeSmsGateway:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, token: str = "") -> None:
        self.delivered: list[dict[str, Any]] = []
        self.requests = 0
        self._refs: dict[str, str] = {}
        self._fail = 0
        self._lock = threading.Lock()
        gateway = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:
                with gateway._lock:
                    self._reply(200, {"delivered": list(gateway.delivered)})

            def do_POST(self) -> None:
                raw = self._body()
                with gateway._lock:
                    gateway.requests += 1
                    if token and self.headers.get("Authorization") != f"Bearer {token}":
                        self._reply(401, {"error": "unauthorized"})
                        return
                    if gateway._fail > 0:
                        gateway._fail -= 1
                        self._reply(503, {"error": "unavailable"})
                        return
                    key = self.headers.get("Idempotency-Key", "")
                    try:
                        sms = json.loads(raw.decode("utf-8"))
                        to, text = str(sms["to"]), str(sms["text"])
                    except (ValueError, KeyError, TypeError):
                        self._reply(400, {"error": "bad request"})
                        return
                    if not key:
                        self._reply(400, {"error": "Idempotency-Key required"})
                        return
                    if key in gateway._refs:
                        self._reply(200, {"ref": gateway._refs[key], "duplicate": True})
                        return
                    ref = uuid.uuid4().hex[:16]
                    gateway._refs[key] = ref
                    gateway.delivered.append({"key": key, "to": to, "text": text, "ref": ref})
                    self._reply(200, {"ref": ref})

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}/sms"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeSmsGateway:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, count: int) -> None:
        with self._lock:
            self._fail = count

    def keys(self) -> list[str]:
        with self._lock:
            return [item["key"] for item in self.delivered]
