"""The population registry connector: an interface and its HTTP client (X-Road style).

Every call carries the client identifier (`X-Road-Client`), a purpose (`X-Road-Purpose`: procedure and
dossier) and a message id; the request body and the response body are hashed with SHA-256 and the hashes
the registry returns are checked against ours. Timeouts are short and transport failures are retried a
bounded number of times, so a slow or absent registry costs the officer at most about `timeout` seconds.
Logging and permissions are the caller's business (`services.py`), so any implementation gets them.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import lru_cache

import requests
from django.conf import settings

SERVICES = ("identity", "residence", "family", "marital-status")


@dataclass
class Purpose:
    procedure_code: str = ""
    dossier_code: str = ""
    text: str = ""

    def header(self) -> str:
        parts = [p for p in (self.procedure_code, self.dossier_code) if p]
        value = "/".join(parts) or self.text
        return value.encode("ascii", "ignore").decode()[:200] or "unspecified"


@dataclass
class RegistryResponse:
    status: str  # ok / not_found / timeout / unavailable / error
    data: dict = field(default_factory=dict)
    http_status: int | None = None
    message_id: str = ""
    request_hash: str = ""
    response_hash: str = ""
    registry_request_hash: str = ""
    latency_ms: int = 0
    attempts: int = 0
    error: str = ""


class PopulationRegistry(ABC):
    """What motcua needs from the population registry, whatever carries it."""

    client_id: str = ""

    @abstractmethod
    def call(self, service: str, personal_id: str, *, purpose: Purpose) -> RegistryResponse:
        """Ask one service about one person. Never raises for transport or registry failures."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class HttpPopulationRegistry(PopulationRegistry):
    def __init__(
        self, base_url: str, *, client_id: str, timeout: float = 2.0, retries: int = 1, backoff: float = 0.1
    ):
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.trust_env = False  # never through a proxy: the registry is on the government network
        return session

    def _pause(self, attempt: int, deadline: float) -> None:
        """Back off before the next attempt (not after the last one)."""
        if attempt <= self.retries:
            time.sleep(min(self.backoff * attempt, max(0.0, deadline - time.monotonic())))

    def call(self, service: str, personal_id: str, *, purpose: Purpose) -> RegistryResponse:
        if service not in SERVICES:
            return RegistryResponse("error", error=f"unknown service {service}")
        body = json.dumps({"personal_id": personal_id}, sort_keys=True).encode("utf-8")
        message_id = str(uuid.uuid4())
        result = RegistryResponse("error", message_id=message_id, request_hash=sha256(body))
        headers = {
            "Content-Type": "application/json",
            "X-Road-Client": self.client_id,
            "X-Road-Purpose": purpose.header(),
            "X-Road-Id": message_id,
        }
        started = time.monotonic()
        deadline = started + self.timeout
        for attempt in range(1, self.retries + 2):
            result.attempts = attempt
            remaining = deadline - time.monotonic()
            if remaining <= 0.01:
                result.status, result.error = "timeout", "deadline exceeded"
                break
            try:
                response = self._session().post(
                    f"{self.base_url}/services/{service}",
                    data=body,
                    headers=headers,
                    timeout=(min(remaining, 1.0), remaining),
                )
            except requests.Timeout:
                result.status, result.error = "timeout", "registry did not answer in time"
                break  # a slow registry stays slow: do not wait again
            except requests.RequestException as exc:
                result.status, result.error = "unavailable", type(exc).__name__
                self._pause(attempt, deadline)
                continue
            result.http_status = response.status_code
            result.response_hash = sha256(response.content)
            result.registry_request_hash = response.headers.get("X-Request-Hash", "")
            declared = response.headers.get("X-Response-Hash", "")
            if declared and declared != result.response_hash:
                result.status, result.error = "error", "response hash mismatch"
                break
            if response.status_code == 200:
                try:
                    payload = response.json()
                except ValueError:
                    result.status, result.error = "error", "invalid JSON"
                    break
                if result.registry_request_hash and result.registry_request_hash != result.request_hash:
                    result.status, result.error = "error", "request hash mismatch"
                    break
                result.status, result.data = "ok", payload.get("data") or {}
                break
            if response.status_code == 404:
                result.status, result.error = "not_found", "not found"
                break
            if response.status_code in (502, 503, 504):
                result.status, result.error = "unavailable", f"HTTP {response.status_code}"
                self._pause(attempt, deadline)
                continue
            result.status, result.error = "error", f"HTTP {response.status_code}"
            break
        result.latency_ms = int((time.monotonic() - started) * 1000)
        return result


@lru_cache(maxsize=8)
def _registry(url: str, client_id: str, timeout: float, retries: int) -> HttpPopulationRegistry:
    return HttpPopulationRegistry(url, client_id=client_id, timeout=timeout, retries=retries)


def default_registry() -> PopulationRegistry:
    """The configured registry (settings are read on every call, so tests may override them)."""
    return _registry(
        settings.MOTCUA_POPULATION_REGISTRY_URL,
        settings.MOTCUA_CLIENT_ID,
        settings.MOTCUA_REGISTRY_TIMEOUT,
        settings.MOTCUA_REGISTRY_RETRIES,
    )
