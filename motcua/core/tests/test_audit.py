"""The audit trail is append-only and tamper-evident."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from motcua.core import audit
from motcua.core.models import AuditEntry, AuditError


def _write_some(unit_id=None):
    for i in range(5):
        audit.record(
            "test.changed",
            actor="system:test",
            object_type="x.y",
            object_id=i,
            unit_id=unit_id,
            before={"n": i},
            after={"n": i + 1, "label": "Hồ sơ"},
            purpose="kiểm thử",
        )


@pytest.mark.django_db
def test_entries_chain_and_verify_clean(capsys):
    before, _ = audit.verify()
    _write_some()
    _write_some(unit_id=42)
    checked, problems = audit.verify()
    assert checked == before + 10 and problems == []
    call_command("audit", "verify")
    assert "every chain intact" in capsys.readouterr().out


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    _write_some()
    entry = AuditEntry.objects.first()
    entry.purpose = "changed"
    with pytest.raises(AuditError):
        entry.save()
    with pytest.raises(AuditError):
        entry.delete()


@pytest.mark.django_db
def test_verify_detects_an_edited_entry():
    _write_some(unit_id=7)
    target = AuditEntry.objects.get(chain="unit:7", seq=3)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET after = %s WHERE id = %s", ['{"n": 999}', target.pk])
    checked, problems = audit.verify()
    assert [(p.seq, "edited" in p.message) for p in problems] == [(3, True)]
    with pytest.raises(CommandError):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_verify_detects_deleted_entries_in_the_middle_and_at_the_end():
    _write_some(unit_id=7)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE chain = 'unit:7' AND seq IN (2, 5)")
    _, problems = audit.verify()
    messages = " | ".join(str(p) for p in problems)
    assert "missing" in messages and "latest entries missing" in messages


@pytest.mark.django_db
def test_verify_detects_a_forged_hash_recomputed_for_one_entry():
    """Rewriting an entry AND its own hash still breaks the link from the next entry."""
    _write_some(unit_id=7)
    target = AuditEntry.objects.get(chain="unit:7", seq=2)
    target.actor_label = "someone else"
    target.hash = audit._entry_hash(audit._hashed_fields(target))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditentry SET actor_label=%s, hash=%s WHERE id=%s",
            [target.actor_label, target.hash, target.pk],
        )
    _, problems = audit.verify()
    assert any(p.seq == 3 and "link" in p.message for p in problems)


@pytest.mark.django_db
def test_record_keeps_actor_object_and_unit(desk_officer, ward_a):
    entry = audit.record("dossier.received", actor=desk_officer, obj=ward_a, unit_id=ward_a.pk, purpose="p")
    assert entry.actor_id == desk_officer.pk and entry.actor_label == desk_officer.username
    assert entry.object_type == "org.unit" and entry.object_id == str(ward_a.pk)
    assert entry.chain == f"unit:{ward_a.pk}"
    assert list(audit.history("org.unit", ward_a.pk)) == [entry]


# --- issue 11 item 12: a rewrite by someone with database access --------------------------------------------
def _plain_sha256(entry) -> str:
    """How an attacker without the key recomputes a link (the chain before it was keyed)."""
    import hashlib
    import json

    payload = json.dumps(
        audit._hashed_fields(entry), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@pytest.mark.django_db
def test_verify_catches_an_edit_with_the_whole_chain_recomputed_by_sha256():
    _write_some(unit_id=9)
    entries = list(AuditEntry.objects.filter(chain="unit:9").order_by("seq"))
    entries[1].purpose = "rewritten history"
    prev = audit.GENESIS
    with connection.cursor() as cursor:
        for entry in entries:
            entry.prev_hash = prev
            entry.hash = _plain_sha256(entry)
            cursor.execute(
                "UPDATE core_auditentry SET purpose=%s, prev_hash=%s, hash=%s WHERE id=%s",
                [entry.purpose, entry.prev_hash, entry.hash, entry.pk],
            )
            prev = entry.hash
        cursor.execute("UPDATE core_audithead SET last_hash=%s WHERE chain='unit:9'", [prev])
    _, problems = audit.verify()
    assert {p.seq for p in problems if p.chain == "unit:9"} == {1, 2, 3, 4, 5}  # every link is unkeyed
    with pytest.raises(CommandError):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_verify_catches_the_last_entry_deleted_and_the_head_fixed_after_a_checkpoint(capsys):
    _write_some(unit_id=11)
    call_command("audit", "checkpoint")
    assert "checkpoint written" in capsys.readouterr().out
    assert audit.verify()[1] == []
    fourth = AuditEntry.objects.get(chain="unit:11", seq=4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE chain='unit:11' AND seq=5")
        cursor.execute(
            "UPDATE core_audithead SET last_seq=4, last_hash=%s WHERE chain='unit:11'", [fourth.hash]
        )
    _, problems = audit.verify()
    assert [(p.chain, p.seq) for p in problems] == [("unit:11", 5)]
    assert "checkpoint" in problems[0].message


@pytest.mark.django_db
def test_a_forged_or_edited_checkpoint_is_reported():
    _write_some(unit_id=12)
    path = audit.checkpoint()
    data = path.read_text().replace('"unit:12": [5', '"unit:12": [4')
    path.write_text(data)
    _, problems = audit.verify()
    assert len(problems) == 1 and "signature invalid" in problems[0].message


@pytest.mark.django_db
def test_entries_after_the_checkpoint_still_verify_and_the_next_checkpoint_covers_them():
    _write_some(unit_id=13)
    audit.checkpoint()
    _write_some(unit_id=13)
    assert audit.verify()[1] == []
    audit.checkpoint()
    assert audit.verify()[1] == []


@pytest.mark.django_db
def test_another_key_does_not_verify_and_rekey_re_signs(settings):
    _write_some(unit_id=14)
    settings.MOTCUA_AUDIT_KEY = "another-key-" + "x" * 40
    assert any(p.chain == "unit:14" for p in audit.verify()[1])
    assert audit.rekey() >= 5
    assert audit.verify()[1] == []


def test_checkpoints_are_periodic():
    from motcua.core.periodic import periodic_tasks
    from motcua.core.tasks import audit_checkpoint

    assert any(task is audit_checkpoint for task, _seconds in periodic_tasks())


def test_production_has_no_key_file_fallback(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.PRODUCTION, settings.MOTCUA_AUDIT_KEY = True, ""
    with pytest.raises(ImproperlyConfigured):
        audit.audit_key()
