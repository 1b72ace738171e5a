"""One client address for the whole platform (core.clientip), and every consumer uses it."""

import pytest
from django.test import RequestFactory

from motcua.core.clientip import client_ip
from motcua.core.ratelimit import AnonThrottle, ScopedThrottle, limited, parse_rate

rf = RequestFactory()


def req(remote="127.0.0.1", xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return rf.get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.MOTCUA_TRUSTED_PROXIES = []
    assert client_ip(req("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    "remote, xff, expected",
    [
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),  # nginx appended the real peer
        ("127.0.0.1", "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a forged left-most value is ignored
        ("127.0.0.1", "6.6.6.6, 203.0.113.7, 10.1.2.3", "203.0.113.7"),  # a trusted load balancer in between
        ("198.51.100.9", "6.6.6.6", "198.51.100.9"),  # not from a trusted proxy: the header means nothing
        ("127.0.0.1", "", "127.0.0.1"),  # the proxy itself (health checks)
        ("127.0.0.1", "not-an-ip", "127.0.0.1"),
        ("127.0.0.1", "[2001:db8::5]:4431", "2001:db8::5"),
        ("127.0.0.1", "203.0.113.7:51234", "203.0.113.7"),
        ("::ffff:127.0.0.1", "203.0.113.8", "203.0.113.8"),
        ("", "203.0.113.7", ""),
    ],
)
def test_behind_trusted_proxies_the_right_most_untrusted_address_wins(settings, remote, xff, expected):
    settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1/32", "10.0.0.0/8"]
    assert client_ip(req(remote, xff)) == expected


def test_login_lockout_and_api_throttles_use_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1/32"]
    request = req("127.0.0.1", "6.6.6.6, 203.0.113.7")
    assert get_client_ip_address(request) == "203.0.113.7"
    assert AnonThrottle().get_ident(request) == "203.0.113.7"
    assert ScopedThrottle().get_ident(request) == "203.0.113.7"


def test_no_remote_addr_read_outside_the_rule():
    """Every limiter, lockout and log goes through core.clientip (grep the tree as the reviewer would)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readers = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "/tests/" not in str(p) and ("REMOTE_ADDR" in p.read_text() or "FORWARDED_FOR" in p.read_text())
    ]
    assert readers == ["core/clientip.py"]


def test_parse_rate():
    assert parse_rate("30/m") == (30, 60)
    assert parse_rate("20/10m") == (20, 600)
    assert parse_rate("10/h") == (10, 3600)


def test_limits_count_per_address_and_per_target(settings):
    from django.core.cache import cache

    cache.clear()
    settings.MOTCUA_RATE_LIMITS = {"probe": "2/m", "probe:target": "3/h"}
    assert [limited(req("203.0.113.1"), "probe") for _ in range(3)] == [False, False, True]
    assert limited(req("203.0.113.2"), "probe") is False
    # Guesses at one target from rotating addresses: stopped by the target's own count.
    guesses = [limited(req(f"198.51.100.{n}"), "probe", target="DOSSIER-1") for n in range(5)]
    assert guesses == [False, False, False, True, True]
    assert limited(req("198.51.100.99"), "probe", target="DOSSIER-2") is False
    cache.clear()
