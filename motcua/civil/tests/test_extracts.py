"""A birth registered at one ward is found and its certified extract copy issued at another ward."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.civil.errors import CivilError
from motcua.civil.models import BirthRecord, ExtractCopy, RecordKind
from motcua.civil.selectors import search_records
from motcua.civil.services import issue_extract, verify_code
from motcua.core.models import AuditEntry


def test_birth_at_one_ward_extract_issued_at_another(client, birth_at_b, ward_a, ward_b, desk_officer):
    # Ward A's desk officer finds ward B's record province-wide; the search is audited with its purpose.
    found = search_records(desk_officer, query="079224005678", purpose="Cấp bản sao trích lục (2.000635)")
    assert [r.code for r in found] == [birth_at_b.code]
    search = AuditEntry.objects.get(action="civil.search")
    assert search.purpose == "Cấp bản sao trích lục (2.000635)" and search.actor_id == desk_officer.pk
    copy = issue_extract(
        RecordKind.BIRTH,
        birth_at_b.pk,
        actor=desk_officer,
        unit=ward_a,
        collector_name="Nguyễn Văn An",
        collector_personal_id="079090001234",
        purpose="Nhập học",
    )
    assert (copy.unit, copy.registering_unit, copy.copy_number, copy.fee) == (
        ward_a,
        ward_b,
        1,
        Decimal(8000),
    )
    assert copy.pdf.read(5) == b"%PDF-"
    assert BirthRecord.objects.get(pk=birth_at_b.pk).extract_count == 1
    second = issue_extract(
        RecordKind.BIRTH,
        birth_at_b.pk,
        actor=desk_officer,
        unit=ward_a,
        collector_name="Trần Thị Bích",
        collector_personal_id="079191004321",
    )
    assert second.copy_number == 2
    assert AuditEntry.objects.filter(action="civil.extract_issued", unit_id=ward_a.pk).count() == 2

    # The QR's code checks out on the public page: what a school or bank compares with the paper in hand
    # (name, date of birth, registration number and date, issuing unit), and nothing more.
    assert re.fullmatch(r"TL\d+-[0-9a-f]{20}", copy.verification_code)
    page = client.get(reverse("civil:verify", args=[copy.verification_code]))
    body = page.content.decode()
    assert page.status_code == 200 and "Giấy tờ thật" in body
    assert ward_b.name in body and ward_a.name in body and "Khai sinh".lower() in body.lower()
    assert "Nguyễn Minh Khang" in body and "20/02/2024" in body and birth_at_b.code in body
    assert "079224005678" not in body and "Trần Thị Bích" not in body and "Nguyễn Văn An" not in body


def test_tampered_codes_are_not_genuine(client, birth_at_b, ward_a, desk_officer):
    copy = issue_extract(
        RecordKind.BIRTH,
        birth_at_b.pk,
        actor=desk_officer,
        unit=ward_a,
        collector_name="Nguyễn Văn An",
        collector_personal_id="079090001234",
        render_pdf=False,
    )
    code = copy.verification_code
    prefix, signature = code.split("-")
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    other_copy = f"TL{copy.pk + 1}-{signature}"
    for bad in (f"{prefix}-{flipped}", other_copy, code.upper(), "TL1-abc", "anything"):
        assert verify_code(bad) == {"genuine": False}
        page = client.get(reverse("civil:verify", args=[bad]))
        assert page.status_code == 404 and "Không xác thực được" in page.content.decode()
    # Editing the issue data in the database also breaks the signature.
    ExtractCopy.objects.filter(pk=copy.pk).update(copy_number=7)
    assert verify_code(code) == {"genuine": False}


def test_verification_page_is_rate_limited(client, settings, birth_at_b, ward_a, desk_officer):
    from django.core.cache import cache

    cache.clear()  # the counter lives in the cache, shared with the other tests of the process
    settings.MOTCUA_RATE_LIMITS = {**settings.MOTCUA_RATE_LIMITS, "civil-verify": "3/m"}
    url = reverse("civil:verify", args=["TL1-0000000000000000000a"])
    statuses = [client.get(url).status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_collector_id_is_checked_and_nothing_changes_on_error(birth_at_b, ward_a, desk_officer):
    with pytest.raises(CivilError) as exc:
        issue_extract(
            RecordKind.BIRTH,
            birth_at_b.pk,
            actor=desk_officer,
            unit=ward_a,
            collector_name="Nguyễn Văn An",
            collector_personal_id="12345",
        )
    assert "12 chữ số" in exc.value.message
    assert ExtractCopy.objects.count() == 0 and BirthRecord.objects.get(pk=birth_at_b.pk).extract_count == 0


def test_fee_is_configurable(settings, birth_at_b, ward_a, desk_officer):
    settings.MOTCUA_EXTRACT_FEE = 10000
    copy = issue_extract(
        RecordKind.BIRTH,
        birth_at_b.pk,
        actor=desk_officer,
        unit=ward_a,
        collector_name="An",
        collector_personal_id="079090001234",
        render_pdf=False,
    )
    assert copy.fee == Decimal(10000)


def test_four_callers_issue_an_extract_through_the_screen(
    client, birth_at_b, citizen, make_staff, ward_a, desk_officer
):
    from motcua.org.models import Role

    url = reverse("civil:record", args=["birth", birth_at_b.public_id])
    post = {
        "collector_name": "Nguyễn Văn An",
        "collector_personal_id": "079090001234",
        "purpose": "Nhập học",
        "fee_collected": "on",
    }
    assert client.post(url, post).status_code == 302 and ExtractCopy.objects.count() == 0  # to the login page
    client.force_login(citizen)
    assert client.post(url, post).status_code == 403
    client.force_login(make_staff(Role.CLERK, ward_a))  # staff, but no civil status role
    assert client.post(url, post).status_code == 403
    assert ExtractCopy.objects.count() == 0
    client.force_login(desk_officer)  # another ward than the registering one: allowed (Arts 63-64)
    response = client.post(url, post)
    copy = ExtractCopy.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "civil:extract", args=[copy.public_id]
    )
    assert copy.unit == ward_a
    pdf = client.get(reverse("civil:extract_pdf", args=[copy.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_search_screen_is_province_wide_and_needs_a_purpose(client, birth_at_b, desk_officer):
    client.force_login(desk_officer)
    page = client.get(reverse("civil:index"), {"q": "Khang", "kind": "", "purpose": "Cấp bản sao"})
    assert birth_at_b.code in page.content.decode()
    without = client.get(reverse("civil:index"), {"q": "Khang", "kind": "", "purpose": ""})
    assert birth_at_b.code not in without.content.decode()


def test_verification_api(client, birth_at_b, ward_a, desk_officer):
    from django.core.cache import cache

    cache.clear()
    copy = issue_extract(
        RecordKind.BIRTH,
        birth_at_b.pk,
        actor=desk_officer,
        unit=ward_a,
        collector_name="An",
        collector_personal_id="079090001234",
        render_pdf=False,
    )
    ok = client.get(f"/api/v1/civil/verify/{copy.verification_code}/")
    assert ok.status_code == 200
    assert ok.json() == {
        "genuine": True,
        "document": "extract",
        "record_kind": "Khai sinh",
        "registering_unit": "Phường Sài Gòn",
        "issuing_unit": "Phường Cầu Ông Lãnh",
        "issued_on": timezone.localtime(copy.issued_at).date().isoformat(),
        "copy_number": 1,
        "persons": [{"name": "Nguyễn Minh Khang", "date_of_birth": "2024-02-20"}],
        "registered_on": birth_at_b.registered_on.isoformat(),
    }
    last = copy.verification_code[-1]
    bad = client.get(f"/api/v1/civil/verify/{copy.verification_code[:-1]}{'1' if last == '0' else '0'}/")
    assert bad.status_code == 404 and bad.json() == {"genuine": False}


def test_name_search_by_folded_prefix_and_by_any_part(birth_at_b, desk_officer):
    assert BirthRecord.objects.get(pk=birth_at_b.pk).name_key == "nguyen minh khang"
    for query in ("nguyen minh khang", "Nguyễn Minh", "NGUYỄN MINH KHANG", "Khang"):
        found = search_records(desk_officer, query=query, purpose="Cấp bản sao")
        assert [r.code for r in found] == [birth_at_b.code], query
    assert search_records(desk_officer, query="Trần Minh", purpose="Cấp bản sao") == []


def test_record_urls_use_public_ids_and_old_integer_urls_are_gone(client, birth_at_b, make_staff):
    from motcua.org.models import Role

    client.force_login(make_staff(Role.DESK_OFFICER, birth_at_b.unit))
    assert client.get(f"/staff/civil/records/birth/{birth_at_b.pk}/").status_code == 404
    assert client.get(reverse("civil:record", args=["birth", birth_at_b.public_id])).status_code == 200
    for pk in range(birth_at_b.pk - 2, birth_at_b.pk + 3):  # nothing to walk by counting
        assert client.get(f"/staff/civil/extracts/{pk}/").status_code == 404


def test_cross_unit_reads_need_a_purpose_are_audited_and_capped(client, settings, birth_at_b, desk_officer):
    from motcua.core.models import AuditEntry

    url = reverse("civil:record", args=["birth", birth_at_b.public_id])
    client.force_login(desk_officer)  # ward A; the record is ward B's
    audits = AuditEntry.objects.count()
    refused = client.get(url)
    assert refused.status_code == 400 and "mục đích" in refused.content.decode()
    assert AuditEntry.objects.count() == audits
    assert client.get(url, {"purpose": "Cấp bản sao cho người yêu cầu"}).status_code == 200
    entry = AuditEntry.objects.latest("id")
    assert (
        entry.action == "civil.record_viewed_cross_unit" and entry.purpose == "Cấp bản sao cho người yêu cầu"
    )
    assert entry.after["registering_unit"] == birth_at_b.unit_id
    settings.MOTCUA_CROSS_UNIT_READS_PER_DAY = 1
    capped = client.get(url, {"purpose": "Cấp bản sao"})
    assert capped.status_code == 429 and "tối đa" in capped.content.decode()
    assert AuditEntry.objects.filter(action="civil.record_viewed_cross_unit").count() == 1


def test_extract_pdf_carries_a_pades_signature_that_verifies(
    birth_at_b, ward_a, desk_officer, settings, tmp_path
):
    from motcua.core import pdfsign

    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    copy = issue_extract(
        RecordKind.BIRTH,
        birth_at_b.pk,
        unit=ward_a,
        actor=desk_officer,
        collector_name="Trần Thị Bích",
        collector_personal_id="079191004321",
        render_pdf=True,
    )
    with copy.pdf.open("rb") as fh:
        signed = fh.read()
    check = pdfsign.verify_pdf(signed)
    assert check.valid and ward_a.name in pdfsign.signed_name(signed)
    tampered = signed.replace(b"/Type /Page", b"/Type /Pagf", 1)
    assert not pdfsign.verify_pdf(tampered).valid
