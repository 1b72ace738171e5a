"""The online submission wizard: sign in, pre-filled form, papers, review, one dossier per submission."""

import pytest

from motcua.dossiers.models import Dossier
from motcua.portal.tests.conftest import (
    ADDRESS,
    PNG,
    fill_and_review,
    first_paper,
    make_procedure,
    pdf,
    submit,
)

pytestmark = pytest.mark.django_db


def test_anonymous_and_staff_are_sent_to_citizen_sign_in(client, online_procedure, desk_officer):
    response = client.get(f"/nop-ho-so/{online_procedure.code}/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/?next=")
    client.force_login(desk_officer)
    assert client.get(f"/nop-ho-so/{online_procedure.code}/").status_code == 302
    assert client.post(f"/nop-ho-so/{online_procedure.code}/gui/", {"k": "x"}).status_code == 302
    assert not Dossier.objects.exists()


def test_form_is_prefilled_from_the_account_but_not_for_other_people(citizen_client, online_procedure):
    page = citizen_client.get(f"/nop-ho-so/{online_procedure.code}/").content.decode()
    assert 'value="Nguyễn Văn An"' in page and 'value="079090001234"' in page
    assert 'id="f_ho_ten" name="f_ho_ten" type="text" value="Nguyễn Văn An"' in page
    assert (
        'id="f_ten_con" name="f_ten_con" type="text" value=""' in page
    )  # the child's name is not the citizen's


def test_missing_paper_and_bad_file_are_refused_with_nothing_filed(citizen_client, online_procedure):
    paper = first_paper(online_procedure)
    response = fill_and_review(citizen_client, online_procedure, **{f"paper_{paper.pk}": None})
    assert (
        response.status_code == 400
        and "Vui lòng tải lên Tờ khai theo mẫu (01 bản chính)." in response.content.decode()
    )
    fake = pdf("virus.pdf")
    fake.file.write(b"MZ\x90\x00")
    fake.file.seek(0)
    fake.file.truncate()
    fake.file.write(b"MZ\x90\x00 not a pdf")
    fake.file.seek(0)
    response = fill_and_review(citizen_client, online_procedure, **{f"paper_{paper.pk}": fake})
    assert response.status_code == 400 and "không phải PDF, JPG hoặc PNG" in response.content.decode()
    response = fill_and_review(citizen_client, online_procedure, f_gioi_tinh="Khác")
    assert response.status_code == 400
    assert not Dossier.objects.exists()


def test_review_then_submit_once_even_on_double_click(citizen_client, citizen, online_procedure):
    response = fill_and_review(citizen_client, online_procedure)
    assert response.status_code == 302 and response["Location"].endswith("/xem-lai/")
    review = citizen_client.get(response["Location"]).content.decode()
    key = citizen_client.session[f"portal_draft:{citizen.pk}"]["key"]
    assert f'name="k" value="{key}"' in review and "to-khai.pdf" in review and ADDRESS in review
    first = citizen_client.post(f"/nop-ho-so/{online_procedure.code}/gui/", {"k": key})
    second = citizen_client.post(f"/nop-ho-so/{online_procedure.code}/gui/", {"k": key})
    dossier = Dossier.objects.get()
    assert first["Location"] == second["Location"] == f"/da-nop/{dossier.code}/"
    assert dossier.citizen_id == citizen.pk and dossier.channel == "online" and dossier.status == "submitted"
    assert dossier.papers.count() == 1 and dossier.form_data["gioi_tinh"] == "Nam"
    assert dossier.field_sources.get("ho_ten") == "account"
    from motcua.core.models import OutboundMessage

    acks = OutboundMessage.objects.filter(key__startswith=f"portal.submitted.{dossier.pk}.")
    assert sorted(acks.values_list("channel", "recipient")) == [
        ("email", "an@example.vn"),
        ("sms", "0901234567"),
    ]
    assert dossier.code in acks.first().body
    page = citizen_client.get(first["Location"]).content.decode()
    assert dossier.code in page and "Ngày hẹn trả (dự kiến)" in page and "<svg" in page


def test_same_key_after_session_loss_still_makes_one_dossier(citizen_client, citizen, online_procedure):
    fill_and_review(citizen_client, online_procedure)
    draft = citizen_client.session[f"portal_draft:{citizen.pk}"]
    citizen_client.post(f"/nop-ho-so/{online_procedure.code}/gui/", {"k": draft["key"]})
    session = citizen_client.session
    session[f"portal_draft:{citizen.pk}"] = draft  # the second click raced the first one's session save
    session.pop("portal_done")
    session.save()
    response = citizen_client.post(f"/nop-ho-so/{online_procedure.code}/gui/", {"k": draft["key"]})
    assert response.status_code == 302 and Dossier.objects.count() == 1


def test_procedure_not_offered_online(citizen_client, ward_a):
    p = make_procedure("1.999002", online_level="none")
    response = citizen_client.get(f"/nop-ho-so/{p.code}/")
    assert response.status_code == 409 and "chưa được cung cấp trực tuyến" in response.content.decode()


def test_png_paper_is_accepted(citizen_client, online_procedure):
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    response = fill_and_review(
        citizen_client, online_procedure, **{f"paper_{first_paper(online_procedure).pk}": image}
    )
    assert response.status_code == 302


def test_submit_helper_files_dossier(citizen_client, online_procedure):
    dossier = submit(citizen_client, online_procedure)
    assert dossier.procedure_id == online_procedure.pk


@pytest.fixture(scope="module")
def registry_server():
    from motcua.citizens.simulator import start_in_thread

    server, _thread = start_in_thread(size=200, seed=42)
    yield server
    server.shutdown()
    server.server_close()


def test_form_is_prefilled_from_the_population_registry(
    citizen_client, online_procedure, registry_server, settings
):
    settings.MOTCUA_POPULATION_REGISTRY_URL = f"http://127.0.0.1:{registry_server.server_address[1]}"
    page = citizen_client.get(f"/nop-ho-so/{online_procedure.code}/").content.decode()
    assert "Số 5 đường Trần Hưng Đạo" in page  # permanent address of 079090001234 in the registry
    assert "từ CSDL dân cư" in page
    served = registry_server.served
    citizen_client.get(f"/nop-ho-so/{online_procedure.code}/")
    assert registry_server.served == served  # one look-up per form, not per page view


def test_registry_down_does_not_block_the_form(citizen_client, online_procedure):
    page = citizen_client.get(f"/nop-ho-so/{online_procedure.code}/")
    assert page.status_code == 200 and "Chưa lấy được dữ liệu" in page.content.decode()
