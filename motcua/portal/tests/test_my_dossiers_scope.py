""" "My dossiers" is the citizen's own dossiers: filed from the account, or naming the citizen's verified
personal ID as applicant or person concerned, from every channel (counter included), and nothing else;
pages and filters; the refusal reason; a fee due with its amount and how to pay (issue 12 item 6)."""

import pytest

from motcua.catalog.models import Fee, FormField
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import DossierPerson
from motcua.dossiers.tests.conftest import APPLICANT, files_for, make_procedure

pytestmark = pytest.mark.django_db

MINE = "079090001234"
OTHER = "079191004321"


@pytest.fixture
def procedure():
    procedure = make_procedure("1.990066", name="Đăng ký khai sinh (thử)")
    FormField.objects.create(
        procedure=procedure,
        order=4,
        key="me_so_dinh_danh",
        label="Số định danh của mẹ",
        field_type="personal_id",
        required=False,
        registry_field="mother_id",
    )
    Fee.objects.create(procedure=procedure, channel="", amount=8000, description="/bản")
    return procedure


@pytest.fixture
def verified(citizen):
    citizen.personal_id = MINE  # set by the VNeID sign-in, never typed by the citizen
    citizen.save(update_fields=["personal_id"])
    return citizen


@pytest.fixture
def counter(procedure, ward_a, desk_officer):
    def make(personal_id, form=None, **kw):
        return dossier_services.receive_at_counter(
            procedure=procedure,
            receiving_unit=ward_a,
            actor=desk_officer,
            applicant=dict(APPLICANT, personal_id=personal_id),
            form_data={"ho_ten": "Nguyễn Văn An", **(form or {})},
            files=files_for(procedure),
            competent_unit=ward_a,
            **kw,
        )

    return make


def _page(client, query=""):
    response = client.get(f"/tai-khoan/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_counter_dossiers_of_the_verified_applicant_and_person_concerned_appear(client, verified, counter):
    as_applicant = counter(MINE)
    as_mother = counter(OTHER, form={"me_so_dinh_danh": MINE})
    strangers = counter(OTHER)
    assert set(DossierPerson.objects.filter(dossier=as_mother).values_list("personal_id", "role")) == {
        (OTHER, "applicant"),
        (MINE, "concerned"),
    }
    client.force_login(verified, backend="motcua.portal.auth.PhoneOTPBackend")
    page = _page(client)
    assert as_applicant.code in page and "nộp cho ông/bà" in page
    assert as_mother.code in page and "ông/bà là người có liên quan" in page
    assert strangers.code not in page  # another citizen's dossier never appears
    assert client.get(f"/tai-khoan/ho-so/{as_mother.code}/").status_code == 200
    assert client.get(f"/tai-khoan/ho-so/{strangers.code}/").status_code == 404


def test_another_citizen_and_an_unverified_account_see_none_of_them(
    client, verified, counter, django_user_model
):
    d = counter(MINE)
    other = django_user_model.objects.create_user("other", kind="citizen", phone="0912999888")
    client.force_login(other, backend="motcua.portal.auth.PhoneOTPBackend")
    assert d.code not in _page(client)
    assert "VNeID" in _page(client)  # says why counter dossiers are not shown
    other.personal_id = OTHER
    other.save(update_fields=["personal_id"])
    assert d.code not in _page(client)
    assert client.get(f"/tai-khoan/ho-so/{d.code}/").status_code == 404


def test_staff_with_the_same_personal_id_get_no_citizen_list(client, counter, make_staff, ward_a):
    counter(MINE)
    officer = make_staff("specialist", ward_a)
    officer.personal_id = MINE
    officer.save(update_fields=["personal_id"])
    from motcua.dossiers.selectors import dossiers_of_citizen

    assert list(dossiers_of_citizen(officer)) == []


def test_refusal_reason_fee_due_filters_and_pages(client, verified, counter, specialist, leader):
    refused = counter(MINE, outcome="refuse", reason="Hồ sơ không thuộc thẩm quyền của phường.")
    fee = counter(MINE)
    dossier_services.claim_task(fee.tasks.get(order=2), actor=specialist)
    fee.refresh_from_db()
    dossier_services.request_fee(fee, actor=specialist, note="Lệ phí đăng ký")
    others = [counter(MINE) for _ in range(10)]
    client.force_login(verified, backend="motcua.portal.auth.PhoneOTPBackend")
    page = _page(client, "?tinh-trang=tu-choi")
    assert refused.code in page and "Hồ sơ không thuộc thẩm quyền của phường." in page
    assert fee.code not in page
    page = _page(client, "?tinh-trang=can-bo-sung")
    assert fee.code in page and "8.000 đồng" in page and "Cách nộp" in page
    first = _page(client)
    assert "Trang 1/2" in first
    second = _page(client, "?trang=2")
    shown = [d.code for d in [refused, fee, *others] if d.code in first or d.code in second]
    assert len(shown) == 12
    assert _page(client, f"?q={others[0].code}").count(others[0].code) >= 1
