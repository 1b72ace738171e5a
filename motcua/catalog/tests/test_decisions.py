import datetime as dt

import pytest

from motcua.catalog import selectors, services
from motcua.catalog.errors import CatalogError
from motcua.catalog.models import DecisionEffectKind, ProcedureStatus
from motcua.core.models import AuditEntry
from motcua.org.models import Role


@pytest.fixture
def old_and_new(make_procedure):
    old = make_procedure(
        "9.000001",
        "Thủ tục cũ về cấp giấy",
        requirements=[[1, "Đơn đề nghị", "submit", 1, 0, "1 bản chính", "", True]],
    )
    new = make_procedure("9.000002", "Thủ tục mới về cấp giấy")
    gone = make_procedure("9.000003", "Thủ tục bị bãi bỏ")
    return old, new, gone


def test_replacing_through_a_decision_keeps_history_and_points_to_successor(old_and_new, province, client):
    old, new, gone = old_and_new
    decision = services.record_decision(
        actor="test",
        number="10/QĐ-UBND",
        date=dt.date(2026, 5, 4),
        issuer="UBND Thành phố",
        unit=province,
        effects=[
            (old, DecisionEffectKind.REPLACED, new),
            (gone, DecisionEffectKind.ABOLISHED, None),
            (new, DecisionEffectKind.NEW, None),
        ],
    )
    services.apply_decision(decision, actor="test")

    old.refresh_from_db()
    gone.refresh_from_db()
    assert old.status == ProcedureStatus.REPLACED and old.successor == new
    assert gone.status == ProcedureStatus.ABOLISHED
    assert [r.name for r in old.requirements.all()] == ["Đơn đề nghị"]  # nothing deleted
    assert [e.decision.number for e in selectors.history(old)] == ["10/QĐ-UBND"]
    assert [e.procedure.code for e in selectors.history(new)] == ["9.000001", "9.000002"]
    with pytest.raises(CatalogError) as exc:
        selectors.ensure_can_receive(old)
    assert exc.value.code == "procedure_replaced" and "9.000002" in exc.value.message
    with pytest.raises(CatalogError) as exc:
        selectors.ensure_can_receive(gone)
    assert exc.value.code == "procedure_abolished"
    selectors.ensure_can_receive(new)
    assert old not in selectors.search("thu tuc cu ve cap giay")
    assert AuditEntry.objects.filter(action="catalog.decision_applied").count() == 1

    detail = client.get("/api/v1/procedures/9.000001").json()
    assert detail["status"] == "replaced" and detail["successor"] == "9.000002"
    assert detail["submit_url"] is None
    assert detail["history"][0]["effect"] == "replaced"
    page = client.get("/thu-tuc/9.000001/").content.decode()
    assert "Thủ tục này đã được thay thế" in page and "/thu-tuc/9.000002/" in page


def test_a_decision_applies_once(old_and_new):
    old, new, _gone = old_and_new
    decision = services.record_decision(
        actor="test",
        number="11/QĐ-UBND",
        date=dt.date(2026, 5, 4),
        issuer="UBND",
        effects=[(old, DecisionEffectKind.ABOLISHED, None)],
    )
    services.apply_decision(decision, actor="test")
    with pytest.raises(CatalogError) as exc:
        services.apply_decision(decision, actor="test")
    assert exc.value.code == "decision_applied"


def test_replacement_needs_a_successor(old_and_new):
    old, _new, _gone = old_and_new
    with pytest.raises(CatalogError) as exc:
        services.record_decision(
            actor="test",
            number="12/QĐ-UBND",
            date=dt.date(2026, 5, 4),
            issuer="UBND",
            effects=[(old, DecisionEffectKind.REPLACED, None)],
        )
    assert exc.value.code == "successor_required"


def test_only_administrators_apply_decisions(old_and_new, make_staff, ward_a, province):
    old, new, _gone = old_and_new
    decision = services.record_decision(
        actor="test",
        number="13/QĐ-UBND",
        date=dt.date(2026, 5, 4),
        issuer="UBND",
        effects=[(old, DecisionEffectKind.REPLACED, new)],
    )
    desk = make_staff(Role.DESK_OFFICER, ward_a)
    with pytest.raises(CatalogError) as exc:
        services.apply_decision(decision, actor=desk)
    assert exc.value.code == "forbidden"
    old.refresh_from_db()
    assert old.status == ProcedureStatus.ACTIVE
    services.apply_decision(decision, actor=make_staff(Role.PROVINCE_ADMIN, province))
    old.refresh_from_db()
    assert old.status == ProcedureStatus.REPLACED
