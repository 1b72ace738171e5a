"""Issue 11 item 9: every documented setting is read, through one typed layer, and a message gateway that
is not configured stops production instead of marking messages sent."""

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.core import checks, notify

ROOT = Path(__file__).resolve().parents[3]
SETTINGS_FILE = ROOT / "motcua" / "settings.py"
OPERATIONS = ROOT / "docs" / "operations.md"
PROBES = (
    "zz-probe-value",
    "4242",
    "0",
    "1",
    '{"probe": ["x"]}',
    "sqlite:////tmp/motcua-probe.sqlite3",
    "probe=1/m",  # key=value lists (MOTCUA_RATE_LIMITS)
)


def documented_variables() -> list[str]:
    """Every variable named in the settings table of docs/operations.md."""
    text = OPERATIONS.read_text()
    table = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([A-Z][A-Z0-9_]{2,})`", line.split("|")[1]))
    return sorted(names)


def _load(env: dict[str, str], cwd: Path) -> dict[str, str]:
    """Run settings.py with `env` added, in `cwd` (a probe used as a path creates its folder there)."""
    saved, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        namespace = runpy.run_path(str(SETTINGS_FILE))
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved)
    return {k: repr(v) for k, v in namespace.items() if k.isupper()}


@pytest.fixture(scope="module")
def probe_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("settings-probe")


@pytest.fixture(scope="module")
def baseline(probe_dir):
    return _load({}, probe_dir)


@pytest.mark.parametrize("variable", documented_variables())
def test_documented_setting_is_read(variable, baseline, probe_dir):
    """Setting the variable changes the settings (the probe's finding: MOTCUA_EMAIL_ADAPTER and
    MOTCUA_ZALO_ADAPTER were documented and never read)."""
    for probe in PROBES:
        try:
            loaded = _load({variable: probe}, probe_dir)
        except Exception:  # noqa: BLE001 - a typed reader refused this probe
            continue
        if loaded != baseline:
            return
    pytest.fail(f"{variable} is documented in docs/operations.md but settings.py never reads it")


def test_the_documentation_covers_every_variable_settings_reads():
    read = set(re.findall(r'env_\w+\(\s*"([A-Z][A-Z0-9_]+)"', SETTINGS_FILE.read_text()))
    assert read - set(documented_variables()) == set()


def test_the_environment_is_read_only_in_env_py():
    """No `os.environ` and no `getattr(settings, NAME, default)` outside motcua/env.py: a setting with a
    default somewhere in the code is a setting nobody can find."""
    # Not settings: a child process's environment (pg_dump), and the variable prometheus_client itself reads.
    allowed = {
        "motcua/core/backup.py": "dict(os.environ)",
        "motcua/core/metrics.py": 'os.environ.get("PROMETHEUS_',
    }
    offenders = []
    for path in (ROOT / "motcua").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "env.py":
            continue
        text = path.read_text()
        text = text.replace('os.environ.setdefault("DJANGO_SETTINGS_MODULE"', "")
        text = text.replace(allowed.get(str(path.relative_to(ROOT)), "\0"), "")
        if "os.environ" in text or "os.getenv" in text or re.search(r"getattr\(\s*settings\s*,", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.parametrize("channel", checks.CHANNELS)
def test_each_channel_uses_its_own_adapter_setting(channel, settings):
    setattr(settings, f"MOTCUA_{channel.upper()}_ADAPTER", "disabled")
    assert isinstance(notify.adapter_for(channel), notify.DisabledAdapter)
    setattr(settings, f"MOTCUA_{channel.upper()}_ADAPTER", "email")
    assert isinstance(notify.adapter_for(channel), notify.DjangoEmailAdapter)


def test_email_adapter_sends_the_message_through_django_mail(db, settings, mailoutbox):
    settings.MOTCUA_EMAIL_ADAPTER = "email"
    message = notify.queue_message(
        key="k-mail",
        channel="email",
        recipient="an@example.vn",
        body="Mã 123456",
        subject="S",
        secret="123456",
    )
    assert notify.deliver(message.pk) == "sent"
    assert mailoutbox[0].to == ["an@example.vn"] and mailoutbox[0].body == "Mã 123456"


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"MOTCUA_SMS_ADAPTER": ""}, "MOTCUA_SMS_ADAPTER is not set"),
        ({"MOTCUA_ZALO_ADAPTER": "outbox"}, "MOTCUA_ZALO_ADAPTER=outbox keeps messages on this server"),
        ({"MOTCUA_EMAIL_ADAPTER": "motcua.nowhere.Adapter"}, "no such adapter"),
        ({"MOTCUA_AUDIT_KEY": "short"}, "MOTCUA_AUDIT_KEY must be set"),
        ({"MOTCUA_DEMO_PHONE": True}, "MOTCUA_DEMO_PHONE"),
    ],
)
def test_production_refuses_an_unconfigured_gateway_or_key(settings, overrides, error):
    settings.PRODUCTION = True
    settings.MOTCUA_SMS_ADAPTER = settings.MOTCUA_EMAIL_ADAPTER = settings.MOTCUA_ZALO_ADAPTER = "disabled"
    settings.MOTCUA_AUDIT_KEY = "k" * 40
    settings.MOTCUA_DEMO_PHONE = False
    settings.MOTCUA_SIGNING_KEY, settings.MOTCUA_SIGNING_CERT = "/etc/motcua/sign.key", "/etc/motcua/sign.pem"
    assert checks.production_errors() == []
    for name, value in overrides.items():
        setattr(settings, name, value)
    assert [e.id for e in checks.production_errors() if error in e.msg] in (
        ["motcua.E001"],
        ["motcua.E002"],
        ["motcua.E003"],
    )


def test_production_process_will_not_start_without_gateways(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")},
        "MOTCUA_ENV": "production",
        "SECRET_KEY": "k" * 64,
        "ALLOWED_HOSTS": "motcua.example.gov.vn",
        "MOTCUA_VAR_DIR": str(tmp_path),
        "MOTCUA_AUDIT_KEY": "a" * 64,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "motcua", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "MOTCUA_SMS_ADAPTER is not set" in result.stderr
