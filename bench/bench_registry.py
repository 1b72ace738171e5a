"""Population registry connector benchmark: look-up latency through the connector at N simulated citizens.

    .venv/bin/python -m bench.bench_registry                       # 10,000 citizens, 300 look-ups
    .venv/bin/python -m bench.bench_registry --n 1000000 --lookups 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_registry .venv/bin/python -m bench.bench_registry

The simulator is started in a thread (population generated lazily from the ID, so its start-up cost and
memory do not grow with N). Timed: a raw HTTP call to the simulator (the floor), a counter look-up (an
intake session opened, then `lookup_person` bound to it) for a desk officer (identity + residence: 2 calls,
2 hash-chained log entries) and for a specialist (4 services), a
look-up of an unknown ID, and the time to give up when the registry is slower than the timeout or down.
Also: `verify-log` over everything written. Figures only, no assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time


def _setup() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("MOTCUA_VAR_DIR", os.path.join(tempfile.gettempdir(), "motcua-bench-registry"))
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
        f"mean {statistics.mean(samples):7.2f} ms  p50 {statistics.median(samples):7.2f} ms  "
        f"p95 {p95:7.2f} ms  max {samples[-1]:7.2f} ms  (n={len(samples)})"
    )


def _staff(role: str):
    from motcua.org.loader import load_province
    from motcua.org.models import StaffRole, Unit, User, UserKind

    if not Unit.objects.filter(code="26758", valid_to__isnull=True).exists():
        load_province("79", with_legacy=False, with_agencies=True)
    unit = Unit.objects.get(code="26758", valid_to__isnull=True)
    user, _ = User.objects.get_or_create(username=f"bench-{role}", defaults={"kind": UserKind.STAFF})
    StaffRole.objects.get_or_create(user=user, unit=unit, role=role)
    return User.objects.get(pk=user.pk)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="simulated citizens (1,000 to 1,000,000)")
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    _setup()
    import requests
    from django.conf import settings

    from motcua.citizens.services import lookup_person, open_intake_session, verify_log
    from motcua.citizens.simulator import start_in_thread

    started = time.perf_counter()
    server, _thread = start_in_thread(size=args.n, seed=args.seed)
    boot = time.perf_counter() - started
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.MOTCUA_POPULATION_REGISTRY_URL = base
    settings.MOTCUA_REGISTRY_TIMEOUT = 1.0
    settings.MOTCUA_REGISTRY_INTAKE_PER_DAY = 10**9  # a benchmark, not an officer

    def counter_lookup(pid: str, actor):
        """A counter look-up as the screen makes it: an intake session for the person, then the look-up."""
        session = open_intake_session(
            actor, unit=actor.primary_unit, procedure_code="1.001193", personal_id=pid
        )
        return lookup_person(pid, actor=actor, intake_session=str(session.public_id))

    population = server.population
    rnd = random.Random(1)
    ids = [population.person(rnd.randrange(args.n)).personal_id for _ in range(args.lookups)]
    print(f"population registry simulator: {args.n:,} citizens, started in {boot * 1000:.0f} ms")

    session = requests.Session()
    session.trust_env = False
    raw = []
    for pid in ids:
        t = time.perf_counter()
        session.post(
            f"{base}/services/identity",
            data=json.dumps({"personal_id": pid}),
            headers={"X-Road-Client": "VN/GOV/79/bench", "X-Road-Purpose": "bench"},
        ).raise_for_status()
        raw.append((time.perf_counter() - t) * 1000)
    print(f"raw HTTP identity call          {_ms(raw)}")

    desk, specialist = _staff("desk_officer"), _staff("specialist")
    for label, actor in (
        ("lookup_person desk officer (2)", desk),
        ("lookup_person specialist (4)", specialist),
    ):
        samples = []
        for pid in ids:
            t = time.perf_counter()
            result = counter_lookup(pid, actor)
            samples.append((time.perf_counter() - t) * 1000)
            assert result.ok, result.error
        print(f"{label:<31} {_ms(samples)}")
    missing = []
    for i in range(min(50, args.lookups)):
        t = time.perf_counter()
        counter_lookup(f"079090{900000 + i:06d}", desk)
        missing.append((time.perf_counter() - t) * 1000)
    print(f"unknown ID (not found)          {_ms(missing)}")
    for label, faults in (
        ("registry slower than timeout", {"latency_ms": 3000}),
        ("registry down (503)", {"down": True}),
    ):
        server.faults.update({"latency_ms": 0, "down": False, **faults})
        samples = []
        for pid in ids[:5]:
            t = time.perf_counter()
            result = counter_lookup(pid, desk)
            samples.append((time.perf_counter() - t) * 1000)
            assert not result.ok
        print(f"{label:<31} {_ms(samples)}  -> {result.code}")
    server.faults.update({"latency_ms": 0, "down": False})
    t = time.perf_counter()
    checked, problems = verify_log()
    print(
        f"verify-log: {checked:,} entries in {(time.perf_counter() - t) * 1000:.0f} ms, {len(problems)} problems"
    )
    server.shutdown()


if __name__ == "__main__":
    main()
