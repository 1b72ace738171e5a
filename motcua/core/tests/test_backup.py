"""Backup and restore: a backup taken here restores on a fresh installation, counts match, the audit
chains verify there, and a backup that was altered, or a wrong key, or a non-empty target is refused."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from motcua.core import audit, backup
from motcua.core.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump / SQLite's backup read committed data
ROOT = Path(__file__).resolve().parents[3]
PDF = b"%PDF-1.7 giay to cong dan\n" + os.urandom(3000)
SECRET = b"\xff\xd8 anh CCCD " + os.urandom(2000)


@pytest.fixture
def key(settings):
    settings.MOTCUA_BACKUP_KEY = backup.new_key()
    return settings.MOTCUA_BACKUP_KEY


@pytest.fixture
def stored_files(settings, tmp_path):
    local = "django.core.files.storage.FileSystemStorage"
    settings.STORAGES = settings.STORAGES | {
        alias: {"BACKEND": local, "OPTIONS": {"location": str(tmp_path / part)}}
        for part, alias in backup.FILE_PARTS.items()
    }
    storages["default"].save("dossiers/2026/12/don.pdf", ContentFile(PDF))
    storages["local_secret"].save("cccd/079123456789.jpg", ContentFile(SECRET))


@pytest.fixture
def small_data(stored_files):
    for i in range(5):
        audit.record(
            "ops.test",
            actor="backup-test",
            object_type="test.thing",
            object_id=i,
            unit_id=1 + i % 2,
            after={"n": i, "ghi_chú": "Hồ sơ"},
        )


def _fresh_database_url(tmp_path):
    """A new empty database of the same engine as the one under test; dropped by the caller."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh' / 'motcua.sqlite3'}", None
    name = f"motcua_restore_{uuid.uuid4().hex[:10]}"
    db = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}", name


def _motcua(args, env):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_backup_restores_on_a_fresh_installation_and_the_audit_chains_verify(small_data, key, tmp_path):
    target = tmp_path / "backup"
    call_command("backup", str(target))
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["counts"]["core.AuditEntry"] == AuditEntry.objects.count() >= 5
    assert manifest["parts"]["media"]["files"] == 1 and manifest["parts"]["secret"]["files"] == 1
    assert ("core.0001_initial" in manifest["migrations"]) and manifest["engine"] == connection.vendor
    for part in ("database.enc", "media.enc", "secret.enc"):  # nothing readable without the key
        data = (target / part).read_bytes()
        assert PDF[:40] not in data and SECRET[:12] not in data and b"ghi_ch" not in data

    url, pg_name = _fresh_database_url(tmp_path)
    fresh = tmp_path / "fresh"
    # The audit key lives outside the database and the backup (docs/security.md): the restored
    # installation is configured with the same MOTCUA_AUDIT_KEY.
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MOTCUA_VAR_DIR": str(fresh),
        "MOTCUA_BACKUP_KEY": key,
        "MOTCUA_AUDIT_KEY": audit.audit_key().decode(),
    }
    try:
        restored = _motcua(["restore", str(target)], env)
        assert restored.returncode == 0, restored.stderr
        assert "counts match" in restored.stdout and "audit entries verify" in restored.stdout
        verified = _motcua(["audit", "verify"], env)
        assert (
            verified.returncode == 0
            and f"OK: {manifest['counts']['core.AuditEntry']} audit" in verified.stdout
        )
        assert (fresh / "media" / "dossiers/2026/12/don.pdf").read_bytes() == PDF
        assert (fresh / "secret" / "cccd/079123456789.jpg").read_bytes() == SECRET
        again = _motcua(["restore", str(target)], env)  # never over a database that has data
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        if pg_name:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def _copy(target, tmp_path, name):
    copy = tmp_path / name
    shutil.copytree(target, copy)
    return copy


def test_altered_or_foreign_backups_are_refused_before_anything_changes(small_data, key, tmp_path, settings):
    target = tmp_path / "backup"
    backup.take_backup(target)
    before = AuditEntry.objects.count()

    flipped = _copy(target, tmp_path, "flipped")
    data = bytearray((flipped / "secret.enc").read_bytes())
    data[len(data) // 2] ^= 1
    (flipped / "secret.enc").write_bytes(bytes(data))
    # the manifest re-signed to match the altered file: the authenticated encryption still catches it
    _resign(flipped, "secret", file_sha=backup.file_sha256(flipped / "secret.enc"))

    truncated = _copy(target, tmp_path, "truncated")
    (truncated / "media.enc").write_bytes((truncated / "media.enc").read_bytes()[:-20])

    edited = _copy(target, tmp_path, "edited")
    manifest = json.loads((edited / "manifest.json").read_text())
    manifest["counts"]["core.AuditEntry"] += 1
    (edited / "manifest.json").write_text(json.dumps(manifest))

    cases = [
        (flipped, key, "fails authentication"),
        (truncated, key, "media.enc: missing or its sha256 differs"),
        (edited, key, "manifest signature does not match"),
        (target, backup.new_key(), "manifest signature does not match"),
        (target, key, "the database is not empty"),  # a valid backup onto this (non-empty) database
    ]
    for source, use_key, message in cases:
        settings.MOTCUA_BACKUP_KEY = use_key
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(source))
        assert AuditEntry.objects.count() == before
        assert storages["default"].open("dossiers/2026/12/don.pdf").read() == PDF


def _resign(directory, part, file_sha):
    keys = backup.Keys.from_setting()
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["parts"][part]["encrypted_sha256"] = file_sha
    body = json.dumps(manifest).encode()
    (directory / "manifest.json").write_bytes(body)
    import hashlib
    import hmac

    (directory / "manifest.sig").write_text(hmac.new(keys.manifest, body, hashlib.sha256).hexdigest())


def test_backup_needs_a_key_and_a_new_directory(stored_files, settings, tmp_path):
    settings.MOTCUA_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="MOTCUA_BACKUP_KEY is not set"):
        call_command("backup", str(tmp_path / "b1"))
    settings.MOTCUA_BACKUP_KEY = backup.new_key()
    (tmp_path / "b2").mkdir()
    (tmp_path / "b2" / "old").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "b2"))
    assert [p.name for p in (tmp_path / "b2").iterdir()] == ["old"]
