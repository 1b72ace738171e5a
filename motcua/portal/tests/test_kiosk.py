"""Kiosk mode: idle setting, reset, look-up with a printable slip, procedures, rating, feedback."""

import re

import pytest

from motcua.portal.tests.conftest import make_procedure, submit, walk_to_result

pytestmark = pytest.mark.django_db


def idle_of(response) -> int:
    return int(re.search(r'data-idle="(\d+)"', response.content.decode()).group(1))


def test_idle_timeout_may_only_be_shortened(client):
    assert idle_of(client.get("/kiosk/")) == 60
    response = client.get("/kiosk/?idle=2")
    assert idle_of(response) == 2 and response.cookies["kiosk_idle"].value == "2"
    assert idle_of(client.get("/kiosk/tra-cuu/")) == 2  # kept across pages and resets
    assert idle_of(client.get("/kiosk/?idle=3600")) == 60
    assert idle_of(client.get("/kiosk/?idle=0")) == 60
    assert idle_of(client.get("/kiosk/?idle=abc")) == 60


def test_reset_forgets_the_session(client, citizen):
    client.force_login(citizen, backend="motcua.portal.auth.PhoneOTPBackend")
    session = client.session
    session["surveys_rated"] = ["X"]
    session.save()
    response = client.post("/kiosk/thoat/")
    assert response.status_code == 302 and response["Location"] == "/kiosk/"
    assert "_auth_user_id" not in client.session and "surveys_rated" not in client.session


def test_home_has_large_touch_targets_and_no_inline_code(client):
    page = client.get("/kiosk/").content.decode()
    for tile in ("tile-lookup", "tile-procedures", "tile-rate", "tile-feedback"):
        assert f'id="{tile}"' in page
    assert "<script>" not in page and " style=" not in page and "portal/kiosk.js" in page


def test_lookup_by_code_shows_status_and_print_button(client, citizen_client, online_procedure):
    d = submit(citizen_client, online_procedure)
    kiosk = type(client)()
    response = kiosk.get(f"/kiosk/tra-cuu/?ma={d.code.lower()}")
    assert response["Location"] == f"/kiosk/tra-cuu/{d.code}/"
    page = kiosk.get(response["Location"]).content.decode()
    assert d.code in page and "In phiếu tra cứu" in page and "data-print" in page and "<svg" in page
    assert d.applicant_name not in page and d.applicant_phone not in page
    missing = kiosk.get("/kiosk/tra-cuu/000.00.00.H29-000000-0000/")
    assert missing.status_code == 404 and "Không tìm thấy" in missing.content.decode()
    assert "keypad" in missing.content.decode()


def test_browse_procedures(client, ward_a):
    p = make_procedure()
    page = client.get("/kiosk/thu-tuc/").content.decode()
    assert p.name in page
    detail = client.get(f"/kiosk/thu-tuc/{p.code}/").content.decode()
    assert "Tờ khai theo mẫu" in detail and "3 ngày làm việc" in detail
    assert client.get("/kiosk/thu-tuc/9.999999/").status_code == 404


def test_rate_at_the_kiosk(client, citizen_client, online_procedure, desk_officer, specialist, leader):
    from motcua.surveys.models import Rating

    d = walk_to_result(
        submit(citizen_client, online_procedure),
        desk_officer=desk_officer,
        specialist=specialist,
        leader=leader,
    )
    from motcua.dossiers.receipts import receipt_key

    kiosk = type(client)()
    assert kiosk.get(f"/kiosk/danh-gia/?ma={d.code}")["Location"] == f"/kiosk/danh-gia/{d.code}/"
    # The code alone only brings the question for the receipt's key; nothing can be rated yet.
    prompt = kiosk.post(f"/kiosk/danh-gia/{d.code}/", {"q_service": 1, "q_time": 1, "q_attitude": 1})
    assert "kiosk-key" in prompt.content.decode() and not Rating.objects.exists()
    assert "q_service" in kiosk.get(f"/kiosk/danh-gia/{d.code}/?k={receipt_key(d.code)}").content.decode()
    response = kiosk.post(f"/kiosk/danh-gia/{d.code}/", {"q_service": 5, "q_time": 5, "q_attitude": 4})
    assert response.status_code == 200 and "Cảm ơn" in response.content.decode()
    assert Rating.objects.get().channel == "kiosk"


def test_feedback_from_the_kiosk(client, ward_a):
    from motcua.feedback.demo import seed_categories
    from motcua.feedback.selectors import report_by_code

    seed_categories()
    page = client.get("/kiosk/phan-anh/").content.decode()
    assert "Nội dung phản ánh" in page
    short = client.post("/kiosk/phan-anh/", {"description": "ngắn"})
    assert short.status_code == 400
    response = client.post(
        "/kiosk/phan-anh/",
        {
            "description": "Đèn đường trước số 12 Nguyễn Thái Học bị hỏng nhiều ngày.",
            "address": "12 Nguyễn Thái Học, phường Cầu Ông Lãnh",
            "phone": "0912345678",
        },
    )
    assert response.status_code == 200
    code = re.search(r"Mã số phản ánh của ông/bà là ([^.<\s]+)", response.content.decode()).group(1)
    report = report_by_code(code)
    assert report is not None and report.channel == "kiosk"


def test_feedback_photo_is_checked_by_content(client, ward_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.feedback.demo import seed_categories
    from motcua.feedback.models import Report

    seed_categories()
    data = {
        "description": "Cây xanh gãy cành chắn lối đi trước trường học.",
        "address": "phường Cầu Ông Lãnh",
    }
    fake = SimpleUploadedFile("anh.jpg", b"not an image at all", content_type="image/jpeg")
    assert client.post("/kiosk/phan-anh/", {**data, "photo": fake}).status_code == 400
    assert not Report.objects.exists()
    jpeg = SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, content_type="image/jpeg")
    assert client.post("/kiosk/phan-anh/", {**data, "photo": jpeg}).status_code == 200
    assert Report.objects.get().photo


def test_a_scanned_receipt_qr_opens_the_dossier(client, citizen_client, online_procedure, settings):
    """A keyboard-wedge scanner types the QR's tracking URL into the focused field and presses Enter."""
    from motcua.core.links import dossier_tracking_url

    d = submit(citizen_client, online_procedure)
    kiosk = type(client)()
    page = kiosk.get("/kiosk/tra-cuu/").content.decode()
    assert "autofocus" in page and "data-scan" in page and "data-camera-scan" in page
    for scanned in (dossier_tracking_url(d.code), f"https://old-address.example/tra-cuu/{d.code}/", d.code):
        response = kiosk.get("/kiosk/tra-cuu/", {"ma": scanned})
        assert response["Location"] == f"/kiosk/tra-cuu/{d.code}/", scanned
    rate = kiosk.get("/kiosk/danh-gia/", {"ma": dossier_tracking_url(d.code)})
    assert rate["Location"].endswith(f"/kiosk/danh-gia/{d.code}/")
    # another site's page is no code at all: the form comes back
    other = kiosk.get("/kiosk/tra-cuu/", {"ma": "https://example.com/phan-anh/PA-1/"})
    assert other.status_code == 200 and "kiosk-code" in other.content.decode()


def test_the_feedback_page_has_a_vietnamese_keyboard(client):
    page = client.get("/kiosk/phan-anh/").content.decode()
    assert 'class="vnkeyboard" data-form="kiosk-feedback-form"' in page
    for key in "ăâđêôơư":
        assert f'data-key="{key}"' in page
    for tone in ("acute", "grave", "hook", "tilde", "dot"):
        assert f'data-tone="{tone}"' in page
    assert "<script>" not in page
