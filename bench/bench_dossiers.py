"""Dossier benchmarks: counter-intake throughput and public status look-up latency at N dossiers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_dossiers \\
    MOTCUA_VAR_DIR=/tmp/motcua-bench-dossiers \\
    .venv/bin/python -m bench.bench_dossiers --n 1000000 --intake 500 --threads 1 4 --processes 2 4 \\
        --portal --lookups 2000

The table is filled up to --n rows with bulk inserts (realistic codes, dates, statuses, units; no
tasks), then:
- intake: --intake full counter intakes through `services.receive_at_counter` (code, 1 scan, audit,
  process control sheet, tasks, outbox, delivery task enqueued on commit; with --portal also the
  national-portal message), per thread count and per process count; first the statements of one
  intake are counted (CaptureQueriesContext, warm process);
- look-up: --lookups random codes through the public API view (GET /api/v1/public/dossiers/<code>,
  the whole Django stack, throttle off) and through the selector alone; p50/p95/p99 in ms.
- scope (--scope): the staff list of a ward specialist and of the city leader (count + first page of 25,
  as the officer home page asks) with EXPLAIN ANALYZE, in today's form (literal unit ids, OR of IN-lists)
  and in the former form (unit-id subquery OR ... OR EXISTS) side by side. With --sql the table is
  filled by one INSERT ... SELECT generate_series on PostgreSQL (1 M rows in about a minute), with a
  linked-processing transfer to an agency for one dossier in 30 and one in 10 received by another ward.
Figures are printed, not asserted. Run it again with a larger --n: rows are only added.
DEBUG is off (as in production) unless DEBUG=1 is set. --portal points MOTCUA_NATIONAL_PORTAL_URL at a
closed local port: the message rows are written, no worker runs to push them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import threading
import time


def _setup():
    import logging

    logging.disable(logging.WARNING)  # no "Not Found" lines for the unknown-code probes
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("MOTCUA_VAR_DIR", "/tmp/motcua-bench-dossiers")
    os.environ.setdefault("DEBUG", "0")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {q[49]:.2f} ms  p95 {q[94]:.2f} ms  p99 {q[98]:.2f} ms  (n={len(samples)})"


def _fixtures():
    from decimal import Decimal

    from motcua.catalog.models import InternalProcess, Procedure, ProcessStep, Requirement
    from motcua.org.loader import load_province
    from motcua.org.models import Role, StaffRole, Unit, User, UserKind

    if not Unit.objects.filter(code="26758", valid_to__isnull=True).exists():
        load_province("79", with_legacy=False, with_agencies=True)
    ward = Unit.objects.get(code="26758", valid_to__isnull=True)
    procedure, created = Procedure.objects.get_or_create(
        code="9.999001",
        defaults={
            "name": "Thủ tục đo hiệu năng",
            "time_value": Decimal(3),
            "time_unit": "working_days",
            "online_level": "full",
        },
    )
    if created:
        Requirement.objects.create(
            procedure=procedure, order=1, name="Tờ khai", kind="submit", required=True, quantity_original=1
        )
        process = InternalProcess.objects.create(
            procedure=procedure, version=1, effective_from=dt.date(2020, 1, 1)
        )
        for order, (name, role, hours) in enumerate(
            [
                ("Tiếp nhận", Role.DESK_OFFICER, 1),
                ("Thẩm định", Role.SPECIALIST, 8),
                ("Phê duyệt", Role.UNIT_LEADER, 4),
            ],
            start=1,
        ):
            ProcessStep.objects.create(
                process=process,
                order=order,
                name=name,
                role=role,
                hours=Decimal(hours),
                unit_kind="receiving" if order == 1 else "competent",
            )
    # one desk officer in each of 8 wards: intake is spread over wards as in a city (each ward has its
    # own audit chain and code sequence, so wards do not queue behind each other's locks)
    wards = list(Unit.objects.filter(kind="ward", valid_to__isnull=True).order_by("code")[:8])
    officers = []
    for i, unit in enumerate(wards):
        user, made = User.objects.get_or_create(
            username=f"bench.desk{i}", defaults={"kind": UserKind.STAFF, "full_name": f"Bench {i}"}
        )
        StaffRole.objects.get_or_create(user=user, unit=unit, role=Role.DESK_OFFICER)
        officers.append((user, unit))
    return ward, procedure, officers


def populate(n: int, ward, procedure) -> None:
    from django.db import connection

    from motcua.dossiers.models import Dossier, DossierStatus
    from motcua.org.models import Unit

    have = Dossier.objects.count()
    if have >= n:
        print(f"table already holds {have:,} dossiers")
        return
    units = list(
        Unit.objects.filter(kind__in=["ward", "commune"], valid_to__isnull=True).values_list("id", flat=True)
    )
    statuses = [s for s in DossierStatus.values]
    rng = random.Random(have)
    base = dt.datetime(2025, 7, 1, 8, 0, tzinfo=dt.UTC)
    started = time.perf_counter()
    batch = 5000
    i = have
    print(f"inserting {n - have:,} dossiers ...", flush=True)
    while i < n:
        rows = []
        for _ in range(min(batch, n - i)):
            moment = base + dt.timedelta(minutes=i % 600_000)
            unit_id = rng.choice(units)
            status = rng.choice(statuses)
            received = moment if status not in ("submitted", "not_received") else None
            rows.append(
                Dossier(
                    code=f"000.99.99.H29-{moment:%y%m%d}-{i:07d}",
                    procedure_id=procedure.pk,
                    channel="counter",
                    receiving_unit_id=unit_id,
                    unit_id=unit_id,
                    applicant_name="Người nộp thử",
                    applicant_phone="0900000000",
                    applicant_personal_id=f"079{i:09d}",
                    status=status,
                    submitted_at=moment,
                    received_at=received,
                    clock_started_at=received,
                    due_at=received and received + dt.timedelta(days=4),
                    original_due_at=received and received + dt.timedelta(days=4),
                )
            )
            i += 1
        Dossier.objects.bulk_create(rows, batch_size=batch)
        if (i // batch) % 20 == 0:
            print(f"  {i:,} rows ({time.perf_counter() - started:.0f}s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE dossiers_dossier")
    print(f"inserted up to {n:,} rows in {time.perf_counter() - started:.1f}s")


def populate_sql(n: int, procedure) -> None:
    """Fill dossiers (and transfers) up to n with set-based SQL (PostgreSQL): minutes become seconds."""
    from django.db import connection

    from motcua.dossiers.models import Dossier, Transfer
    from motcua.org.models import Unit

    have = Dossier.objects.count()
    if have >= n:
        print(f"table already holds {have:,} dossiers")
        return
    wards = list(
        Unit.objects.filter(kind__in=["ward", "commune"], valid_to__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    agencies = list(
        Unit.objects.filter(kind="agency", valid_to__isnull=True).order_by("id").values_list("id", flat=True)
    )
    statuses = list(Dossier._meta.get_field("status").choices)
    computed = {
        "code": "'000.99.98.H29-' || lpad(g::text, 8, '0')",
        "procedure_id": str(procedure.pk),
        "unit_id": "(%(wards)s::int[])[1 + (g * 7919) %% %(nw)s]",
        "receiving_unit_id": "(%(wards)s::int[])[1 + (CASE WHEN g %% 10 = 3 THEN g * 31 ELSE g * 7919 END) %% %(nw)s]",
        "applicant_name": "'Người nộp thử ' || g",
        "applicant_personal_id": "'079' || lpad(g::text, 9, '0')",
        "status": "(%(statuses)s::text[])[1 + (g * 13) %% %(ns)s]",
        "submitted_at": "timestamptz '2025-07-01 08:00+00' + (g %% 600000) * interval '1 minute'",
        "overdue": "(g %% 17 = 0)",
        "public_token": "md5(g::text)::uuid",
        "created_at": "now()",
        "updated_at": "now()",
    }
    columns, values, params = [], [], {}
    for field in Dossier._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in computed:
            values.append(computed[field.column])
        elif field.null:
            values.append("NULL")
        else:
            key = f"d_{field.column}"
            params[key] = field.get_db_prep_save(field.get_default(), connection)
            values.append(f"%({key})s")
    params.update(
        wards=wards, nw=len(wards), statuses=[c[0] for c in statuses], ns=len(statuses), lo=have + 1, hi=n
    )
    started = time.perf_counter()
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
            "FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g",
            params,
        )
        cursor.execute(
            f"INSERT INTO {Transfer._meta.db_table} (dossier_id, from_unit_id, to_unit_id, hours, sent_at, "
            "due_at, note, reply) SELECT id, unit_id, (%(agencies)s::int[])[1 + (id / 30) %% %(na)s], 8, submitted_at, "
            f"submitted_at + interval '2 days', '', '' FROM {table} WHERE id %% 30 = 0 AND id >= "
            f"(SELECT min(id) FROM {table} WHERE code LIKE '000.99.98.%%')",
            {"agencies": agencies, "na": len(agencies)},
        )
        # the whole database: the small tables (units, procedures) must have statistics too, or the
        # planner takes them for 20 rows and loops over them (600 ms instead of 30 ms for a page)
        cursor.execute("ANALYZE")
    print(f"inserted up to {n:,} rows (SQL) in {time.perf_counter() - started:.1f}s")


def _officer(username: str, unit, role: str):
    from motcua.org.models import StaffRole, User, UserKind

    user, _ = User.objects.get_or_create(username=username, defaults={"kind": UserKind.STAFF})
    StaffRole.objects.get_or_create(user=user, unit=unit, role=role)
    return User.objects.get(pk=user.pk)


def _former_visible_to(user):
    """The scope as main wrote it before: a unit-id subquery OR-ed three times, one arm an EXISTS."""
    from django.db.models import Exists, OuterRef, Q

    from motcua.dossiers.models import Dossier, Transfer
    from motcua.org.models import Role, Unit, UnitKind

    condition = Q()
    for a in user._active_roles():
        if a.unit.kind == UnitKind.PROVINCE or a.role == Role.PROVINCE_ADMIN:
            condition |= Q(path__startswith=a.unit.path)
        else:
            condition |= Q(pk=a.unit_id)
    ids = Unit.objects.filter(condition).values("id")
    linked = Transfer.objects.filter(dossier=OuterRef("pk"), to_unit__in=ids)
    return Dossier.objects.filter(Q(unit__in=ids) | Q(receiving_unit__in=ids) | Exists(linked))


def _timed(fn, repeat: int = 5) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def bench_scope(explain: bool) -> None:
    from django.db import connection

    from motcua.dossiers import selectors
    from motcua.org.models import Role, Unit

    ward = Unit.objects.get(code="26758", valid_to__isnull=True)
    city = Unit.objects.get(code="79", valid_to__isnull=True)
    agency = Unit.objects.filter(kind="agency", valid_to__isnull=True).order_by("id").first()
    callers = {
        "ward specialist": _officer("bench.scope.ward", ward, Role.SPECIALIST),
        "agency specialist": _officer("bench.scope.agency", agency, Role.SPECIALIST),
        "city leader": _officer("bench.scope.city", city, Role.UNIT_LEADER),
    }
    for label, user in callers.items():
        forms = {
            "now": lambda u=user: selectors.staff_dossiers(type(u).objects.get(pk=u.pk)),
            "before": lambda u=user: _former_visible_to(u).select_related(
                "procedure", "unit", "receiving_unit"
            ),
        }
        for form, make in forms.items():
            count_ms = _timed(lambda make=make: make().count())
            page_ms = _timed(lambda make=make: list(make().order_by("-submitted_at", "-id")[:25]))
            status_ms = _timed(
                lambda make=make: list(
                    make().filter(status="processing").order_by("-submitted_at", "-id")[:25]
                )
            )
            total = make().count()
            print(
                f"scope {label:18s} {form:6s}: {total:>9,} rows  count {count_ms:8.1f} ms  "
                f"page of 25 {page_ms:7.1f} ms  status page {status_ms:7.1f} ms  (median of 5, scope "
                "computed inside)"
            )
            if explain and connection.vendor == "postgresql":
                for name, qs in (
                    ("count", make().order_by().values("id")),
                    ("page", make().order_by("-submitted_at", "-id")[:25]),
                ):
                    if name == "count":
                        sql, params = qs.query.sql_with_params()
                        with connection.cursor() as cursor:
                            cursor.execute(
                                f"EXPLAIN (ANALYZE, COSTS OFF) SELECT count(*) FROM ({sql}) s", params
                            )
                            plan = "\n".join(row[0] for row in cursor.fetchall())
                    else:
                        plan = qs.explain(analyze=True, costs=False)
                    print(f"--- EXPLAIN ANALYZE {label} / {form} / {name}\n{plan}")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _intake_one(procedure, req, officer, unit, label: str):
    from django.core.files.base import ContentFile

    from motcua.dossiers import services

    return services.receive_at_counter(
        procedure=procedure,
        receiving_unit=unit,
        actor=officer,
        competent_unit=unit,
        applicant={
            "name": f"Bench {label}",
            "phone": "0901234567",
            "email": "bench@example.vn",
            "personal_id": "079090001234",
        },
        form_data={},
        files={req.pk: ContentFile(PDF, name="scan.pdf")},
    )


def count_queries(procedure, officers) -> int:
    """Statements of one counter intake in a warm process, the on-commit enqueue included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer, unit = officers[0]
    req = procedure.requirements.first()
    _intake_one(procedure, req, officer, unit, "warm-up")
    with CaptureQueriesContext(connection) as queries:
        _intake_one(procedure, req, officer, unit, "counted")
    return len(queries.captured_queries)


def bench_intake(count: int, threads: int, ward, procedure, officers) -> float:
    from django.db import connections

    req = procedure.requirements.first()
    per_thread = count // threads
    errors: list[BaseException] = []

    def work(t: int):
        try:
            officer, unit = officers[t % len(officers)]
            for k in range(per_thread):
                _intake_one(procedure, req, officer, unit, f"{t}-{k}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return per_thread * threads / elapsed


def _process_worker(args):
    count, index = args
    from django.db import connections

    connections.close_all()
    ward, procedure, officers = _fixtures()
    bench_intake(count, 1, ward, procedure, [officers[index % len(officers)]])
    return count


def bench_intake_processes(count: int, processes: int) -> float:
    """Intake from several OS processes (as several gunicorn workers would), each for its own ward."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    with context.Pool(processes) as pool:
        done = sum(pool.map(_process_worker, [(count // processes, i) for i in range(processes)]))
    return done / (time.perf_counter() - started)


def bench_lookup(lookups: int) -> None:
    from django.conf import settings
    from django.db.models import Max, Min
    from django.test import Client

    from motcua.dossiers import selectors
    from motcua.dossiers.models import Dossier

    bounds = Dossier.objects.aggregate(lo=Min("id"), hi=Max("id"))
    rng = random.Random(7)
    ids = [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(lookups)]
    codes = dict(Dossier.objects.filter(id__in=ids).values_list("id", "code"))
    sample = [codes[i] for i in ids if i in codes]
    settings.REST_FRAMEWORK = dict(settings.REST_FRAMEWORK)
    from rest_framework.throttling import ScopedRateThrottle

    ScopedRateThrottle.THROTTLE_RATES = dict(ScopedRateThrottle.THROTTLE_RATES, public_lookup="100000000/min")
    client = Client()
    for code in sample[:50]:  # warm up
        client.get(f"/api/v1/public/dossiers/{code}")
    times = []
    for code in sample:
        t = time.perf_counter()
        response = client.get(f"/api/v1/public/dossiers/{code}")
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.status_code
    print(f"public look-up, HTTP (GET /api/v1/public/dossiers/<code>): {_percentiles(times)}")
    times = []
    for code in sample:
        t = time.perf_counter()
        selectors.public_status(code)
        times.append((time.perf_counter() - t) * 1000)
    print(f"public look-up, selector only:                             {_percentiles(times)}")
    t = time.perf_counter()
    missing = [
        client.get(f"/api/v1/public/dossiers/000.00.00.H29-000000-{k:04d}").status_code for k in range(200)
    ]
    print(f"unknown codes: {set(missing)} in {(time.perf_counter() - t) * 1000 / 200:.2f} ms each")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=20_000, help="dossiers in the table before measuring")
    parser.add_argument("--intake", type=int, default=200, help="counter intakes per thread setting")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4])
    parser.add_argument(
        "--processes", type=int, nargs="*", default=[], help="also measure intake from N processes"
    )
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument(
        "--portal", action="store_true", help="national-portal sync on (one more outbox row per intake)"
    )
    parser.add_argument("--sql", action="store_true", help="fill the table with set-based SQL (PostgreSQL)")
    parser.add_argument("--scope", action="store_true", help="measure the scoped staff lists only")
    parser.add_argument("--explain", action="store_true", help="with --scope: print EXPLAIN ANALYZE")
    args = parser.parse_args(argv)
    if args.portal:
        os.environ["MOTCUA_NATIONAL_PORTAL_URL"] = "http://127.0.0.1:9/bench-no-worker"
    _setup()
    from django.conf import settings
    from django.db import connection

    ward, procedure, officers = _fixtures()
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}  DEBUG={settings.DEBUG}")
    if args.sql and connection.vendor == "postgresql":
        populate_sql(args.n, procedure)
    else:
        populate(args.n, ward, procedure)
    from motcua.dossiers.models import Dossier

    print(f"dossiers in table: {Dossier.objects.count():,}")
    if args.scope:
        bench_scope(args.explain)
        return
    portal = "on" if settings.MOTCUA_NATIONAL_PORTAL_URL else "off"
    print(f"statements per counter intake (portal sync {portal}): {count_queries(procedure, officers)}")
    for threads in args.threads:
        rate = bench_intake(args.intake, threads, ward, procedure, officers)
        print(
            f"intake ({threads} thread{'s' if threads > 1 else ''}): {rate:.1f} dossiers/s "
            f"(code + scan + audit + control sheet + tasks + outbox, each its own transaction)"
        )
    for processes in args.processes:
        rate = bench_intake_processes(args.intake, processes)
        print(f"intake ({processes} processes, 1 thread each): {rate:.1f} dossiers/s")
    bench_lookup(args.lookups)


if __name__ == "__main__":
    main(sys.argv[1:])
