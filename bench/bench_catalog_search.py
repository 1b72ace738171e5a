"""Catalog search benchmark: latency of ranked search over N procedures (default 5,000).

    .venv/bin/python -m bench.bench_catalog_search                 # 5,000 procedures, scratch SQLite file
    .venv/bin/python -m bench.bench_catalog_search --n 20000 --rounds 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_catalog .venv/bin/python -m bench.bench_catalog_search

The 83 real procedures are imported, then N-83 synthetic procedures are bulk-inserted whose names recombine
real wording (so the vocabulary, word frequencies and lengths look like a provincial catalog, and the real
procedures have realistic competition). Every query of the citizen query set (plain, unaccented,
misspelled, colloquial) is timed through `selectors.search` and through GET /api/v1/procedures?q=.
Printed: index build time, p50/p95/max per path, and the share of queries whose intended procedure is in
the top 3 at this size. Figures only, no assertions.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time


def _setup() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("MOTCUA_VAR_DIR", os.path.join(tempfile.gettempdir(), "motcua-bench-catalog"))
        os.makedirs(os.environ["MOTCUA_VAR_DIR"], exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fill(n: int, seed: int) -> None:
    from motcua.catalog import services
    from motcua.catalog.models import Field, Procedure, ProcedureTime
    from motcua.catalog.search import search_text_for

    services.import_file()
    existing = Procedure.objects.count()
    if existing >= n:
        return
    rng = random.Random(seed)
    real = list(Procedure.objects.filter(code__regex=r"^[123]\.").select_related("field"))
    fields = list(Field.objects.all())
    verbs = [
        "Cấp",
        "Cấp lại",
        "Cấp đổi",
        "Gia hạn",
        "Đăng ký",
        "Xác nhận",
        "Thẩm định",
        "Công nhận",
        "Điều chỉnh",
        "Thu hồi",
    ]
    objects = [
        "giấy phép",
        "chứng chỉ hành nghề",
        "giấy chứng nhận",
        "quyết định",
        "thẻ",
        "hồ sơ",
        "danh hiệu",
        "giấy xác nhận",
        "phương án",
        "báo cáo",
    ]
    targets = [
        "hoạt động dịch vụ",
        "cơ sở kinh doanh",
        "công trình",
        "tổ chức",
        "cá nhân",
        "doanh nghiệp",
        "hợp tác xã",
        "trường học",
        "cơ sở y tế",
        "phương tiện",
        "tàu cá",
        "nhà ở xã hội",
        "dự án đầu tư",
        "di tích",
        "cơ sở giáo dục nghề nghiệp",
        "người lao động nước ngoài",
        "nguồn nước",
        "khoáng sản",
        "quảng cáo",
    ]
    batch, times = [], []
    for i in range(n - existing):
        base = rng.choice(real)
        words = base.name.split()
        cut = rng.randint(2, max(2, len(words) - 1))
        name = " ".join(
            [rng.choice(verbs), rng.choice(objects), rng.choice(targets)]
            + (words[cut : cut + rng.randint(0, 6)] if rng.random() < 0.5 else [])
            + ([rng.choice(targets)] if rng.random() < 0.3 else [])
        )
        p = Procedure(
            code=f"{rng.choice('123')}.{900000 + i:06d}"[:8],
            name=name[:500],
            field=rng.choice(fields),
            result_text=rng.choice(objects).capitalize(),
            applicants=rng.choice(["Cá nhân", "Tổ chức", "Cá nhân, tổ chức"]),
        )
        p.search_text = search_text_for(p)
        batch.append(p)
    Procedure.objects.bulk_create(batch, batch_size=1000, ignore_conflicts=True)
    for p in Procedure.objects.filter(code__regex=r"^\d\.9\d{5}$").exclude(times__isnull=False).only("id"):
        times.append(
            ProcedureTime(
                procedure=p,
                channel="counter",
                value=rng.choice([1, 3, 5, 7, 10, 15, 20]),
                unit="working_days",
            )
        )
    ProcedureTime.objects.bulk_create(times, batch_size=2000)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000, help="procedures in the catalog")
    parser.add_argument("--rounds", type=int, default=10, help="passes over the query set")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    _setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from motcua.catalog import selectors
    from motcua.catalog.models import Procedure
    from motcua.catalog.search import clear_cache
    from motcua.catalog.tests.search_queries import QUERIES

    started = time.perf_counter()
    _fill(args.n, args.seed)
    total = Procedure.objects.count()
    print(
        f"catalog: {total} procedures on {connection.vendor} (filled in {time.perf_counter() - started:.1f}s)"
    )

    clear_cache()
    started = time.perf_counter()
    selectors.search("khai sinh")
    print(f"index build (first search after a change): {(time.perf_counter() - started) * 1000:.0f} ms")

    direct: list[float] = []
    hits = 0
    for round_ in range(args.rounds):
        for query, code in QUERIES:
            t0 = time.perf_counter()
            found = selectors.search(query, limit=20)
            direct.append((time.perf_counter() - t0) * 1000)
            if round_ == 0 and code in [p.code for p in found[:3]]:
                hits += 1
    client = Client()
    api: list[float] = []
    for _round in range(max(1, args.rounds // 2)):
        for query, _code in QUERIES:
            cache.clear()  # keep the anonymous throttle out of the measurement
            t0 = time.perf_counter()
            response = client.get("/api/v1/procedures", {"q": query})
            api.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
    print(f"queries: {len(QUERIES)} citizen queries x {args.rounds} rounds")
    print(
        f"selectors.search   p50 {statistics.median(direct):.2f} ms  p95 {_pct(direct, 0.95):.2f} ms  "
        f"max {max(direct):.2f} ms"
    )
    print(
        f"GET /api/v1/procedures?q=  p50 {statistics.median(api):.2f} ms  p95 {_pct(api, 0.95):.2f} ms  max {max(api):.2f} ms"
    )
    print(f"intended procedure in top 3 at {total} procedures: {hits}/{len(QUERIES)}")


if __name__ == "__main__":
    main()
