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
