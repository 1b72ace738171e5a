import json

import pytest
from django.core.management import call_command

from motcua.catalog import selectors, services
from motcua.catalog.errors import CatalogError
from motcua.catalog.models import Channel, Procedure, RequirementKind
from motcua.catalog.snapshots import procedure_snapshot
from motcua.core.calendar import LegalTimeUnit
from motcua.core.models import AuditEntry


def _all_snapshots():
    return {p.code: procedure_snapshot(p) for p in Procedure.objects.all()}


def test_import_gives_83_procedures_and_a_second_import_changes_nothing(db):
    first = services.import_file()
    assert first == {"created": 83, "updated": 0, "unchanged": 0}
    assert Procedure.objects.count() == 83
    before = _all_snapshots()
    audits = AuditEntry.objects.count()

    second = services.import_file()

    assert second == {"created": 0, "updated": 0, "unchanged": 83}
    assert AuditEntry.objects.count() == audits
    assert _all_snapshots() == before


def test_management_command_imports_a_given_path(db, tmp_path, capsys):
    path = tmp_path / "procedures.json"
    data = json.loads(services.DEFAULT_DATA.read_text(encoding="utf-8"))
    data["procedures"] = data["procedures"][:3]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("catalog", "import", str(path))
    assert "3 created" in capsys.readouterr().out
    assert Procedure.objects.count() == 3


def test_bare_numbers_are_working_days_flagged_for_review(imported):
    birth = selectors.get_procedure("1.001193")
    assert birth.needs_review is True
    assert "ngày làm việc" in birth.review_note
    assert selectors.legal_time(birth) == (1, LegalTimeUnit.WORKING_DAYS)
    guardianship = selectors.get_procedure("1.004837")  # "3 Ngày làm việc": unit present
    assert guardianship.needs_review is False
    assert selectors.legal_time(guardianship) == (3, LegalTimeUnit.WORKING_DAYS)
    stay = selectors.get_procedure("2.001159")  # "1 Giờ"
    assert selectors.legal_time(stay, "online") == (1, LegalTimeUnit.HOURS)
    land = selectors.get_procedure("1.013978")  # per channel: 17 online, 20 post, 27 counter
    assert selectors.legal_time(land, Channel.ONLINE)[0] == 17
    assert selectors.legal_time(land, Channel.COUNTER)[0] == 27
    flagged = Procedure.objects.filter(needs_review=True).count()
    assert 0 < flagged < 83


def test_papers_fees_and_details_are_parsed(imported):
    birth = selectors.get_procedure("1.001193")
    papers = list(selectors.papers(birth))
    # the identity paper is shown; the residence paper is read from the population registry
    assert [p.kind for p in papers].count(RequirementKind.SHOW) == 1
    assert [p.kind for p in papers].count(RequirementKind.REGISTRY) == 1
    certificate = next(p for p in papers if p.name.startswith("Giấy chứng sinh"))
    assert certificate.kind == RequirementKind.SUBMIT and certificate.quantity_original == 1
    assert certificate.required is True
    abandoned = next(p for p in papers if p.name.startswith("Trường hợp trẻ em bị bỏ rơi"))
    # needed only in its case: asked, not required of everyone
    assert abandoned.required is True and abandoned.condition == "Trường hợp trẻ em bị bỏ rơi"
    assert birth.field.name == "Hộ tịch" and birth.competent_level == "commune"
    assert "123/2015/NĐ-CP" in birth.legal_basis_list()
    extract = selectors.get_procedure("2.000635")
    assert {f.amount for f in extract.fees.all()} == {8000}
    copy = selectors.get_procedure("2.000815")
    assert sorted((f.amount, f.description) for f in copy.fees.all())[1] == (2000, "/trang")


def test_bad_file_is_refused_and_nothing_changes(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        services.import_file(path)
    assert exc.value.code == "import_file"
    assert Procedure.objects.count() == 0


def test_reviewed_values_survive_a_reimport(imported):
    birth = selectors.get_procedure("1.001193")
    services.update_procedure(
        birth,
        actor="test",
        needs_review=False,
        review_note="Đã rà soát",
        time_value="0.00",
        time_unit="same_day",
        times=[["counter", "0.00", "same_day", "Luật Hộ tịch Điều 16"]],
    )
    counts = services.import_file()
    birth.refresh_from_db()
    assert counts["updated"] == 0
    assert birth.needs_review is False
    assert selectors.legal_time(birth) == (0, LegalTimeUnit.SAME_DAY)


def test_officials_online_level_survives_a_reimport(imported):
    birth = selectors.get_procedure("1.001193")
    services.update_procedure(birth, actor="test", online_level="full")
    services.import_file()
    birth.refresh_from_db()
    assert birth.online_level == "full"
