"""The client address: one rule for every limiter, the login lockout, the API throttles and the audit log.

The request's address is `REMOTE_ADDR` unless that peer is one of `MOTCUA_TRUSTED_PROXIES` (CIDRs). Then
`X-Forwarded-For` is read from the right, skipping trusted proxies, and the first address that is not a
trusted proxy is the client (nginx `real_ip_recursive on`, Rails `trusted_proxies`). A client cannot move
itself: nginx's `$proxy_add_x_forwarded_for` appends the real peer at the right, so a forged left-most value
is never reached. With no trusted proxy configured, `X-Forwarded-For` is ignored.

Why not python-ipware: its `proxy_list` is positional (the exact sequence of trailing hops) and it never
checks `REMOTE_ADDR`, so a client that reaches gunicorn directly with a forged header would be believed.
The rule here is the one the operations doc prescribes, and parsing is the standard `ipaddress` module.
"""

from __future__ import annotations

import contextvars
import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# No usable peer address (a request built in code, e.g. `force_login`): empty, which address fields store
# as NULL and limiters count as one shared client.
UNKNOWN = ""


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def trusted_networks() -> tuple[IPNetwork, ...]:
    """`MOTCUA_TRUSTED_PROXIES` parsed (cached per value, so tests overriding the setting are honoured)."""
    return _networks(tuple(settings.MOTCUA_TRUSTED_PROXIES))


def _parse(value: str) -> IPAddress | None:
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.9:51234"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request: HttpRequest | Request) -> str:
    """The address of the client that sent `request` (a Django or DRF request), as text ("" if none)."""
    meta = request.META
    peer = _parse(meta.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return UNKNOWN
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    hops = [h for h in (meta.get("HTTP_X_FORWARDED_FOR", "") or "").split(",") if h.strip()]
    client = peer
    for raw in reversed(hops):
        hop = _parse(raw)
        if hop is None:
            # Garbage where an address should be: the proxy chain cannot be trusted past this point.
            break
        client = hop
        if not _trusted(hop, networks):
            break
    return str(client)


def is_local(request: HttpRequest | Request) -> bool:
    """The request comes from this host itself (a supervisor or an operator's curl), not through a proxy.

    A request that carries a forwarding header came through a proxy (nginx on this host sets one), so it is
    not local even when the proxy's own address is the loopback one that every visitor would share."""
    meta = request.META
    if meta.get("HTTP_X_FORWARDED_FOR") or meta.get("HTTP_FORWARDED") or meta.get("HTTP_X_REAL_IP"):
        return False
    address = _parse(client_ip(request))
    return address is not None and address.is_loopback


# The address of the request being served, for records written deep in services (the audit log) that do
# not receive the request. Set by `ClientAddressMiddleware`; empty outside a request (tasks, commands).
_current: contextvars.ContextVar[str] = contextvars.ContextVar("client_ip", default=UNKNOWN)


def current_client_ip() -> str:
    """The client address of the request this code runs for ("" outside a request)."""
    return _current.get()


class ClientAddressMiddleware:
    """Makes `client_ip(request)` available to code that has no request (`current_client_ip()`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
