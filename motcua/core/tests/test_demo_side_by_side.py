"""Two demos on two ports run side by side: each one's helper services listen on its own port + offset."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from motcua.core.demorun import DemoProcess, helper_port, plan

pytestmark = pytest.mark.slow


def test_helper_ports_follow_the_demo_port():
    helpers = [
        DemoProcess(["population_sim"], port_offset=10000, url_env="MOTCUA_TEST_UNSET_REGISTRY_URL"),
        DemoProcess(
            ["fake_national_portal"], port_offset=20000, url_env="MOTCUA_TEST_UNSET_PORTAL_URL", url_path="/x"
        ),
        DemoProcess(["periodic"]),
    ]
    first, env_first = plan(helpers, 8112)
    second, env_second = plan(helpers, 8113)
    assert [p.url for p in first] == ["http://127.0.0.1:18112", "http://127.0.0.1:28112/x", ""]
    assert env_first["MOTCUA_TEST_UNSET_PORTAL_URL"] == "http://127.0.0.1:28112/x"
    assert first[0].argv == ["population_sim", "--host", "127.0.0.1", "--port", "18112"]
    assert {p.url for p in first}.isdisjoint({p.url for p in second} - {""})
    assert env_second["MOTCUA_PUBLIC_URL"] == "http://127.0.0.1:8113" or "MOTCUA_PUBLIC_URL" in os.environ
    with pytest.raises(ValueError, match="no room"):
        helper_port(60000, 10000)


def _free_port_pair() -> int:
    """A port P with P, P+5000, P+10000 and P+20000 all free (the demo's helpers, and the same for P+1)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + 20000 > 65535:
            continue
        try:
            for candidate in (port, port + 1, port + 5000, port + 5001, port + 10000, port + 10001, port + 20000, port + 20001):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        return port
    raise RuntimeError("no free ports")


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local test servers
            return response.status, response.read()
    except OSError:
        return 0, b""


def _wait(url: str, deadline: float) -> tuple[int, bytes]:
    while time.monotonic() < deadline:
        status, body = _get(url)
        if status == 200:
            return status, body
        time.sleep(0.3)
    return 0, b""


def test_two_demos_answer_side_by_side(tmp_path: Path):
    env = {
        **os.environ,
        "MOTCUA_VAR_DIR": str(tmp_path),
        "DEBUG": "0",
        "MOTCUA_DEMO_PHONE": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    for name in ("MOTCUA_PUBLIC_URL", "MOTCUA_POPULATION_REGISTRY_URL", "MOTCUA_NATIONAL_PORTAL_URL", "PORT"):
        env.pop(name, None)
    motcua = [sys.executable, "-m", "motcua"]
    subprocess.run([*motcua, "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=300)  # noqa: S603
    first = _free_port_pair()
    ports = [first, first + 1]
    demos = [
        subprocess.Popen(  # noqa: S603
            [*motcua, "serve_demo", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for port in ports
    ]
    try:
        deadline = time.monotonic() + 180  # two demos and their simulators start at once on 2 cores
        for port in ports:
            assert _wait(f"http://127.0.0.1:{port}/healthz", deadline)[0] == 200
            status, body = _wait(f"http://127.0.0.1:{port + 10000}/health", deadline)
            assert status == 200 and json.loads(body)["status"] == "ok"
            status, body = _wait(f"http://127.0.0.1:{port + 20000}/", deadline)
            assert status == 200 and "messages" in json.loads(body)
            # DEBUG off, and the demo serves its own static files.
            status, _body = _wait(f"http://127.0.0.1:{port}/static/motcua/app.css", deadline)
            assert status == 200
        assert all(demo.poll() is None for demo in demos)
    finally:
        for demo in demos:
            demo.send_signal(signal.SIGTERM)
        logs = []
        for demo in demos:
            try:
                out, _ = demo.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(demo.pid, signal.SIGKILL)
                out, _ = demo.communicate()
            logs.append(out.decode(errors="replace"))
    for port, log in zip(ports, logs, strict=True):
        assert f"http://127.0.0.1:{port + 10000}" in log and f"http://127.0.0.1:{port + 20000}" in log
        # Every process came up on its own port (no clash, none exited). Tasks may fail on this empty
        # database; the seeded demo's start-up log is checked by hand (README).
        assert "Address already in use" not in log and "stopped:" not in log, log
