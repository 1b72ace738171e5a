"""The population registry simulator: a small JSON-over-HTTP service in the X-Road spirit.

    POST /services/<service>   body {"personal_id": "079090001234"}
        headers  X-Road-Client: VN/GOV/79/motcua   (required: the calling system)
                 X-Road-Purpose: 1.001193/<dossier>  (required: why)
                 X-Road-Id: <message id>            (optional, echoed)
        200 {"request_hash", "service", "data": {...}}      404 not found     400 bad request
        headers  X-Request-Hash (SHA-256 of the request body), X-Response-Hash (SHA-256 of the response body)
    GET  /health                       size, seed, current faults
    GET|POST /control                  {"latency_ms": N, "fail_rate": F, "down": bool} to make it slow/failing

Services: identity, residence, family, marital-status (see `population.SERVICES`).
Standard library only (ThreadingHTTPServer), so it starts in a thread in tests or as `motcua population_sim`.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from motcua.citizens.population import SERVICES, Population

CLIENT_RE = re.compile(r"^[A-Z]{2}/[A-Z]{2,8}/[0-9A-Za-z-]{1,20}/[0-9A-Za-z._-]{1,40}$")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Faults:
    def __init__(self, latency_ms: int = 0, fail_rate: float = 0.0, down: bool = False):
        self.latency_ms = latency_ms
        self.fail_rate = fail_rate
        self.down = down
        self._rnd = random.Random(0)
        self._lock = threading.Lock()

    def as_dict(self) -> dict:
        return {"latency_ms": self.latency_ms, "fail_rate": self.fail_rate, "down": self.down}

    def update(self, values: dict) -> None:
        if "latency_ms" in values:
            self.latency_ms = max(0, int(values["latency_ms"]))
        if "fail_rate" in values:
            self.fail_rate = min(1.0, max(0.0, float(values["fail_rate"])))
        if "down" in values:
            self.down = bool(values["down"])

    def should_fail(self) -> bool:
        with self._lock:
            return self.fail_rate > 0 and self._rnd.random() < self.fail_rate


class RegistryServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, population: Population, faults: Faults, quiet: bool = True):
        super().__init__(address, Handler)
        self.population = population
        self.faults = faults
        self.quiet = quiet
        self.served = 0


class Handler(BaseHTTPRequestHandler):
    server: RegistryServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once (no 40 ms delayed-ACK stall)

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        if not self.server.quiet:
            super().log_message(format, *args)

    def _send(self, status: int, payload: dict, request_hash: str = "") -> None:
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Response-Hash", sha256(body))
        if request_hash:
            self.send_header("X-Request-Hash", request_hash)
        message_id = self.headers.get("X-Road-Id", "")
        if message_id:
            self.send_header("X-Road-Id", message_id[:100])
        try:
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (timeout): nothing to answer

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, 64 * 1024)) if length else b""

    def do_GET(self):  # noqa: N802 - stdlib naming
        if self.path == "/health":
            return self._send(
                200,
                {
                    "status": "ok",
                    "size": self.server.population.size,
                    "seed": self.server.population.seed,
                    "faults": self.server.faults.as_dict(),
                    "services": sorted(SERVICES),
                },
            )
        if self.path == "/control":
            return self._send(200, self.server.faults.as_dict())
        return self._send(404, {"error": "unknown_path"})

    def do_POST(self):  # noqa: N802 - stdlib naming
        raw = self._body()
        request_hash = sha256(raw)
        if self.path == "/control":
            try:
                self.server.faults.update(json.loads(raw or b"{}"))
            except (ValueError, TypeError):
                return self._send(400, {"error": "bad_control"})
            return self._send(200, self.server.faults.as_dict())
        if not self.path.startswith("/services/"):
            return self._send(404, {"error": "unknown_path"}, request_hash)
        service = self.path.removeprefix("/services/").strip("/")
        faults = self.server.faults
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        if faults.down or faults.should_fail():
            return self._send(503, {"error": "unavailable", "request_hash": request_hash}, request_hash)
        client = self.headers.get("X-Road-Client", "")
        purpose = self.headers.get("X-Road-Purpose", "")
        if not CLIENT_RE.match(client):
            return self._send(401, {"error": "client_required", "request_hash": request_hash}, request_hash)
        if not purpose.strip():
            return self._send(400, {"error": "purpose_required", "request_hash": request_hash}, request_hash)
        handler = SERVICES.get(service)
        if handler is None:
            return self._send(404, {"error": "unknown_service", "request_hash": request_hash}, request_hash)
        try:
            personal_id = str(json.loads(raw)["personal_id"])
        except (ValueError, KeyError, TypeError):
            return self._send(400, {"error": "bad_request", "request_hash": request_hash}, request_hash)
        person = self.server.population.find(personal_id)
        self.server.served += 1
        if person is None:
            return self._send(404, {"error": "not_found", "request_hash": request_hash}, request_hash)
        data = handler(self.server.population, person)
        return self._send(200, {"service": service, "request_hash": request_hash, "data": data}, request_hash)


def make_server(
    host: str = "127.0.0.1",
    port: int = 8790,
    *,
    size: int = 10_000,
    seed: int = 42,
    latency_ms: int = 0,
    fail_rate: float = 0.0,
    quiet: bool = True,
) -> RegistryServer:
    return RegistryServer((host, port), Population(size, seed), Faults(latency_ms, fail_rate), quiet=quiet)


def start_in_thread(**kwargs) -> tuple[RegistryServer, threading.Thread]:
    """Start on a free port (port=0) in a daemon thread; `server.server_address[1]` is the port."""
    kwargs.setdefault("port", 0)
    server = make_server(**kwargs)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    return server, thread
