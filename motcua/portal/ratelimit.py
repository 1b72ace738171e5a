"""A cache-based fixed-window counter (one cache key per scope, client and window)."""

from __future__ import annotations

from django.core.cache import cache


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, key: str, limit: int, seconds: int = 60) -> bool:
    """Count one hit; True when `key` is over `limit` hits in the current window."""
    cache_key = f"motcua:rl:{scope}:{key}"
    if cache.add(cache_key, 1, seconds):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, seconds)
        return False
    return count > limit
