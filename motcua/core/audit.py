"""The audit trail: append-only entries chained by HMAC-SHA256, one chain per unit.

Every service function that changes state calls `record()` inside its transaction. Editing or deleting
a past entry (even with raw SQL) breaks the chain, which `motcua audit verify` reports.

Someone with write access to the database could still rewrite history if the chain were a plain hash:
edit an entry and recompute every later hash, or delete the last entries and move the head back. So:
- each link is an HMAC keyed with `MOTCUA_AUDIT_KEY`, which lives outside the database (environment or
  secret store; development and the demo generate one into VAR_DIR/audit.key): without the key a
  recomputed chain does not verify;
- the heads of every chain are anchored outside the database: `checkpoint()` (the periodic task and
  `motcua audit checkpoint`) writes a signed file of (chain, last seq, last hash) under
  MOTCUA_AUDIT_CHECKPOINT_DIR, and `verify()` checks the newest checkpoint against the table, so entries
  deleted from the end are found even when the head row was "fixed" to match.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from motcua.core.clientip import current_client_ip
from motcua.core.models import AuditEntry, AuditHead

SYSTEM_CHAIN = "system"
GENESIS = "0" * 64


def _normalise(value: Any) -> Any:
    """Round-trip through JSON so that what is hashed is exactly what the database returns."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


@functools.cache
def _key_for(configured: str, var_dir: str, production: bool) -> bytes:
    if configured:
        return configured.encode("utf-8")
    if production:
        raise ImproperlyConfigured("MOTCUA_AUDIT_KEY must be set when MOTCUA_ENV=production")
    path = Path(var_dir) / "audit.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode("utf-8")


def audit_key() -> bytes:
    """The chain key: MOTCUA_AUDIT_KEY, or (outside production) the local key file."""
    return _key_for(settings.MOTCUA_AUDIT_KEY, str(settings.VAR_DIR), settings.PRODUCTION)


def keyed_digest(payload: bytes, purpose: str = "chain") -> str:
    """HMAC-SHA256 of `payload` under the audit key (one sub-key per purpose). Other append-only logs
    (the registry message log) chain with this too."""
    key = hmac.new(audit_key(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def _entry_hash(fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return keyed_digest(payload.encode("utf-8"))


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "chain": entry.chain,
        "seq": entry.seq,
        "at": entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "unit_id": entry.unit_id,
        "before": entry.before,
        "after": entry.after,
        "purpose": entry.purpose,
        "prev_hash": entry.prev_hash,
        # Only when known, so entries written before the field existed keep their hashes.
        **({"client_ip": entry.client_ip} if entry.client_ip else {}),
    }


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, str(actor) if isinstance(actor, str) else "anonymous"
    return actor.pk, actor.get_username()


def record(
    action: str,
    *,
    actor: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    unit_id: int | None = None,
    before: Any = None,
    after: Any = None,
    purpose: str = "",
) -> AuditEntry:
    """Append one entry. `actor` is a user, a system label string, or None."""
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or obj.pk
        if unit_id is None:
            unit_id = getattr(obj, "unit_id", None)
    chain = f"unit:{unit_id}" if unit_id else SYSTEM_CHAIN
    actor_id, actor_label = _actor_fields(actor)
    # No savepoint: inside the caller's transaction a failure here fails the whole action anyway.
    with transaction.atomic(savepoint=False):
        seq, prev_hash = _advance_head(chain)
        entry = AuditEntry(
            chain=chain,
            seq=seq,
            at=timezone.now(),
            actor_id=actor_id,
            actor_label=actor_label[:200],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            unit_id=unit_id,
            before=_normalise(before),
            after=_normalise(after),
            purpose=purpose[:500],
            client_ip=current_client_ip() or None,
            prev_hash=prev_hash or GENESIS,
        )
        entry.hash = _entry_hash(_hashed_fields(entry))
        _append(entry)
    return entry


def _advance_head(chain: str) -> tuple[int, str]:
    """Create or bump the chain head in one statement; returns (this entry's seq, previous hash).

    The upsert takes the head row's lock until the transaction ends, so appends to one chain are
    serialised; a concurrent append waits and then sees the committed head (PostgreSQL re-evaluates
    ON CONFLICT DO UPDATE against the latest row version; SQLite has a single writer).
    """
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    sql = (
        f"INSERT INTO {table} (chain, last_seq, last_hash) VALUES (%s, 1, '') "
        f"ON CONFLICT (chain) DO UPDATE SET last_seq = {table}.last_seq + 1 RETURNING last_seq, last_hash"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [chain])
        seq, last_hash = cursor.fetchone()
    return int(seq), last_hash


def _append(entry: AuditEntry) -> None:
    """Insert the entry and move the head's hash to it (one statement on PostgreSQL)."""
    head = connection.ops.quote_name(AuditHead._meta.db_table)
    if connection.vendor != "postgresql":
        entry.save()
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {head} SET last_hash = %s WHERE chain = %s", [entry.hash, entry.chain])
        return
    quote = connection.ops.quote_name
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(entry, True), connection) for f in fields]
    sql = (
        f"WITH head AS (UPDATE {head} SET last_hash = %s WHERE chain = %s) "
        f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [entry.hash, entry.chain, *values])
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False
    entry._state.db = connection.alias


@dataclass
class Problem:
    chain: str
    seq: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq}: {self.message}"


def verify(batch_size: int = 5000) -> tuple[int, list[Problem]]:
    """Recompute every chain and check it against the newest checkpoint.

    Returns (entries checked, problems found)."""
    problems: list[Problem] = []
    checked = 0
    heads = {h.chain: h for h in AuditHead.objects.all()}
    chains = set(heads) | set(AuditEntry.objects.values_list("chain", flat=True).distinct())
    for chain in sorted(chains):
        expected_prev = GENESIS
        expected_seq = 1
        last_seq = 0
        for entry in AuditEntry.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=batch_size):
            checked += 1
            if entry.seq != expected_seq:
                problems.append(Problem(chain, expected_seq, "entry missing (deleted?)"))
            if entry.prev_hash != expected_prev:
                problems.append(Problem(chain, entry.seq, "link to the previous entry is broken"))
            if _entry_hash(_hashed_fields(entry)) != entry.hash:
                problems.append(Problem(chain, entry.seq, "content does not match its hash (edited?)"))
            expected_prev = entry.hash
            expected_seq = entry.seq + 1
            last_seq = entry.seq
        head = heads.get(chain)
        if head is None:
            problems.append(Problem(chain, None, "chain head missing"))
        elif head.last_seq != last_seq or (head.last_seq and head.last_hash != expected_prev):
            problems.append(Problem(chain, head.last_seq, "latest entries missing (deleted at the end?)"))
    problems.extend(_check_checkpoint())
    return checked, problems


# --- checkpoints: the heads anchored outside the database ---------------------------------------------------
def checkpoint_dir() -> Path:
    return Path(settings.MOTCUA_AUDIT_CHECKPOINT_DIR)


def _signed(body: dict[str, Any]) -> str:
    return keyed_digest(json.dumps(body, sort_keys=True, separators=(",", ":")).encode(), "checkpoint")


def checkpoint() -> Path:
    """Write the current head of every chain to a new signed checkpoint file; returns its path.

    Files are never rewritten (one per run, named by time), so a copy shipped elsewhere or a write-once
    directory keeps every anchor.
    """
    at = timezone.now()
    heads = {h.chain: [h.last_seq, h.last_hash] for h in AuditHead.objects.order_by("chain")}
    body = {"at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"), "heads": heads}
    folder = checkpoint_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"audit-{at.astimezone(dt.UTC):%Y%m%dT%H%M%S%fZ}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({**body, "signature": _signed(body)}, sort_keys=True))
    tmp.replace(path)
    return path


def latest_checkpoint() -> Path | None:
    files = sorted(checkpoint_dir().glob("audit-*.json")) if checkpoint_dir().is_dir() else []
    return files[-1] if files else None


def _check_checkpoint() -> list[Problem]:
    """The newest checkpoint must be genuine, and every head it anchored must still be in the table,
    unchanged (its seq with its hash) and not behind it."""
    path = latest_checkpoint()
    if path is None:
        return []
    try:
        data = json.loads(path.read_text())
        body = {"at": data["at"], "heads": data["heads"]}
        genuine = hmac.compare_digest(str(data["signature"]), _signed(body))
    except (ValueError, KeyError, TypeError):
        genuine = False
    if not genuine:
        return [Problem("checkpoint", None, f"{path.name}: signature invalid (checkpoint forged or damaged)")]
    problems = []
    anchored = body["heads"]
    found = {
        (e.chain, e.seq): e.hash
        for chain, (seq, _hash) in anchored.items()
        for e in AuditEntry.objects.filter(chain=chain, seq=seq).only("chain", "seq", "hash")
    }
    heads = dict(AuditHead.objects.values_list("chain", "last_seq"))
    for chain, (seq, last_hash) in sorted(anchored.items()):
        if not seq:
            continue
        if found.get((chain, seq)) != last_hash or heads.get(chain, 0) < seq:
            problems.append(
                Problem(chain, seq, f"entry anchored by checkpoint {path.name} is gone or changed")
            )
    return problems


def rekey() -> int:
    """Recompute every link with the current key (one-off, after introducing or rotating the key).

    Run only on a trail that `verify` found intact under the previous key: it re-signs what is there.
    """
    count = 0
    with transaction.atomic():
        for chain in AuditEntry.objects.values_list("chain", flat=True).distinct().order_by("chain"):
            prev = GENESIS
            for entry in AuditEntry.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=5000):
                entry.prev_hash = prev
                entry.hash = _entry_hash(_hashed_fields(entry))
                AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, hash=entry.hash)
                prev = entry.hash
                count += 1
            AuditHead.objects.filter(chain=chain).update(last_hash=prev)
    return count


def history(object_type: str, object_id: str | int):
    return AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("at", "id")
