"""Dashboard benchmark: the city dashboard page and the stats API over HTTP at N dossiers.

    createdb -U postgres -h 127.0.0.1 motcua_i16_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_i16_bench
    .venv/bin/python -m bench.bench_dashboard fill --n 1000000      # generate_series, then rebuild roll-ups
    make serve PORT=8161 &                                           # nginx + gunicorn, DEBUG off
    .venv/bin/python -m bench.bench_dashboard http --url http://127.0.0.1:8161 --rounds 30
    .venv/bin/python -m bench.bench_dashboard fill --n 10000000 && (same http run)

`fill` adds dossiers with one INSERT ... SELECT generate_series per million rows (received over two years in
the city's wards, mostly returned early / on time / late, the rest in progress, a third online), then
runs `motcua dashboard rebuild` (timed) and `check` with --check. `http` signs in the city leader
(a session row made directly, and a DRF token) and times GET /staff/dashboard/ (the city, this year)
and GET /api/v1/stats/dossiers (the city and one ward, this year and one month), p50/p95 in ms, beside
a floor measured in the same run (GET /healthz, the smallest Django answer). Figures only, no assertions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import urllib.request


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()


def _fixtures():
    from decimal import Decimal

    from motcua.catalog.models import Procedure
    from motcua.org.loader import load_province
    from motcua.org.models import Role, StaffRole, Unit, User, UserKind

    if not Unit.objects.filter(code="79", valid_to__isnull=True).exists():
        load_province("79", with_legacy=False, with_agencies=True)
    province = Unit.objects.get(code="79", valid_to__isnull=True)
    procedure, _ = Procedure.objects.get_or_create(
        code="9.999002",
        defaults={"name": "Thủ tục đo bảng điều hành", "time_value": Decimal(3), "time_unit": "working_days"},
    )
    leader, _ = User.objects.get_or_create(
        username="bench.lanhdao.tp", defaults={"kind": UserKind.STAFF, "full_name": "Lãnh đạo đo"}
    )
    StaffRole.objects.get_or_create(user=leader, unit=province, role=Role.UNIT_LEADER)
    return province, procedure, leader


CHUNK = 1_000_000


def fill(n: int, check: bool) -> None:
    from django.core.management import call_command
    from django.db import connection

    from motcua.dossiers.models import Dossier
    from motcua.org.models import Unit

    _, procedure, _ = _fixtures()
    have = Dossier.objects.count()
    wards = list(
        Unit.objects.filter(kind__in=["ward", "commune"], valid_to__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    print(f"{have:,} dossiers; filling to {n:,} over {len(wards)} wards", flush=True)
    started = time.perf_counter()
    # g -> a receipt moment over the last two years; status: 85% returned (outcome by g), 15% in progress
    sql = """
    INSERT INTO dossiers_dossier (code, procedure_id, channel, receiving_unit_id, unit_id, applicant_name,
        applicant_personal_id, applicant_phone, applicant_email, applicant_address, notify_zalo, field_sources,
        form_data, status, version, submitted_at, received_at, clock_started_at, due_at, original_due_at,
        apology_reason, supplement_items, supplement_reason, refusal_reason, stop_reason, result_ready_at,
        returned_at, return_channel, outcome, overdue, public_token, created_at, updated_at)
    SELECT '000.99.97.H29-' || lpad(g::text, 9, '0'), %(proc)s,
        (ARRAY['counter','online','counter','kiosk','online','post'])[1 + g %% 6],
        w, w, 'Người nộp thử', '', '', '', '', false, '{}', '{}',
        CASE WHEN g %% 20 < 17 THEN 'returned' ELSE 'processing' END, 1,
        r, r, r, r + interval '4 days', r + interval '4 days', '', '[]', '', '', '',
        CASE WHEN g %% 20 < 17 THEN r + (1 + g %% 6) * interval '1 day' END,
        CASE WHEN g %% 20 < 17 THEN r + (1 + g %% 6) * interval '1 day' + interval '1 hour' END,
        CASE WHEN g %% 20 < 17 THEN 'counter' ELSE '' END,
        CASE WHEN g %% 20 >= 17 THEN '' WHEN 1 + g %% 6 < 4 THEN 'early' WHEN 1 + g %% 6 = 4 THEN 'on_time'
             ELSE 'late' END,
        false, md5(g::text)::uuid, now(), now()
    FROM (SELECT g, (%(wards)s::int[])[1 + (g * 7919) %% %(nw)s] AS w,
                 now() - interval '1 hour' - ((g * 104729) %% 63072000) * interval '1 second' AS r
          FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g) AS s
    """
    lo = have + 1
    with connection.cursor() as cursor:
        while lo <= n:
            hi = min(n, lo + CHUNK - 1)
            cursor.execute(sql, {"proc": procedure.pk, "wards": wards, "nw": len(wards), "lo": lo, "hi": hi})
            print(f"  {hi:,} rows ({time.perf_counter() - started:.0f}s)", flush=True)
            lo = hi + 1
        cursor.execute("ANALYZE dossiers_dossier")
    print(f"filled in {time.perf_counter() - started:.0f}s", flush=True)
    started = time.perf_counter()
    call_command("dashboard", "rebuild")
    print(f"rebuild: {time.perf_counter() - started:.0f}s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dashboard_dossierday")
        cursor.execute("ANALYZE dashboard_proceduremonth")
    if check:
        started = time.perf_counter()
        call_command("dashboard", "check")
        print(f"check: {time.perf_counter() - started:.0f}s", flush=True)


def _session(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _get(url: str, headers: dict[str, str]) -> tuple[int, float, int]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (our own server)
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        body = response.read()
        return response.status, (time.perf_counter() - started) * 1000, len(body)


def _time(label: str, url: str, headers: dict[str, str], rounds: int) -> None:
    status, _, size = _get(url, headers)  # warm
    samples = [_get(url, headers)[1] for _ in range(rounds)]
    q = statistics.quantiles(samples, n=20, method="inclusive") if len(samples) > 1 else samples * 19
    print(f"{label:<44} {status} {size:>7} B  p50 {statistics.median(samples):7.1f} ms  p95 {q[18]:7.1f} ms")


def http(base: str, rounds: int) -> None:
    from django.conf import settings
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from motcua.dossiers.models import Dossier
    from motcua.org.models import Unit

    _, _, leader = _fixtures()
    token, _ = Token.objects.get_or_create(user=leader)
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={_session(leader)}"}
    api = {"Authorization": f"Token {token.key}"}
    ward = Unit.objects.get(code="26758", valid_to__isnull=True)
    today = timezone.localdate()
    year = f"from={today.replace(month=1, day=1)}&to={today}"
    month = f"from={today.replace(day=1)}&to={today}"
    print(f"{Dossier.objects.count():,} dossiers; {base}", flush=True)
    _time("floor: GET /healthz", f"{base}/healthz", {}, rounds)
    _time("city dashboard page (this year)", f"{base}/staff/dashboard/?unit=79&{year}", cookie, rounds)
    _time("stats API, city, this year", f"{base}/api/v1/stats/dossiers?unit=79&{year}", api, rounds)
    _time("stats API, city, this month", f"{base}/api/v1/stats/dossiers?unit=79&{month}", api, rounds)
    _time(
        "stats API, one ward, this year", f"{base}/api/v1/stats/dossiers?unit={ward.code}&{year}", api, rounds
    )
    _time(
        "stats API, city, a past year",
        f"{base}/api/v1/stats/dossiers?unit=79&from=2025-01-01&to=2025-12-31",
        api,
        rounds,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fill")
    f.add_argument("--n", type=int, default=1_000_000)
    f.add_argument("--check", action="store_true")
    h = sub.add_parser("http")
    h.add_argument("--url", default="http://127.0.0.1:8161")
    h.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    _setup()
    if args.command == "fill":
        fill(args.n, args.check)
    else:
        http(args.url.rstrip("/"), args.rounds)


if __name__ == "__main__":
    main()
