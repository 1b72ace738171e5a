"""Rate limits: one fixed-window counter in the cache, keyed by the client address from `core.clientip`.

Every limited surface names a *scope* with its limit in `settings.MOTCUA_RATE_LIMITS` ("N/period",
period one of s, m, h, d), so an operator tunes them in one place:

    if ratelimit.limited(request, "track"):                  # per client address
        return render(..., status=429)
    if ratelimit.limited(request, "verify-secret", target=dossier.code):   # also per guessed object

A secret guessed against one object (a dossier's verification value) is also counted per object, so
guesses from rotating addresses are stopped too. The DRF throttles at the bottom use the same address.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from motcua.core.clientip import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MESSAGE = _("Bạn thao tác quá nhiều lần. Vui lòng thử lại sau ít phút.")


def parse_rate(rate: str) -> tuple[int, int]:
    """'30/m' -> (30, 60); '20/10m' -> (20, 600)."""
    count, _sep, period = rate.partition("/")
    period = period.strip().lower()
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits) :][:1] or "m"
    return int(count), int(digits or 1) * PERIODS[unit]


def rate_for(scope: str) -> tuple[int, int]:
    return parse_rate(settings.MOTCUA_RATE_LIMITS[scope])


def hit(scope: str, key: str, limit: int, seconds: int = 60) -> bool:
    """Count one hit; True when `key` is over `limit` hits in the current window of `seconds`."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    cache_key = f"motcua:rl:{scope}:{digest}"
    if cache.add(cache_key, 1, seconds):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, seconds)
        return False
    return count > limit


def limited_for(scope: str, key: str) -> bool:
    """Count one hit of `key` (not the client address: e.g. an operator) against `scope`'s limit."""
    return hit(scope, key, *rate_for(scope))


def limited(request: HttpRequest | Request, scope: str, *, target: str | None = None) -> bool:
    """Count this request against `scope`; True when the client (or `target`) is over its limit.

    The per-target limit is `settings.MOTCUA_RATE_LIMITS[scope + ":target"]` when configured.
    """
    limit, seconds = rate_for(scope)
    over = hit(scope, client_ip(request), limit, seconds)
    target_scope = f"{scope}:target"
    if target is not None and target_scope in settings.MOTCUA_RATE_LIMITS:
        t_limit, t_seconds = rate_for(target_scope)
        over = hit(target_scope, target, t_limit, t_seconds) or over
    return over


def retry_after(scope: str) -> str:
    """The `Retry-After` header value for a refusal in `scope`."""
    return str(rate_for(scope)[1])


class ClientIPThrottleMixin:
    """DRF throttles identify the client by the platform's rule, never by a forged X-Forwarded-For."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class AnonThrottle(ClientIPThrottleMixin, AnonRateThrottle):
    pass


class UserThrottle(ClientIPThrottleMixin, UserRateThrottle):
    pass


class ScopedThrottle(ClientIPThrottleMixin, ScopedRateThrottle):
    pass
