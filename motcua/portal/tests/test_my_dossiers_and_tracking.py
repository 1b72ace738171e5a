"""My dossiers (timeline, supplement online, result download) and public tracking by code."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.portal.tests.conftest import PDF, submit, walk_to_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(citizen_client, online_procedure):
    return submit(citizen_client, online_procedure)


def test_my_dossiers_lists_only_mine_and_detail_is_private(
    client, citizen_client, filed, make_staff, ward_a, django_user_model
):
    page = citizen_client.get("/tai-khoan/").content.decode()
    assert filed.code in page
    other = django_user_model.objects.create_user("other", kind="citizen", phone="0912999888")
    client.force_login(other, backend="motcua.portal.auth.PhoneOTPBackend")
    assert filed.code not in client.get("/tai-khoan/").content.decode()
    assert client.get(f"/tai-khoan/ho-so/{filed.code}/").status_code == 404
    client.logout()
    assert client.get(f"/tai-khoan/ho-so/{filed.code}/").status_code == 302  # anonymous -> sign in
    client.force_login(make_staff("desk_officer", ward_a))
    assert client.get(f"/tai-khoan/ho-so/{filed.code}/").status_code == 302  # staff are not citizens here


def test_timeline_shows_status_changes(citizen_client, filed, desk_officer):
    dossier_services.receive(filed, actor=desk_officer)
    page = citizen_client.get(f"/tai-khoan/ho-so/{filed.code}/").content.decode()
    assert "Đã tiếp nhận" in page and 'class="timeline"' in page
    assert desk_officer.full_name not in page  # public timeline: no officers' names


def test_supplement_online_four_callers(client, citizen_client, filed, desk_officer, django_user_model):
    dossier_services.request_supplement_at_intake(
        filed, actor=desk_officer, items=["Bản sao giấy chứng sinh"]
    )
    url = f"/tai-khoan/ho-so/{filed.code}/"
    page = citizen_client.get(url).content.decode()
    assert "Bản sao giấy chứng sinh" in page and "Gửi bổ sung" in page

    def upload():
        return {
            "paper_0": SimpleUploadedFile("bo-sung.pdf", PDF, content_type="application/pdf"),
            "note": "Đã bổ sung",
        }

    other = django_user_model.objects.create_user("other2", kind="citizen", phone="0912999777")
    stranger = type(client)()
    stranger.force_login(other, backend="motcua.portal.auth.PhoneOTPBackend")
    assert stranger.post(url, upload()).status_code == 404
    assert type(client)().post(url, upload()).status_code == 302
    officer_client = type(client)()
    officer_client.force_login(desk_officer)
    assert officer_client.post(url, upload()).status_code == 302
    filed.refresh_from_db()
    assert filed.status == "supplement_requested" and filed.papers.filter(is_supplement=True).count() == 0

    bad = citizen_client.post(
        url, {"paper_0": SimpleUploadedFile("x.pdf", b"plain text", content_type="application/pdf")}
    )
    assert bad.status_code == 400
    response = citizen_client.post(url, upload())
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == "submitted" and filed.papers.filter(is_supplement=True).count() == 1


def test_result_download_only_for_the_owner(client, citizen_client, filed, desk_officer, specialist, leader):
    walk_to_result(filed, desk_officer=desk_officer, specialist=specialist, leader=leader)
    result = filed.results.get()
    page = citizen_client.get(f"/tai-khoan/ho-so/{filed.code}/").content.decode()
    url = f"/tai-khoan/ho-so/{filed.code}/ket-qua/{result.pk}/"
    assert url in page and "Đánh giá ngay" in page
    response = citizen_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert type(client)().get(url).status_code == 302
    assert citizen_client.get(f"/tai-khoan/ho-so/{filed.code}/ket-qua/{result.pk + 999}/").status_code == 404


def test_tracking_shows_status_without_personal_data(client, filed, desk_officer):
    dossier_services.receive(filed, actor=desk_officer)
    client.logout()
    response = client.get(f"/tra-cuu/?ma={filed.code.lower()}")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert filed.code in page and "Đã tiếp nhận" in page and 'id="status-appointment"' in page
    for private in (
        filed.applicant_name,
        filed.applicant_personal_id,
        filed.applicant_phone,
        "Nguyễn Thái Học",
    ):
        assert private not in page
    assert client.get("/tra-cuu/KHONG-CO/").status_code == 404


def test_tracking_is_rate_limited(client, filed, settings):
    client.logout()
    settings.MOTCUA_RATE_LIMITS = {**settings.MOTCUA_RATE_LIMITS, "track": "3/m"}
    for _ in range(3):
        assert client.get(f"/tra-cuu/{filed.code}/").status_code == 200
    response = client.get(f"/tra-cuu/{filed.code}/")
    assert response.status_code == 429 and "quá nhiều lần" in response.content.decode()


def test_dossier_count_unchanged_by_reads(citizen_client, filed):
    citizen_client.get("/tai-khoan/")
    assert Dossier.objects.count() == 1


def test_results_of_partial_online_procedures_are_collected_at_the_desk(
    citizen_client, ward_a, desk_officer, specialist, leader
):
    from motcua.portal.tests.conftest import make_procedure

    procedure = make_procedure("1.999003", online_level="partial")
    d = submit(citizen_client, procedure)
    d = walk_to_result(d, desk_officer=desk_officer, specialist=specialist, leader=leader, returned=False)
    dossier_services.return_result(d, actor=desk_officer, channel="counter")
    result = d.results.get()
    page = citizen_client.get(f"/tai-khoan/ho-so/{d.code}/").content.decode()
    assert f"/ket-qua/{result.pk}/" not in page
    assert citizen_client.get(f"/tai-khoan/ho-so/{d.code}/ket-qua/{result.pk}/").status_code == 404


def test_signed_in_citizen_skips_the_sign_in_page(citizen_client):
    response = citizen_client.get("/dang-nhap/?next=/tai-khoan/")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
