"""Registration with duplicate checks, changes, legacy import and the registration screen."""

import datetime as dt

import pytest
from django.urls import reverse

from motcua.civil.errors import CivilError
from motcua.civil.models import BirthRecord, ChangeKind, DeathRecord, MarriageRecord, RecordKind
from motcua.civil.services import register
from motcua.civil.tests.conftest import KHANG
from motcua.core.models import AuditEntry
from motcua.org.models import Role

COUPLE = {
    "husband_name": "Lê Văn Hùng",
    "husband_personal_id": "079085000111",
    "husband_date_of_birth": dt.date(1985, 1, 2),
    "wife_name": "Phạm Thị Lan",
    "wife_personal_id": "079199007777",
    "wife_date_of_birth": dt.date(1999, 1, 15),
}


def test_registration_numbers_book_and_page_and_is_audited(birth_at_b, ward_b):
    assert birth_at_b.code == f"KS-{ward_b.code}-{birth_at_b.registered_on.year}-000001"
    assert birth_at_b.register_book == f"KS/{birth_at_b.registered_on.year}" and birth_at_b.register_page == 1
    entry = AuditEntry.objects.get(action="civil.birth_registered")
    assert entry.unit_id == ward_b.pk and entry.after["code"] == birth_at_b.code


def test_second_registration_of_the_same_birth_is_blocked_anywhere(
    birth_at_b, specialist, ward_a, ward_b, ward_b_registrar
):
    for unit, actor in ((ward_b, ward_b_registrar), (ward_a, specialist)):
        with pytest.raises(CivilError) as exc:
            register(RecordKind.BIRTH, unit=unit, actor=actor, data=dict(KHANG))
        assert exc.value.code == "duplicate"
        assert birth_at_b.code in exc.value.message and ward_b.name in exc.value.message
    # Same child and parents without the ID (typed from an old paper) is caught too.
    without_id = dict(KHANG, child_personal_id="", child_name="nguyễn minh khang".title())
    with pytest.raises(CivilError):
        register(RecordKind.BIRTH, unit=ward_a, actor=specialist, data=without_id)
    assert BirthRecord.objects.count() == 1


def test_leader_override_with_reason(birth_at_b, ward_b, ward_b_registrar, ward_b_leader):
    with pytest.raises(CivilError) as exc:
        register(RecordKind.BIRTH, unit=ward_b, actor=ward_b_registrar, data=dict(KHANG), override_reason="x")
    assert exc.value.code == "override_not_leader"
    record = register(
        RecordKind.BIRTH,
        unit=ward_b,
        actor=ward_b_leader,
        data=dict(KHANG),
        override_reason="Đăng ký lại theo bản án số 12/2026",
    )
    assert record.override_by == ward_b_leader and BirthRecord.objects.count() == 2


def test_dates_in_the_future_are_refused(specialist, ward_a):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(CivilError) as exc:
        register(
            RecordKind.BIRTH,
            unit=ward_a,
            actor=specialist,
            data=dict(KHANG, child_personal_id="", child_date_of_birth=tomorrow),
        )
    assert "sau ngày hôm nay" in exc.value.message and BirthRecord.objects.count() == 0


def test_inconsistent_ids_are_refused(specialist, ward_a):
    with pytest.raises(CivilError) as exc:
        register(RecordKind.BIRTH, unit=ward_a, actor=specialist, data=dict(KHANG, child_sex="female"))
    assert "giới tính" in exc.value.message


def test_marriage_duplicate_and_already_married_elsewhere(specialist, ward_a, ward_b, ward_b_registrar):
    register(RecordKind.MARRIAGE, unit=ward_b, actor=ward_b_registrar, data=dict(COUPLE))
    with pytest.raises(CivilError) as same_couple:
        register(RecordKind.MARRIAGE, unit=ward_a, actor=specialist, data=dict(COUPLE))
    assert same_couple.value.code == "duplicate"
    other = dict(
        COUPLE,
        husband_name="Võ Văn Tài",
        husband_personal_id="079088000222",
        husband_date_of_birth=dt.date(1988, 3, 3),
    )
    with pytest.raises(CivilError) as bigamy:
        register(RecordKind.MARRIAGE, unit=ward_a, actor=specialist, data=other)
    assert bigamy.value.code == "already_married" and ward_b.name in bigamy.value.message
    assert MarriageRecord.objects.count() == 1


def test_divorce_note_ends_the_marriage_and_death_ends_marriages(specialist, ward_a):
    marriage = register(RecordKind.MARRIAGE, unit=ward_a, actor=specialist, data=dict(COUPLE))
    register(
        RecordKind.CHANGE,
        unit=ward_a,
        actor=specialist,
        data={
            "change_kind": ChangeKind.DIVORCE_NOTE,
            "target_code": marriage.code,
            "subject_name": "Phạm Thị Lan",
            "subject_personal_id": "079199007777",
            "decision": "Bản án ly hôn 5/2026/HNGĐ-ST",
        },
    )
    marriage.refresh_from_db()
    assert marriage.ended_reason == "divorce" and marriage.ended_on is not None
    second = register(
        RecordKind.MARRIAGE,
        unit=ward_a,
        actor=specialist,
        data=dict(
            COUPLE,
            husband_name="Võ Văn Tài",
            husband_personal_id="079088000222",
            husband_date_of_birth=dt.date(1988, 3, 3),
        ),
    )
    register(
        RecordKind.DEATH,
        unit=ward_a,
        actor=specialist,
        data={
            "deceased_name": "Võ Văn Tài",
            "deceased_personal_id": "079088000222",
            "deceased_sex": "male",
            "deceased_date_of_birth": dt.date(1988, 3, 3),
            "date_of_death": dt.date(2026, 5, 1),
            "place_of_death": "Bệnh viện Chợ Rẫy",
        },
    )
    second.refresh_from_db()
    assert second.ended_reason == "death" and second.ended_on == dt.date(2026, 5, 1)
    with pytest.raises(CivilError) as again:
        register(
            RecordKind.DEATH,
            unit=ward_a,
            actor=specialist,
            data={
                "deceased_name": "Võ Văn Tài",
                "deceased_personal_id": "079088000222",
                "deceased_sex": "male",
                "date_of_death": dt.date(2026, 5, 1),
                "place_of_death": "Chợ Rẫy",
            },
        )
    assert again.value.code == "duplicate" and DeathRecord.objects.count() == 1


def test_correction_changes_the_record_with_before_and_after(birth_at_b, ward_b, ward_b_registrar):
    change = register(
        RecordKind.CHANGE,
        unit=ward_b,
        actor=ward_b_registrar,
        data={
            "change_kind": ChangeKind.CORRECTION,
            "target_code": birth_at_b.code,
            "subject_name": "Nguyễn Minh Khang",
            "field_changed": "child_name",
            "new_value": "Nguyễn Minh Khanh",
        },
    )
    birth_at_b.refresh_from_db()
    assert birth_at_b.child_name == "Nguyễn Minh Khanh"
    change.refresh_from_db()
    assert change.old_value == "Nguyễn Minh Khang"
    entry = AuditEntry.objects.get(action="civil.birth_changed")
    assert entry.before == {"child_name": "Nguyễn Minh Khang"} and entry.after["change"] == change.code
    with pytest.raises(CivilError):
        register(
            RecordKind.CHANGE,
            unit=ward_b,
            actor=ward_b_registrar,
            data={
                "change_kind": ChangeKind.CORRECTION,
                "target_code": birth_at_b.code,
                "subject_name": "x",
                "field_changed": "child_personal_id",
                "new_value": "079224000000",
            },
        )


def test_import_csv_reports_duplicates_and_bad_rows(tmp_path, birth_at_b):
    from django.core.management import call_command

    path = tmp_path / "births.csv"
    path.write_text(
        "unit_code,child_name,child_personal_id,child_sex,child_date_of_birth,place_of_birth,mother_name,"
        "register_book,register_page,registered_on\n"
        "26761,Trần Thị Mai,,female,1998-04-02,Quận 1,Lê Thị Ba,01/1998,17,1998-04-10\n"  # old Cầu Kho code
        "26758,Nguyễn Minh Khang,079224005678,male,2024-02-20,Từ Dũ,Trần Thị Bích,,,2024-03-01\n"  # duplicate
        "26758,Không Ngày,,male,,Từ Dũ,,,,\n",  # no date of birth
        encoding="utf-8",
    )
    call_command("civil", "import-csv", "birth", str(path))
    mai = BirthRecord.objects.get(child_name="Trần Thị Mai")
    assert mai.unit.code == "26758" and mai.register_book == "01/1998" and mai.register_page == 17
    assert mai.source == "legacy" and BirthRecord.objects.count() == 2
    entry = AuditEntry.objects.get(action="civil.legacy_import")
    assert entry.after == {"kind": "birth", "created": 1, "duplicates": 1, "errors": 1}


def test_register_screen_four_callers(client, citizen, make_staff, ward_a, other_ward_specialist, specialist):
    url = reverse("civil:register", args=["birth"])
    post = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in KHANG.items()}
    assert client.post(url, post).status_code == 302 and BirthRecord.objects.count() == 0
    client.force_login(citizen)
    assert client.post(url, post).status_code == 403
    client.force_login(make_staff(Role.CLERK, ward_a))
    assert client.post(url, post).status_code == 403
    assert BirthRecord.objects.count() == 0
    client.force_login(specialist)
    response = client.post(url, post)
    record = BirthRecord.objects.get()
    assert response.status_code == 302 and record.unit == ward_a and record.registered_by == specialist
    client.force_login(other_ward_specialist)  # the same birth again at another ward: blocked, clear message
    again = client.post(url, post)
    assert again.status_code == 200 and "Đã có bản ghi khai sinh trùng" in again.content.decode()
    assert BirthRecord.objects.count() == 1


@pytest.mark.parametrize(
    "kind,field",
    [
        (RecordKind.BIRTH, "child_date_of_birth"),
        (RecordKind.MARRIAGE, "husband_date_of_birth"),
        (RecordKind.MARRIAGE, "wife_date_of_birth"),
    ],
)
def test_year_9999_is_refused_for_every_event_date(kind, field, specialist, ward_a):
    model = {RecordKind.BIRTH: BirthRecord, RecordKind.MARRIAGE: MarriageRecord}[kind]
    base = dict(KHANG, child_personal_id="") if kind == RecordKind.BIRTH else dict(COUPLE)
    if kind == RecordKind.MARRIAGE:
        base.update(husband_personal_id="", wife_personal_id="")
    with pytest.raises(CivilError) as exc:
        register(kind, unit=ward_a, actor=specialist, data=dict(base, **{field: dt.date(9999, 12, 31)}))
    assert "sau ngày hôm nay" in exc.value.message and model.objects.count() == 0


def test_a_correction_cannot_move_a_birth_into_the_future(birth_at_b, ward_b, ward_b_registrar):
    from motcua.civil.models import ChangeRecord

    with pytest.raises(CivilError) as exc:
        register(
            RecordKind.CHANGE,
            unit=ward_b,
            actor=ward_b_registrar,
            data={
                "change_kind": ChangeKind.CORRECTION,
                "target_code": birth_at_b.code,
                "subject_name": "Nguyễn Minh Khang",
                "field_changed": "child_date_of_birth",
                "new_value": "9999-12-31",
            },
        )
    assert "sau ngày hôm nay" in exc.value.message
    birth_at_b.refresh_from_db()
    assert (
        birth_at_b.child_date_of_birth == KHANG["child_date_of_birth"] and not ChangeRecord.objects.exists()
    )
