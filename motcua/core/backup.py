"""Consistent, encrypted backups of the database and the stored files, and their restore on a fresh machine.

A backup is a directory:
- `database.enc`: PostgreSQL `pg_dump -Fc` taken in the snapshot the manifest's counts were read in,
  or on SQLite a copy made with SQLite's online backup API (counts read from that copy);
- `media.enc`, `secret.enc`: tar streams of the `default` and `local_secret` file storages;
- `manifest.json`: time, engine, sha256 and size of every part (plaintext and encrypted), counts of the key
  tables, the applied migrations; `manifest.sig`: its HMAC-SHA256, so an edited manifest is refused.

Parts are encrypted with AES-256-GCM in 1 MiB chunks (STREAM construction: the part name, the chunk number
and a last-chunk flag are authenticated, so chunks cannot be swapped, reordered or cut off). The key is
`MOTCUA_BACKUP_KEY` (32 bytes, URL-safe base64); it is never written into the backup.

The database snapshot is taken before the files are copied: a file written later is an unreferenced extra,
and files are never rewritten in place, so every file the database refers to is in the backup.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection, transaction

FORMAT = "motcua-backup/1"
MAGIC = b"MOTCUA-BK1\n"
CHUNK = 1024 * 1024
# Tables whose row counts are recorded and checked after a restore.
KEY_MODELS = [
    "org.Unit",
    "org.User",
    "catalog.Procedure",
    "dossiers.Dossier",
    "dossiers.DossierEvent",
    "feedback.Report",
    "civil.BirthRecord",
    "civil.MarriageRecord",
    "civil.DeathRecord",
    "core.AuditEntry",
    "core.OutboundMessage",
]
FILE_PARTS = {"media": "default", "secret": "local_secret"}


class BackupError(Exception):
    """A backup cannot be taken or restored; the message says why (nothing was changed)."""


# --- keys -----------------------------------------------------------------------------------


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@dataclass(frozen=True)
class Keys:
    data: bytes
    manifest: bytes

    @classmethod
    def from_setting(cls, value: str | None = None) -> Keys:
        value = settings.MOTCUA_BACKUP_KEY if value is None else value
        if not value:
            raise BackupError("MOTCUA_BACKUP_KEY is not set (make one with `motcua backup --new-key`)")
        try:
            raw = base64.urlsafe_b64decode(value.encode())
        except ValueError as exc:
            raise BackupError("MOTCUA_BACKUP_KEY is not URL-safe base64") from exc
        if len(raw) != 32:
            raise BackupError("MOTCUA_BACKUP_KEY must encode 32 bytes")
        derive = lambda label: hmac.new(raw, label, hashlib.sha256).digest()  # noqa: E731
        return cls(data=derive(b"motcua-backup-data"), manifest=derive(b"motcua-backup-manifest"))


# --- encrypted streams ------------------------------------------------------------------------


def _aad(part: str, prefix: bytes, index: int, last: bool) -> bytes:
    return MAGIC + part.encode() + prefix + struct.pack(">I?", index, last)


class EncryptingWriter(io.RawIOBase):
    """File-like sink: what is written is hashed, chunked, encrypted and appended to `path`."""

    def __init__(self, path: Path, key: bytes, part: str):
        self.path, self.part = path, part
        self.aead = AESGCM(key)
        self.prefix = os.urandom(8)
        self.out = open(path, "wb")  # noqa: SIM115 (closed in close())
        self.out.write(MAGIC + self.prefix)
        self.buffer = bytearray()
        self.index = 0
        self.size = 0
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.digest.update(data)
        self.size += len(data)
        self.buffer += data
        while len(self.buffer) > CHUNK:  # keep at least one byte back: the last chunk is flagged
            self._emit(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, last: bool) -> None:
        nonce = self.prefix + struct.pack(">I", self.index)
        sealed = self.aead.encrypt(nonce, plain, _aad(self.part, self.prefix, self.index, last))
        self.out.write(struct.pack(">I", len(sealed)) + sealed)
        self.index += 1

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self.buffer), last=True)
            self.out.close()
        super().close()

    def summary(self) -> dict:
        return {
            "file": self.path.name,
            "bytes": self.size,
            "sha256": self.digest.hexdigest(),
            "encrypted_bytes": self.path.stat().st_size,
            "encrypted_sha256": file_sha256(self.path),
        }


def decrypted_chunks(path: Path, key: bytes, part: str):
    """Yield the plaintext of `path` chunk by chunk; raise BackupError on any tampering or truncation."""
    aead = AESGCM(key)
    with open(path, "rb") as src:
        head = src.read(len(MAGIC) + 8)
        if len(head) != len(MAGIC) + 8 or not head.startswith(MAGIC):
            raise BackupError(f"{path.name}: not a motcua backup part")
        prefix = head[len(MAGIC) :]
        index = 0
        pending = src.read(4)
        while True:
            if len(pending) != 4:
                raise BackupError(f"{path.name}: cut short (no final chunk)")
            sealed = src.read(struct.unpack(">I", pending)[0])
            pending = src.read(4)
            last = not pending
            try:
                nonce = prefix + struct.pack(">I", index)
                yield aead.decrypt(nonce, sealed, _aad(part, prefix, index, last))
            except InvalidTag as exc:
                raise BackupError(
                    f"{path.name}: chunk {index} fails authentication (wrong key or altered)"
                ) from exc
            if last:
                return
            index += 1


class DecryptingReader(io.RawIOBase):
    """File-like source over `decrypted_chunks` (for tarfile's stream mode)."""

    def __init__(self, path: Path, key: bytes, part: str):
        self.chunks = decrypted_chunks(path, key, part)
        self.buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            chunk = next(self.chunks, None)
            if chunk is None:
                break
            self.buffer += chunk
        if size < 0:
            size = len(self.buffer)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as src:
        for block in iter(lambda: src.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


# --- what the manifest records ------------------------------------------------------------------


def _key_tables() -> dict[str, str]:
    tables = {}
    for label in KEY_MODELS:
        try:
            tables[label] = apps.get_model(label)._meta.db_table
        except LookupError:
            continue
    return tables


def read_state(execute) -> dict:
    """Counts of the key tables and the applied migrations, read through `execute(sql) -> rows`."""
    quote = connection.ops.quote_name
    counts = {
        label: execute(f"SELECT COUNT(*) FROM {quote(table)}")[0][0] for label, table in _key_tables().items()
    }
    migrations = sorted(f"{app}.{name}" for app, name in execute("SELECT app, name FROM django_migrations"))
    return {"counts": counts, "migrations": migrations}


def _django_execute(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for var, key in [("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")]:
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _file_storage_root(alias: str) -> Path | None:
    storage = storages[alias]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


# --- backup -----------------------------------------------------------------------------------


def _dump_postgresql(writer: EncryptingWriter) -> dict:
    """pg_dump in the same snapshot the counts are read in: the manifest describes exactly the dump."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        state = read_state(_django_execute)
        dump = subprocess.Popen(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_pg_env(),
        )
        for block in iter(lambda: dump.stdout.read(CHUNK), b""):
            writer.write(block)
        error = dump.stderr.read().decode(errors="replace")
        if dump.wait() != 0:
            raise BackupError(f"pg_dump failed: {error.strip()}")
    return state


def _dump_sqlite(writer: EncryptingWriter, workdir: Path) -> dict:
    copy_path = workdir / "database.sqlite3"
    source = sqlite3.connect(connection.settings_dict["NAME"])
    target = sqlite3.connect(copy_path)
    try:
        source.backup(target)  # online backup API: a consistent copy while others write
        state = read_state(lambda sql: target.execute(sql).fetchall())
    finally:
        target.close()
        source.close()
    with open(copy_path, "rb") as src:
        shutil.copyfileobj(src, writer, CHUNK)
    return state


def _tar_into(writer: EncryptingWriter, root: Path | None) -> None:
    with tarfile.open(fileobj=writer, mode="w|") as tar:
        if root is not None and root.exists():
            for path in sorted(root.rglob("*")):
                tar.add(path, arcname=str(path.relative_to(root)), recursive=False)


def take_backup(target: Path, key_value: str | None = None) -> dict:
    keys = Keys.from_setting(key_value)
    if connection.in_atomic_block:
        raise BackupError("take a backup outside any transaction (it opens its own snapshot)")
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: a backup goes into a new directory")
    target.mkdir(parents=True, exist_ok=True)
    try:
        return _write_backup(target, keys)
    except BaseException:
        for path in target.iterdir():  # a half-written backup must not pass for one
            path.unlink()
        raise


def _write_backup(target: Path, keys: Keys) -> dict:
    started = time.monotonic()
    parts = {}
    with tempfile.TemporaryDirectory(prefix="motcua-backup-") as workdir:
        writer = EncryptingWriter(target / "database.enc", keys.data, "database")
        with writer:
            if connection.vendor == "postgresql":
                state = _dump_postgresql(writer)
            elif connection.vendor == "sqlite":
                state = _dump_sqlite(writer, Path(workdir))
            else:
                raise BackupError(f"no backup method for {connection.vendor}")
        parts["database"] = writer.summary()
    for part, alias in FILE_PARTS.items():
        root = _file_storage_root(alias)
        writer = EncryptingWriter(target / f"{part}.enc", keys.data, part)
        with writer:
            _tar_into(writer, root)
        parts[part] = writer.summary() | {"storage": alias, "files": _count_files(root)}
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "parts": parts,
        **state,
        "duration_seconds": round(time.monotonic() - started, 2),
    }
    body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    (target / "manifest.json").write_bytes(body)
    (target / "manifest.sig").write_text(hmac.new(keys.manifest, body, hashlib.sha256).hexdigest() + "\n")
    return manifest


def _count_files(root: Path | None) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file()) if root is not None and root.exists() else 0


# --- restore ----------------------------------------------------------------------------------


def read_manifest(source: Path, keys: Keys) -> dict:
    try:
        body = (source / "manifest.json").read_bytes()
        signature = (source / "manifest.sig").read_text().strip()
    except FileNotFoundError as exc:
        raise BackupError(f"{source} has no manifest: not a motcua backup") from exc
    expected = hmac.new(keys.manifest, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature, expected):
        raise BackupError("manifest signature does not match (wrong key or edited manifest)")
    manifest = json.loads(body)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def verify_parts(source: Path, manifest: dict, keys: Keys) -> None:
    """Check every part end to end (encrypted hash, authentication, plaintext hash) before touching anything."""
    for part, info in manifest["parts"].items():
        path = source / info["file"]
        if not path.exists() or file_sha256(path) != info["encrypted_sha256"]:
            raise BackupError(f"{info['file']}: missing or its sha256 differs from the manifest")
        digest = hashlib.sha256()
        for chunk in decrypted_chunks(path, keys.data, part):
            digest.update(chunk)
        if digest.hexdigest() != info["sha256"]:
            raise BackupError(f"{info['file']}: decrypted content differs from the manifest")


def _check_empty_targets(manifest: dict) -> None:
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"backup is of {manifest['engine']}, this installation uses {connection.vendor}")
    if connection.introspection.table_names():
        raise BackupError("the database is not empty: restore goes onto a fresh database")
    for part in FILE_PARTS:
        root = _file_storage_root(manifest["parts"][part]["storage"])
        if root is not None and root.exists() and any(root.iterdir()):
            raise BackupError(f"{root} is not empty: restore goes onto an empty directory")


def _restore_database(source: Path, manifest: dict, keys: Keys) -> None:
    chunks = decrypted_chunks(source / manifest["parts"]["database"]["file"], keys.data, "database")
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        with open(name, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        return
    connection.close()
    restore = subprocess.Popen(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "-d",
            connection.settings_dict["NAME"],
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_pg_env(),
    )
    try:
        for chunk in chunks:
            restore.stdin.write(chunk)
        restore.stdin.close()
    except BrokenPipeError:
        pass
    error = restore.stderr.read().decode(errors="replace")
    if restore.wait() != 0:
        raise BackupError(f"pg_restore failed: {error.strip()}")


def _restore_files(source: Path, manifest: dict, keys: Keys) -> None:
    for part in FILE_PARTS:
        info = manifest["parts"][part]
        root = _file_storage_root(info["storage"])
        if root is None:
            raise BackupError(f"storage {info['storage']!r} is not a local directory")
        root.mkdir(parents=True, exist_ok=True)
        reader = DecryptingReader(source / info["file"], keys.data, part)
        with tarfile.open(fileobj=reader, mode="r|") as tar:
            tar.extractall(root, filter="data")  # no absolute paths, no "..", no devices


def restore_backup(source: Path, key_value: str | None = None) -> dict:
    """Verify, then restore onto an empty database and empty file storages; returns the manifest."""
    keys = Keys.from_setting(key_value)
    source = Path(source)
    manifest = read_manifest(source, keys)
    verify_parts(source, manifest, keys)
    _check_empty_targets(manifest)
    _restore_database(source, manifest, keys)
    _restore_files(source, manifest, keys)
    restored = read_state(_django_execute)
    if restored != {"counts": manifest["counts"], "migrations": manifest["migrations"]}:
        raise BackupError("restored database differs from the manifest (counts or migrations)")
    return manifest
