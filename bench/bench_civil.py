"""Civil status benchmark: province-wide search and extract issuance over N civil records.

    .venv/bin/python -m bench.bench_civil                          # 20,000 records, scratch SQLite file
    .venv/bin/python -m bench.bench_civil --n 1000000              # the 1,000,000-record run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_civil .venv/bin/python -m bench.bench_civil

N records (births 70 %, marriages 20 %, deaths 10 %) are bulk-inserted across the city's 168 wards with
consistent 12-digit IDs. Timed through the real code: the province-wide audited search by personal ID
(`selectors.search_records`), extract issuance at a ward other than the registering one
(`services.issue_extract`: lock, counter, signed code, audit, and the PDF with its QR), the issuance without
the PDF, public verification of the code, and a registration with its duplicate check. Figures only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time


def _setup() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("MOTCUA_VAR_DIR", os.path.join(tempfile.gettempdir(), "motcua-bench-civil"))
        os.makedirs(os.environ["MOTCUA_VAR_DIR"], exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _ms(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return (
        f"mean {statistics.mean(samples):8.2f} ms  p50 {statistics.median(samples):8.2f} ms  "
        f"p95 {p95:8.2f} ms  (n={len(samples)})"
    )


LAST = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
MIDDLE_M = ["Văn", "Minh", "Quốc", "Đức", "Hoàng", "Thanh", "Hữu"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Kim", "Mỹ", "Bích", "Phương"]
FIRST_M = ["An", "Bình", "Cường", "Dũng", "Hùng", "Khang", "Long", "Nam", "Phúc", "Quân", "Tài", "Vinh"]
FIRST_F = ["Anh", "Bích", "Chi", "Dung", "Hà", "Lan", "Mai", "Ngọc", "Oanh", "Quyên", "Trang", "Yến"]


def _name(rnd: random.Random, sex: str) -> str:
    if sex == "male":
        return f"{rnd.choice(LAST)} {rnd.choice(MIDDLE_M)} {rnd.choice(FIRST_M)}"
    return f"{rnd.choice(LAST)} {rnd.choice(MIDDLE_F)} {rnd.choice(FIRST_F)}"


def _fill(n: int) -> tuple[list[str], float]:
    from motcua.citizens.idnumber import compose
    from motcua.civil.models import BirthRecord, DeathRecord, MarriageRecord
    from motcua.org.models import Unit

    existing = BirthRecord.objects.count() + MarriageRecord.objects.count() + DeathRecord.objects.count()
    wards = list(
        Unit.objects.filter(
            province_code="79", valid_to__isnull=True, kind__in=["ward", "commune", "special_zone"]
        )
    )
    rnd = random.Random(5)
    child_ids: list[str] = []
    if existing >= n:
        child_ids = list(
            BirthRecord.objects.filter(code__startswith="BK-").values_list("child_personal_id", flat=True)[
                :2000
            ]
        )
        return child_ids, 0.0
    started = time.perf_counter()
    batch: dict[type, list] = {BirthRecord: [], MarriageRecord: [], DeathRecord: []}
    serial = 0

    def flush(force: bool = False) -> None:
        for model, rows in batch.items():
            if rows and (force or len(rows) >= 5000):
                for row in rows:
                    row.compute_name_keys()  # bulk_create skips save()
                model.objects.bulk_create(rows, batch_size=5000)
                rows.clear()

    for i in range(existing, n):
        unit = wards[i % len(wards)]
        serial += 1
        kind = i % 10
        registered = dt.date(2000, 1, 1) + dt.timedelta(days=rnd.randrange(9000))
        common = {
            "code": f"BK-{i:08d}",
            "unit": unit,
            "register_book": f"{registered.year}",
            "register_page": 1 + i % 500,
            "registered_on": registered,
            "source": "legacy",
        }
        if kind < 7:
            sex = rnd.choice(["male", "female"])
            born = registered - dt.timedelta(days=rnd.randrange(1, 60))
            pid = compose("079", born.year, sex, i % 1_000_000)
            if len(child_ids) < 2000 and i % 97 == 0:
                child_ids.append(pid)
            batch[BirthRecord].append(
                BirthRecord(
                    **common,
                    child_name=_name(rnd, sex),
                    child_personal_id=pid,
                    child_sex=sex,
                    child_date_of_birth=born,
                    place_of_birth="Thành phố Hồ Chí Minh",
                    father_name=_name(rnd, "male"),
                    mother_name=_name(rnd, "female"),
                )
            )
        elif kind < 9:
            y1, y2 = rnd.randint(1950, 1995), rnd.randint(1952, 1998)
            batch[MarriageRecord].append(
                MarriageRecord(
                    **common,
                    husband_name=_name(rnd, "male"),
                    husband_personal_id=compose("079", y1, "male", i % 1_000_000),
                    wife_name=_name(rnd, "female"),
                    wife_personal_id=compose("080", y2, "female", i % 1_000_000),
                )
            )
        else:
            y = rnd.randint(1930, 1990)
            batch[DeathRecord].append(
                DeathRecord(
                    **common,
                    deceased_name=_name(rnd, "male"),
                    deceased_personal_id=compose("001", y, "male", i % 1_000_000),
                    deceased_sex="male",
                    date_of_death=registered,
                    place_of_death=unit.name,
                )
            )
        flush()
        if (i + 1) % 100_000 == 0:
            print(f"  ... {i + 1:,} records ({time.perf_counter() - started:.0f} s)", flush=True)
    flush(force=True)
    return child_ids, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=20_000, help="civil records in the province")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    _setup()
    from motcua.civil.models import BirthRecord, ExtractCopy, MarriageRecord, RecordKind
    from motcua.civil.selectors import search_records
    from motcua.civil.services import issue_extract, register, verify_code
    from motcua.org.loader import load_province
    from motcua.org.models import Role, StaffRole, Unit, User, UserKind

    if not Unit.objects.filter(code="26758", valid_to__isnull=True).exists():
        load_province("79", with_legacy=False, with_agencies=True)
    child_ids, fill_s = _fill(args.n)
    total = BirthRecord.objects.count() + MarriageRecord.objects.count()
    if fill_s:
        print(f"bulk insert: {args.n:,} records in {fill_s:.1f} s ({args.n / fill_s:,.0f} records/s)")
    print(f"records in the province: {total:,}+ (births+marriages), sample IDs {len(child_ids)}")
    ward_a = Unit.objects.get(code="26758", valid_to__isnull=True)
    officer, _ = User.objects.get_or_create(username="bench-civil", defaults={"kind": UserKind.STAFF})
    StaffRole.objects.get_or_create(user=officer, unit=ward_a, role=Role.SPECIALIST)
    officer = User.objects.get(pk=officer.pk)
    rnd = random.Random(9)
    picks = [rnd.choice(child_ids) for _ in range(args.rounds)]

    search, issue_pdf, issue_only, verify = [], [], [], []
    records = []
    for pid in picks:
        t = time.perf_counter()
        found = search_records(officer, query=pid, purpose="Cấp bản sao trích lục (bench)", kind="birth")
        search.append((time.perf_counter() - t) * 1000)
        records.append(found[0])
    for i, record in enumerate(records):
        t = time.perf_counter()
        copy = issue_extract(
            RecordKind.BIRTH,
            record.pk,
            actor=officer,
            unit=ward_a,
            collector_name="Người nhận",
            collector_personal_id="079090001234",
            render_pdf=i % 2 == 0,
        )
        (issue_pdf if i % 2 == 0 else issue_only).append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        assert verify_code(copy.verification_code)["genuine"]
        verify.append((time.perf_counter() - t) * 1000)
    name_search = []
    for _ in range(5):
        t = time.perf_counter()
        search_records(officer, query="Nguyễn Văn Khang", purpose="bench", kind="birth")
        name_search.append((time.perf_counter() - t) * 1000)
    dup = []
    for i in range(10):
        t = time.perf_counter()
        register(
            RecordKind.BIRTH,
            unit=ward_a,
            actor=officer,
            data={
                "child_name": f"Bench Child {time.time_ns()}",
                "child_sex": "male",
                "child_date_of_birth": dt.date(2025, 1, 1 + i),
                "place_of_birth": "HCM",
                "mother_name": "Bench Mother",
            },
        )
        dup.append((time.perf_counter() - t) * 1000)
    from motcua.civil.services import active_marriages

    spouses = list(MarriageRecord.objects.values_list("wife_personal_id", flat=True)[: args.rounds])
    marriages = []
    for pid in spouses:
        t = time.perf_counter()
        list(active_marriages(pid)[:3])
        marriages.append((time.perf_counter() - t) * 1000)
    print(f"search by personal ID (province-wide, audited) {_ms(search)}")
    print(f"active marriages of a person (marital check)   {_ms(marriages)}")
    contains_search = []
    for _ in range(5):
        t = time.perf_counter()
        search_records(officer, query="Văn Khang", purpose="bench", kind="birth")
        contains_search.append((time.perf_counter() - t) * 1000)
    print(f"search by full name (folded prefix, indexed)   {_ms(name_search)}")
    print(f"search by part of a name (scan fallback)       {_ms(contains_search)}")
    print(f"issue extract copy incl. PDF + QR              {_ms(issue_pdf)}")
    print(f"issue extract copy without PDF                 {_ms(issue_only)}")
    print(f"verify QR code                                 {_ms(verify)}")
    print(f"register a birth (duplicate check, numbering)  {_ms(dup)}")
    print(f"extract copies issued so far: {ExtractCopy.objects.count():,}")


if __name__ == "__main__":
    main()
