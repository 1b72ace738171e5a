"""Behind a reverse proxy that sets X-Forwarded-For as nginx does, each citizen is limited on its own.

How the simulation works:
- `live_server` (pytest-django) runs the platform; `MOTCUA_TRUSTED_PROXIES=127.0.0.1/32` says that the
  proxy in front of it may be believed, exactly as in the operations doc's nginx -> gunicorn layout.
- `NginxLikeProxy` is a threaded HTTP reverse proxy on 127.0.0.1. Like nginx's
  `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`, it forwards each request with the incoming
  X-Forwarded-For (whatever the client wrote) followed by the client's address appended at the right.
- All simulated clients really connect from 127.0.0.1, so each one tells the proxy which address to treat
  as its TCP peer (`$remote_addr`) in the `X-Test-Peer` header; the proxy strips that header and appends
  the address. That is the only liberty taken: everything after the proxy is the production path.
- 100 clients (203.0.113.1 ... 100.1) each request a sign-in code, look a dossier up on the portal twice
  and through the API once, with limits far below 100: none is limited. One client (198.51.100.66) writes a
  new forged X-Forwarded-For on every request; the platform still sees its real address and limits it.
- Staff sign-in: 5 wrong passwords from one address lock the officer out from that address only; the
  officer signs in from another address.
"""

from __future__ import annotations

import http.client
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import requests
from rest_framework.throttling import ScopedRateThrottle

from motcua.org.models import Role

pytestmark = [pytest.mark.django_db(transaction=True)]
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "proxy-connection"}


class NginxLikeProxy:
    def __init__(self, upstream: str):
        target = urlsplit(upstream)
        upstream_host, upstream_port = target.hostname, target.port

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                peer = self.headers.get("X-Test-Peer") or self.client_address[0]
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in HOP_BY_HOP and k.lower() not in ("x-test-peer", "x-forwarded-for")
                }
                incoming = self.headers.get("X-Forwarded-For")
                # nginx: $proxy_add_x_forwarded_for = "$http_x_forwarded_for, $remote_addr"
                headers["X-Forwarded-For"] = f"{incoming}, {peer}" if incoming else peer
                conn = http.client.HTTPConnection(upstream_host, upstream_port, timeout=30)
                conn.request(self.command, self.path, body=body, headers=headers)
                upstream_response = conn.getresponse()
                data = upstream_response.read()
                self.send_response(upstream_response.status)
                for k, v in upstream_response.getheaders():
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class Client:
    """One citizen's browser: its own cookies and its own address (as the proxy will see it)."""

    def __init__(self, proxy_url: str, peer: str):
        self.base = proxy_url
        self.session = requests.Session()
        self.session.trust_env = False  # never an environment proxy
        self.peer = peer
        self.signin_tokens: dict[str, str] = {}

    def get(self, path: str, forged: str | None = None, **kw):
        return self.session.get(self.base + path, headers=self._headers(forged), allow_redirects=False, **kw)

    def post(self, path: str, data: dict, forged: str | None = None):
        if "csrftoken" not in self.session.cookies or path not in self.signin_tokens:
            page = self.get(path, forged)
            # the citizen sign-in form carries its own forgery token (portal.views, tied to a browser cookie)
            found = re.search(r'name="signin_token" value="([0-9a-f]+)"', page.text)
            self.signin_tokens[path] = found.group(1) if found else ""
        data = {**data, "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", "")}
        if self.signin_tokens[path]:
            data["signin_token"] = self.signin_tokens[path]
        return self.session.post(
            self.base + path, data=data, headers=self._headers(forged), allow_redirects=False
        )

    def _headers(self, forged):
        headers = {"X-Test-Peer": self.peer}
        if forged:
            headers["X-Forwarded-For"] = forged
        return headers


@pytest.fixture
def behind_proxy(live_server, settings, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1/32"]
    settings.MOTCUA_RATE_LIMITS = {**settings.MOTCUA_RATE_LIMITS, "track": "5/m"}
    settings.PORTAL_OTP_PER_IP = 3
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public_lookup": "3/min", "anon": "600/min"})
    with NginxLikeProxy(live_server.url) as proxy:
        yield proxy
    cache.clear()


@pytest.fixture
def dossier(citizen, ward_a, desk_officer):
    from motcua.dossiers import services
    from motcua.portal.tests.conftest import make_procedure, pdf

    procedure = make_procedure()
    files = {r.pk: pdf() for r in procedure.requirements.filter(kind="submit", required=True)}
    return services.submit_online(
        procedure=procedure,
        citizen_user=citizen,
        files=files,
        idempotency_key="proxy-test",
        applicant={"name": "Nguyễn Văn An", "phone": "0901234567", "address": "12 Nguyễn Thái Học"},
        form_data={"ho_ten": "Nguyễn Văn An", "gioi_tinh": "Nam"},
    )


def test_hundred_clients_are_not_limited_while_a_spoofer_is(behind_proxy, dossier):
    from motcua.portal.models import PhoneOTP

    statuses: dict[str, list[int]] = {"otp": [], "track": [], "api": []}
    for n in range(1, 101):
        client = Client(behind_proxy.url, peer=f"203.0.113.{n}" if n < 100 else "203.0.114.1")
        otp = client.post("/dang-nhap/", {"step": "phone", "phone": f"09000{n:05d}"})
        statuses["otp"].append(otp.status_code)
        statuses["track"] += [client.get(f"/tra-cuu/{dossier.code}/").status_code for _ in range(2)]
        statuses["api"].append(client.get(f"/api/v1/public/dossiers/{dossier.code}").status_code)
    assert set(statuses["otp"]) == {302}, statuses["otp"]
    assert set(statuses["track"]) == {200} and set(statuses["api"]) == {200}
    assert PhoneOTP.objects.count() == 100
    assert set(PhoneOTP.objects.values_list("ip", flat=True)) >= {"203.0.113.1", "203.0.114.1"}

    spoofer = Client(behind_proxy.url, peer="198.51.100.66")
    track = [spoofer.get(f"/tra-cuu/{dossier.code}/", forged=f"10.9.{n}.1").status_code for n in range(8)]
    assert track == [200] * 5 + [429] * 3
    api = [
        spoofer.get(f"/api/v1/public/dossiers/{dossier.code}", forged=f"10.8.{n}.1").status_code
        for n in range(5)
    ]
    assert api == [200] * 3 + [429] * 2
    otp = [
        spoofer.post(
            "/dang-nhap/", {"step": "phone", "phone": f"09111{n:05d}"}, forged=f"10.7.{n}.1"
        ).status_code
        for n in range(5)
    ]
    assert otp == [302] * 3 + [429] * 2
    assert PhoneOTP.objects.filter(ip="198.51.100.66").count() == 3
    assert not PhoneOTP.objects.filter(ip__startswith="10.").exists()


def test_wrong_passwords_lock_an_officer_out_from_that_address_only(behind_proxy, make_staff, ward_a):
    officer = make_staff(Role.DESK_OFFICER, ward_a)
    attacker = Client(behind_proxy.url, peer="198.51.100.66")
    tries = [
        attacker.post(
            "/staff/login/", {"username": officer.username, "password": "sai-mat-khau"}, forged=f"10.6.{n}.1"
        ).status_code
        for n in range(6)
    ]
    assert tries[:4] == [200] * 4 and tries[-1] in (403, 429)
    locked = attacker.post("/staff/login/", {"username": officer.username, "password": "pw-test-12345"})
    assert locked.status_code in (403, 429)
    at_the_office = Client(behind_proxy.url, peer="203.0.113.10")
    signed_in = at_the_office.post(
        "/staff/login/", {"username": officer.username, "password": "pw-test-12345"}
    )
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/staff/"
