"""Fault run: dossiers submitted over HTTP while web and task workers are killed with SIGKILL, the SMS gateway and
the national portal fail, and (optionally) PostgreSQL restarts; then `motcua reconcile --drained` proves nothing
was lost, nothing duplicated, every message reached its gateway once and in order, the audit chains verify and
no task is stuck (issue 13 item 6).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_fault \\
    .venv/bin/python -m bench.fault_run --seconds 60 --clients 8 [--restart-postgres]

The platform runs as in production (MOTCUA_ENV=production, DEBUG off): gunicorn with WEB_CONCURRENCY sync
workers, TASK_WORKERS `db_worker` processes and the `periodic` scheduler, the `http-sms` adapter pointed at a
local SMS gateway (motcua.core.fakesms) and the national-portal sync pointed at the local fake portal; both
fakes deduplicate by idempotency key / message id and count what they really delivered. Clients behave as
real integrating systems do: each submission has its own Idempotency-Key and is retried with the same key
after a connection error, a timeout or a 5xx until it is acknowledged. The database is dropped and created.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def motcua(env: dict[str, str], *args: str, check: bool = True) -> str:
    done = subprocess.run([PY, "-m", "motcua", *args], env=env, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    if check and done.returncode != 0:
        raise SystemExit(f"motcua {' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    return done.stdout + done.stderr


def fresh_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class Platform:
    """gunicorn + task workers + scheduler, each restartable."""

    def __init__(self, env: dict[str, str], port: int, task_workers: int) -> None:
        self.env, self.port = env, port
        self.web = self._spawn(
            [
                PY,
                "-m",
                "gunicorn",
                "-c",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "motcua.wsgi",
            ]
        )
        self.workers = [self._worker() for _ in range(task_workers)]
        self.scheduler = self._spawn([PY, "-m", "motcua", "periodic"])

    def _spawn(self, argv: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            argv, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )  # noqa: S603

    def _worker(self) -> subprocess.Popen[bytes]:
        return self._spawn([PY, "-m", "motcua", "db_worker", "--interval", "0.2"])

    def web_workers(self) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(self.web.pid)], capture_output=True, text=True)  # noqa: S603,S607
        return [int(pid) for pid in found.stdout.split()]

    def alive(self) -> bool:
        return self.web.poll() is None

    def kill_web_worker(self) -> str:
        pids = self.web_workers()
        if not pids:
            return "no web worker to kill"
        pid = random.choice(pids)  # noqa: S311 - chaos, not cryptography
        os.kill(pid, signal.SIGKILL)
        return f"SIGKILL web worker {pid} (gunicorn starts another)"

    def kill_task_worker(self) -> str:
        index = random.randrange(len(self.workers))  # noqa: S311
        victim = self.workers[index]
        victim.kill()
        victim.wait()
        self.workers[index] = self._worker()
        return f"SIGKILL task worker {victim.pid}, restarted as {self.workers[index].pid}"

    def stop(self) -> None:
        for process in [self.web, self.scheduler, *self.workers]:
            process.terminate()
        for process in [self.web, self.scheduler, *self.workers]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_ready(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the web server did not come up")


def submit(port: int, token: str, body: dict, key: str, give_up: float) -> tuple[str | None, int]:
    """POST until acknowledged (201/200), retrying with the same key; returns (code, attempts)."""
    data = json.dumps(body).encode()
    attempts = 0
    while time.monotonic() < give_up:
        attempts += 1
        request = urllib.request.Request(  # noqa: S310 - local URL
            f"http://127.0.0.1:{port}/api/v1/dossiers/",
            data=data,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Token {token}",
                "Idempotency-Key": key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return json.loads(response.read())["code"], attempts
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                raise SystemExit(
                    f"the platform refused a valid submission: {exc.code} {exc.read()[:500]!r}"
                ) from exc
        except OSError:
            pass  # connection refused/reset, timeout: the worker died under us; retry with the same key
        time.sleep(0.2)
    return None, attempts


SAMPLE = {
    "text": "Nguyễn Văn An",
    "person": "Nguyễn Văn An",
    "address": "12 Nguyễn Thái Học, phường Cầu Ông Lãnh",
    "number": "1",
    "date": "1990-01-15",
    "personal_id": "079090001234",
}


def declaration(port: int, procedure: str) -> dict[str, str]:
    """Plausible values for the procedure's declaration, read from the public catalog API."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/procedures/{procedure}", timeout=10) as r:  # noqa: S310
        fields = json.loads(r.read())["form_fields"]
    values = {}
    for field in fields:
        if field["type"] == "attachment" or not field["required"]:
            continue
        values[field["key"]] = (
            str(field["choices"][0]) if field["choices"] else SAMPLE.get(field["type"], "Có")
        )
    return values


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60, help="how long clients submit")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument("--chaos-every", type=float, default=4.0, help="mean seconds between faults")
    parser.add_argument("--restart-postgres", action="store_true", help="restart the PostgreSQL cluster once")
    parser.add_argument("--drain-seconds", type=float, default=900)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database (it is dropped and created)")
    sys.path.insert(0, str(ROOT))
    from motcua.core.fakesms import FakeSmsGateway
    from motcua.dossiers.fakeportal import FakePortal

    sms = FakeSmsGateway(token="fault-run").start()
    portal = FakePortal().start()
    var = Path(tempfile.mkdtemp(prefix="motcua-fault-"))
    env = {
        **os.environ,
        "MOTCUA_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "MOTCUA_AUDIT_KEY": os.environ.get("MOTCUA_AUDIT_KEY") or uuid.uuid4().hex * 2,
        "MOTCUA_VAR_DIR": str(var),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MOTCUA_SMS_ADAPTER": "http-sms",
        "MOTCUA_SMS_GATEWAY_URL": sms.url,
        "MOTCUA_SMS_GATEWAY_TOKEN": "fault-run",
        "MOTCUA_EMAIL_ADAPTER": "disabled",
        "MOTCUA_ZALO_ADAPTER": "disabled",
        "MOTCUA_NATIONAL_PORTAL_URL": portal.url,
        "MOTCUA_TASK_LEASE_SECONDS": "60",
        "WEB_CONCURRENCY": str(args.web_workers),
        "DB_CONN_MAX_AGE": "60",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    log(f"fresh database, migrate, demo data (var: {var})")
    fresh_database(url)
    motcua(env, "migrate", "--noinput", "-v", "0")
    motcua(env, "seed_demo")
    setup = motcua(
        env,
        "shell",
        "-c",
        "from rest_framework.authtoken.models import Token\n"
        "from motcua.org.models import User\n"
        "print('TOKEN', Token.objects.get_or_create(user=User.objects.get(username='tiepnhan.col'))[0].key)\n",
    )
    token = next(line.split()[1] for line in setup.splitlines() if line.startswith("TOKEN"))
    body = {
        "procedure": os.environ.get("FAULT_PROCEDURE", "1.001193"),
        "receiving_unit": "26758",
        "channel": "post",
        "applicant": {
            "name": "Nguyễn Văn An",
            "personal_id": "079090001234",
            "phone": "0901234567",
            "email": "an@example.vn",
            "address": "12 Nguyễn Thái Học, phường Cầu Ông Lãnh",
        },
        "form_data": json.loads(os.environ.get("FAULT_FORM", "{}")),
    }

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            raise SystemExit(f"port {args.port} is taken: stop what runs there or pass --port")
    platform = Platform(env, args.port, args.task_workers)
    try:
        run(args, env, platform, token, body, sms, portal, var)
    finally:
        platform.stop()
        sms.stop()
        portal.stop()


def run(args, env, platform, token, body, sms, portal, var) -> None:  # noqa: ANN001, PLR0913 - the run's parts
    wait_ready(args.port)
    if not platform.alive():
        raise SystemExit("gunicorn exited at start")
    if "FAULT_FORM" not in os.environ:
        body["form_data"] = declaration(args.port, body["procedure"])
    code, _ = submit(args.port, token, body, "probe-" + uuid.uuid4().hex, time.monotonic() + 30)
    if code is None:
        raise SystemExit("the probe submission was never acknowledged")
    acks: list[dict[str, str]] = [{"key": "", "code": code}]
    lock = threading.Lock()
    stop_at = time.monotonic() + args.seconds
    retried = [0]
    unacknowledged = [0]

    def client() -> None:
        while time.monotonic() < stop_at:
            key = uuid.uuid4().hex
            code, attempts = submit(args.port, token, body, key, time.monotonic() + 120)
            with lock:
                retried[0] += attempts > 1
                if code is None:
                    unacknowledged[0] += 1
                else:
                    acks.append({"key": key, "code": code})

    events: list[str] = []

    def chaos() -> None:
        restarted = not args.restart_postgres
        while time.monotonic() < stop_at - 2:
            time.sleep(random.expovariate(1 / args.chaos_every))  # noqa: S311
            kind = random.choice(["web", "web", "task", "sms", "portal"] + ([] if restarted else ["pg"]))  # noqa: S311
            if kind == "web":
                what = platform.kill_web_worker()
            elif kind == "task":
                what = platform.kill_task_worker()
            elif kind == "sms":
                sms.fail_next(random.randint(3, 10))  # noqa: S311
                what = "SMS gateway answers 503 to the next requests"
            elif kind == "portal":
                portal.fail_next(random.randint(3, 10))  # noqa: S311
                what = "national portal answers 503 to the next requests"
            else:
                cluster = sorted(os.listdir("/etc/postgresql"))[0]
                subprocess.run(
                    ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=False
                )  # noqa: S603,S607
                restarted = True
                what = "PostgreSQL restarted"
            events.append(f"{time.strftime('%H:%M:%S')} {what}")
            log(what)

    log(f"load: {args.clients} clients for {args.seconds:.0f} s, faults every ~{args.chaos_every:.0f} s")
    threads = [threading.Thread(target=client) for _ in range(args.clients)] + [
        threading.Thread(target=chaos)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log(
        f"load over: {len(acks)} acknowledged, {retried[0]} needed a retry, {unacknowledged[0]} never acknowledged"
    )

    ack_file = var / "acknowledged.jsonl"
    ack_file.write_text("".join(json.dumps(row) + "\n" for row in acks), encoding="utf-8")
    log("draining: waiting for the outboxes to empty (the sweeps retry after backoff)")
    deadline = time.monotonic() + args.drain_seconds
    report = ""
    while time.monotonic() < deadline:
        # the scheduler enqueues the sweeps and the reaper on their periods; a late report means "not yet"
        done = subprocess.run(  # noqa: S603
            [
                PY,
                "-m",
                "motcua",
                "reconcile",
                "--drained",
                "--acknowledged",
                str(ack_file),
                "--sms-gateway",
                sms.url,
                "--portal",
                portal.url,
            ],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        report = done.stdout + done.stderr
        if done.returncode == 0:
            break
        time.sleep(15)
    print("\n--- faults injected ---")
    print("\n".join(events) or "(none)")
    print("\n--- motcua reconcile --drained ---")
    print(report.strip())
    if "reconciled:" not in report:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
