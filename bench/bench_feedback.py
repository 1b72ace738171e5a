"""Feedback benchmark: intake + routing throughput, then list/search latency over N reports.

    .venv/bin/python -m bench.bench_feedback                       # small, on a scratch SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_feedback \
        .venv/bin/python -m bench.bench_feedback --n 1000000       # the 1,000,000-report run

The N reports are bulk-inserted (code prefix PB-, spread over 365 days, 168 wards, 13 categories, every
state); intake is timed through the real `submit_report` (validation, address -> ward, routing rules, code
sequence, events, audit, SMS outbox row). Figures only, no assertions.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time


def _setup(args) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("MOTCUA_VAR_DIR", os.path.join(tempfile.gettempdir(), "motcua-bench-feedback"))
        os.makedirs(os.environ["MOTCUA_VAR_DIR"], exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from motcua.org.loader import load_province
    from motcua.org.models import Unit

    if not Unit.objects.filter(code="79-STP").exists():
        load_province("79", with_legacy=True, with_agencies=True)
    from motcua.feedback.demo import seed_categories

    seed_categories()


def timed(fn, repeat: int = 7) -> tuple[float, float]:
    """(median ms, max ms) over `repeat` runs after one warm-up."""
    fn()
    samples = []
    for _i in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples), max(samples)


def bulk_insert(n: int, batch: int = 5000) -> float:
    import datetime as dt
    import uuid

    from django.db import connection
    from django.utils import timezone

    from motcua.feedback.models import Category, Report, ReportStatus
    from motcua.feedback.services import fold_text
    from motcua.org.selectors import current_communes

    have = Report.objects.filter(code__startswith="PB-").count()
    if have >= n:
        return 0.0
    rng = random.Random(7)
    wards = list(current_communes().values_list("id", "latitude", "longitude"))
    cats = list(Category.objects.values_list("id", "code"))
    statuses = (
        [ReportStatus.CLOSED] * 5
        + [ReportStatus.ANSWERED] * 2
        + [ReportStatus.ASSIGNED] * 2
        + [
            ReportStatus.AWAITING_APPROVAL,
            ReportStatus.REOPENED,
            ReportStatus.MERGED,
            ReportStatus.NOT_ACCEPTED,
        ]
    )
    words = ["rác", "đèn", "ngập", "vỉa hè", "xây dựng", "karaoke", "ổ gà", "cây xanh", "cống", "trộm"]
    now = timezone.now()
    start = time.perf_counter()
    i = have
    while i < n:
        rows = []
        for _k in range(min(batch, n - i)):
            ward_id, lat, lon = rng.choice(wards)
            cat_id, _code = rng.choice(cats)
            received = now - dt.timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
            status = rng.choice(statuses)
            text = (
                f"Phản ánh {rng.choice(words)} {rng.choice(words)} số {rng.randrange(1, 999)} đường {i % 977}"
            )
            done = status in (ReportStatus.ANSWERED, ReportStatus.CLOSED)
            rows.append(
                Report(
                    code=f"PB-{i:08d}",
                    channel="hotline",
                    token=uuid.uuid4(),
                    rating_token=uuid.uuid4().hex,
                    phone=f"09{rng.randrange(10**7, 10**8)}",
                    description=text,
                    search_text=fold_text(text),
                    address=f"Số {i % 300}",
                    latitude=(lat or 10.77) + rng.uniform(-0.01, 0.01),
                    longitude=(lon or 106.7) + rng.uniform(-0.01, 0.01),
                    ward_id=ward_id,
                    unit_id=ward_id,
                    category_id=cat_id,
                    classification="within",
                    status=status,
                    received_at=received,
                    deadline=(received + dt.timedelta(days=14)).date(),
                    answered_late=(rng.random() < 0.1) if done else None,
                    satisfaction=rng.choice([None, 3, 4, 5, 5]) if status == ReportStatus.CLOSED else None,
                    public_answer="Đã xử lý." if done else "",
                    answered_at=received + dt.timedelta(days=5) if done else None,
                    reopen_count=1 if status == ReportStatus.REOPENED else 0,
                )
            )
            i += 1
        if connection.vendor == "postgresql":
            _copy(rows, now)
        else:
            Report.objects.bulk_create(rows, batch_size=batch)
        if i % 100_000 < batch:
            print(f"  inserted {i:,}", file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE feedback_report")
    return time.perf_counter() - start


def _copy(rows, now) -> None:
    """PostgreSQL COPY (psycopg 3): ~10x faster than INSERT for the 1,000,000-row run."""
    import json

    from django.db import connection

    from motcua.feedback.models import Report

    fields = [f for f in Report._meta.concrete_fields if not f.primary_key]
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    def value(field, obj):
        if field.attname == "updated_at":
            return now
        v = getattr(obj, field.attname)
        if field.get_internal_type() == "FileField":
            return v.name or ""
        if isinstance(v, dict | list):
            return json.dumps(v)
        return v

    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {Report._meta.db_table} ({cols}) FROM STDIN") as copy:
            for obj in rows:
                copy.write_row([value(f, obj) for f in fields])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000, help="reports in the table (bulk insert)")
    parser.add_argument("--intake", type=int, default=200, help="reports filed through submit_report")
    args = parser.parse_args()
    _setup(args)

    from django.db import connection
    from django.test import RequestFactory

    from motcua.feedback import open311, selectors, services
    from motcua.feedback.models import Report
    from motcua.org.models import Role, StaffRole, Unit, User
    from motcua.org.selectors import current_communes, fold

    print(f"database: {connection.vendor}")
    seconds = bulk_insert(args.n)
    total = Report.objects.count()
    if seconds:
        print(f"bulk insert: {args.n:,} reports in {seconds:.1f} s ({args.n / seconds:,.0f}/s)")
    print(f"reports in table: {total:,}")

    rng = random.Random(11)
    wards = list(current_communes().values_list("name", flat=True))
    codes = ["rac-thai", "chieu-sang", "lan-chiem-via-he", "an-ninh-trat-tu", "thu-tuc-hanh-chinh", None]
    attrs = {"chieu-sang": {"tinh_trang": "tat"}}
    t = time.perf_counter()
    for k in range(args.intake):
        code = rng.choice(codes)
        old = rng.random() < 0.2
        services.submit_report(
            channel="hotline",
            description=f"Phản ánh thử nghiệm số {k}: rác và đèn đường",
            category_code=code,
            attributes=attrs.get(code),
            address=(
                "Số 5 Trần Hưng Đạo, phường Cầu Kho, Quận 1" if old else f"Số {k} Lê Lợi, {rng.choice(wards)}"
            ),
            phone=f"09{rng.randrange(10**7, 10**8)}",
            actor="bench",
        )
    elapsed = time.perf_counter() - t
    print(
        f"intake + routing: {args.intake} reports in {elapsed:.2f} s = {args.intake / elapsed:,.1f} reports/s "
        f"({1000 * elapsed / args.intake:.1f} ms each, incl. address -> ward, rules, code, events, audit, SMS row)"
    )

    ward = Unit.objects.get(code="26758", valid_to__isnull=True)
    city = Unit.objects.get(code="79", valid_to__isnull=True)
    leader, _c = User.objects.get_or_create(username="bench-leader", defaults={"kind": "staff"})
    StaffRole.objects.get_or_create(user=leader, unit=ward, role=Role.UNIT_LEADER)
    boss, _c = User.objects.get_or_create(username="bench-city", defaults={"kind": "staff"})
    StaffRole.objects.get_or_create(user=boss, unit=city, role=Role.UNIT_LEADER)
    sample = Report.objects.order_by("pk").values_list("code", "phone")[total // 2]
    factory = RequestFactory()
    import datetime as dt

    from django.utils import timezone

    last30 = timezone.localdate() - dt.timedelta(days=30)

    def page(user, **filters):
        """What /staff/feedback/ does: the first 30 rows and a count capped at 10,000."""
        qs = selectors.reports_for(user).filter(**filters).order_by("-received_at")
        paginator = selectors.CappedPaginator(qs, 30)
        return list(paginator.page(1)), paginator.count

    cases = [
        ("ward list, first page + count (ward leader)", lambda: page(leader)),
        ("ward list, open reports only", lambda: page(leader, status__in=["assigned", "reopened"])),
        ("city list, first page + count (city leader)", lambda: page(boss)),
        ("city list, one category", lambda: page(boss, category__code="rac-thai")),
        ("lookup by code (public page)", lambda: selectors.report_by_code(sample[0])),
        (
            "hotline: caller's earlier reports by phone",
            lambda: list(selectors.reports_by_phone(sample[1], boss)),
        ),
        (
            "text search 'karaoke', first page (city)",
            lambda: list(
                selectors.reports_for(boss)
                .filter(search_text__contains=fold("karaoke"))
                .order_by("-received_at")[:30]
            ),
        ),
        ("public answers search, first page", lambda: list(selectors.published_answers("cây xanh")[:20])),
        ("figures per unit and category (ward leader)", lambda: selectors.figures(leader)),
        ("figures, last 30 days (city leader)", lambda: selectors.figures(boss, since=last30)),
        ("exact count of all reports (city leader)", lambda: selectors.reports_for(boss).count()),
        (
            "Open311 GET requests.json (90 days, <=1000)",
            lambda: open311.requests_view(factory.get("/open311/v2/requests.json"), fmt="json"),
        ),
        (
            "Open311 GET requests/<id>.json",
            lambda: open311.request_detail(factory.get("/"), sample[0], fmt="json"),
        ),
    ]
    print(f"{'query':52} {'median ms':>10} {'max ms':>10}")
    for label, fn in cases:
        median, worst = timed(fn, repeat=5 if total > 200_000 else 7)
        print(f"{label:52} {median:10.1f} {worst:10.1f}")
    # steady state: earlier sweeps already raised the reports whose thresholds passed before yesterday
    Report.objects.filter(code__startswith="PB-", deadline__lt=last30 + dt.timedelta(days=29)).exclude(
        escalation_level=2
    ).update(escalation_level=2)
    t = time.perf_counter()
    raised = services.escalate_due()
    print(f"escalation sweep: {raised} reports raised in {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
