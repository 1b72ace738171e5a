"""`motcua fake_zalo --port N`: a local stand-in for Zalo's OA API (demo and tests).

It speaks the customer-service message API (`POST /v3.0/oa/message/cs`, header `access_token`, answer
`{"error": 0, "message": "Success", "data": {"message_id": ...}}`) and keeps what it received. Test hooks:
`GET /_messages` (what was sent), `POST /_outage` with {"down": true|false} (answer 503 while down),
`POST /_send` with {"user_id", "text"} (a citizen writes to the OA: the event is signed like Zalo signs it
and posted to --webhook).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from motcua.assistant import zalo


class FakeZalo:
    def __init__(self, token: str, webhook: str = "") -> None:
        self.token = token
        self.webhook = webhook
        self.down = False
        self.messages: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, body: Any) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> Any:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    return json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    return None

            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/_messages":
                    with fake.lock:
                        return self._json(200, list(fake.messages))
                return self._json(404, {"error": 404, "message": "not found"})

            def do_POST(self) -> None:  # noqa: N802
                body = self._body()
                if self.path == "/_outage":
                    fake.down = bool((body or {}).get("down"))
                    return self._json(200, {"down": fake.down})
                if self.path == "/_send":
                    return self._json(200, fake.user_writes(body or {}))
                if self.path != zalo.SEND_PATH:
                    return self._json(404, {"error": 404, "message": "not found"})
                if fake.down:
                    return self._json(503, {"error": -32, "message": "Service unavailable"})
                if self.headers.get("access_token") != fake.token:
                    return self._json(200, {"error": -216, "message": "Access token is invalid"})
                recipient = (body or {}).get("recipient") or {}
                text = ((body or {}).get("message") or {}).get("text")
                if not recipient.get("user_id") or not isinstance(text, str) or not text:
                    return self._json(200, {"error": -201, "message": "Parameters are invalid"})
                message_id = uuid.uuid4().hex
                with fake.lock:
                    fake.messages.append(
                        {"user_id": recipient["user_id"], "text": text, "message_id": message_id}
                    )
                return self._json(200, {"error": 0, "message": "Success", "data": {"message_id": message_id}})

        return Handler

    def user_writes(self, body: dict[str, Any]) -> dict[str, Any]:
        """A citizen writes to the OA: sign the event as Zalo does and post it to the webhook."""
        timestamp = str(int(time.time() * 1000))
        event = {
            "app_id": settings.ASSISTANT_ZALO_APP_ID,
            "event_name": "user_send_text",
            "timestamp": timestamp,
            "sender": {"id": str(body.get("user_id", "demo-user"))},
            "recipient": {"id": "demo-oa"},
            "message": {"text": str(body.get("text", "")), "msg_id": uuid.uuid4().hex},
        }
        raw = json.dumps(event, ensure_ascii=False).encode()
        if not self.webhook.startswith(("http://", "https://")):
            return {"posted": False}
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            self.webhook,
            data=raw,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-ZEvent-Signature": zalo.signature(raw, timestamp),
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return {"posted": True, "status": response.status}


def serve(
    port: int, token: str, webhook: str = "", host: str = "127.0.0.1"
) -> tuple[ThreadingHTTPServer, FakeZalo]:
    fake = FakeZalo(token, webhook)
    server = ThreadingHTTPServer((host, port), fake.handler())
    return server, fake


class Command(BaseCommand):
    help = "Run a local fake of Zalo's OA customer-service message API."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8792)
        parser.add_argument("--webhook", default="", help="our webhook URL, for POST /_send")

    def handle(self, *args: Any, **opts: Any) -> None:
        server, _fake = serve(
            opts["port"], settings.ASSISTANT_ZALO_ACCESS_TOKEN, opts["webhook"], opts["host"]
        )
        self.stdout.write(f"fake Zalo OA API on http://{opts['host']}:{opts['port']}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
