"""The online wizard asks what a counter would: receiving ward (default from the address, changeable),
how the result is delivered, the fee; uploads kept after a form error; a review in Vietnamese format
(issue 12 item 7)."""

import pytest

from motcua.catalog.models import Fee, FormField
from motcua.dossiers.models import Dossier
from motcua.portal.tests.conftest import fill_and_review, first_paper

pytestmark = pytest.mark.django_db


def _draft(client):
    return client.session[f"portal_draft:{client.session['_auth_user_id']}"]


def test_uploads_are_kept_after_a_form_error(citizen_client, online_procedure):
    paper = first_paper(online_procedure)
    response = fill_and_review(citizen_client, online_procedure, f_ho_ten="")  # a required field left empty
    assert response.status_code == 400
    page = response.content.decode()
    assert "Đã tải lên: to-khai.pdf" in page
    # correcting the field without choosing the file again goes through
    response = fill_and_review(citizen_client, online_procedure, **{f"paper_{paper.pk}": None})
    assert response.status_code == 302
    assert [f["name"] for f in _draft(citizen_client)["files"][str(paper.pk)]] == ["to-khai.pdf"]


def test_ward_delivery_and_fee_are_asked_and_reviewed(citizen_client, online_procedure, ward_a, ward_b):
    Fee.objects.create(procedure=online_procedure, channel="", amount=8000, description="/bản")
    FormField.objects.create(
        procedure=online_procedure,
        order=9,
        key="ngay_sinh",
        label="Ngày sinh",
        field_type="date",
        required=False,
    )
    page = citizen_client.get(f"/nop-ho-so/{online_procedure.code}/").content.decode()
    assert 'name="receiving_unit"' in page and 'name="delivery"' in page and "8.000 đ" in page
    response = fill_and_review(
        citizen_client,
        online_procedure,
        receiving_unit=str(ward_b.pk),
        delivery="post",
        f_ngay_sinh="1990-05-12",
    )
    assert response.status_code == 302
    review = citizen_client.get(f"/nop-ho-so/{online_procedure.code}/xem-lai/").content.decode()
    assert ward_b.name in review and "bưu chính" in review and "12/05/1990" in review and "8.000 đ" in review
    key = _draft(citizen_client)["key"]
    assert citizen_client.post(f"/nop-ho-so/{online_procedure.code}/gui/", {"k": key}).status_code == 302
    d = Dossier.objects.get()
    assert d.receiving_unit == ward_b and d.result_delivery == "post"


def test_a_ward_outside_the_list_or_a_bad_delivery_changes_nothing(citizen_client, online_procedure):
    response = fill_and_review(citizen_client, online_procedure, receiving_unit="999999", delivery="drone")
    assert response.status_code == 400 and "Vui lòng chọn cách nhận kết quả." in response.content.decode()
    assert Dossier.objects.count() == 0
