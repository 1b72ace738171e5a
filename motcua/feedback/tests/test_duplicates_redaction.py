import datetime as dt

import pytest

from motcua.core.models import OutboundMessage
from motcua.feedback import selectors, services
from motcua.feedback.errors import FeedbackError
from motcua.feedback.models import ReportStatus
from motcua.feedback.tests.conftest import at


def test_redact_removes_personal_data():
    text = (
        "Ông Nguyễn Văn An (CCCD 079090001234, SĐT 0901 234 567, +84912345678, email an.nguyen@example.com) "
        "phản ánh; ông nguyễn văn an đã được liên hệ."
    )
    out = services.redact(text, ["Nguyễn Văn An"])
    for secret in (
        "079090001234",
        "0901 234 567",
        "+84912345678",
        "an.nguyen@example.com",
        "Nguyễn Văn An",
        "nguyễn văn an",
    ):
        assert secret not in out
    assert out.count("[người phản ánh]") == 2 and "[số định danh]" in out and "[thư điện tử]" in out


def _report(categories, text, lat, lon, when, phone, **kw):
    return services.submit_report(
        channel="web",
        description=text,
        category_code="rac-thai",
        address="phường Cầu Ông Lãnh",
        latitude=lat,
        longitude=lon,
        now=when,
        phone=phone,
        **kw,
    )


def test_duplicates_by_place_and_time_and_by_text(categories, ward_a):
    first = _report(
        categories, "Bãi rác tự phát ở góc đường", 10.7600, 106.6900, at(2026, 3, 2), "0901000001"
    )
    near = _report(categories, "Ai đó đổ xà bần ra đây", 10.7610, 106.6905, at(2026, 3, 3), "0901000002")
    far = _report(categories, "Ai đó đổ xà bần ra đây", 10.8000, 106.7000, at(2026, 3, 3), "0901000003")
    late = _report(categories, "Rác cũ ở góc đường", 10.7601, 106.6901, at(2026, 4, 20), "0901000004")
    same_text = _report(
        categories, "Bãi rác tự phát ở góc đường này", None, None, at(2026, 3, 4), "0901000005"
    )
    found = {r.code for r, _why in selectors.duplicate_candidates(first)}
    assert near.code in found and same_text.code in found
    assert far.code not in found and late.code not in found


def test_merge_keeps_every_reporter_informed(categories, ward_a, specialist, leader, other_ward_specialist):
    first = _report(categories, "Bãi rác tự phát ở góc đường", 10.76, 106.69, at(2026, 3, 2), "0901000001")
    dup = _report(
        categories,
        "Bãi rác góc đường chưa dọn",
        10.7601,
        106.6901,
        at(2026, 3, 2, 10),
        "0901000002",
        email="",
    )
    with pytest.raises(FeedbackError):
        services.merge(dup, into=first, actor=other_ward_specialist)
    dup.refresh_from_db()
    assert dup.status == ReportStatus.ASSIGNED
    services.merge(dup, into=first, actor=specialist, now=at(2026, 3, 3))
    dup.refresh_from_db()
    assert dup.status == ReportStatus.MERGED and dup.duplicate_of == first
    answer = services.draft_answer(first, actor=specialist, body="Đã dọn sạch bãi rác", now=at(2026, 3, 4))
    services.approve_answer(answer, actor=leader, now=at(2026, 3, 4, 15))
    assert OutboundMessage.objects.filter(recipient="0901000001", body__contains="đã có trả lời").count() == 1
    to_dup = OutboundMessage.objects.get(recipient="0901000002", body__contains="đã có trả lời")
    assert first.code in to_dup.body and dup.code in to_dup.body
    assert dt.date(2026, 3, 4)  # merged reports are answered with the master's answer, once


def test_not_accepted_needs_reasons_and_tells_the_reporter(categories, ward_a, leader):
    report = _report(categories, "Nội dung không rõ ràng gì cả", None, None, at(2026, 3, 2), "0901000009")
    with pytest.raises(FeedbackError) as err:
        services.classify(report, actor=leader, classification="not_accepted")
    assert err.value.code == "reason_required"
    services.classify(
        report, actor=leader, classification="not_accepted", reason="Nặc danh, không rõ nội dung"
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.NOT_ACCEPTED
    assert OutboundMessage.objects.filter(
        recipient="0901000009", body__contains="không được tiếp nhận"
    ).exists()


def test_bad_photo_is_refused(client, categories, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ROOT_URLCONF = "motcua.feedback.tests.urls"
    fake = SimpleUploadedFile("a.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    r = client.post(
        "/phan-anh/",
        {
            "description": "Rác thải tồn đọng trước nhà",
            "category": "rac-thai",
            "address": "phường Cầu Ông Lãnh",
            "photo": fake,
        },
    )
    assert r.status_code == 200 and "JPEG, PNG hoặc WebP" in r.content.decode()
    from motcua.feedback.models import Report

    assert Report.objects.count() == 0
    png = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    r = client.post(
        "/phan-anh/",
        {
            "description": "Rác thải tồn đọng trước nhà",
            "category": "rac-thai",
            "address": "phường Cầu Ông Lãnh",
            "photo": png,
        },
    )
    assert r.status_code == 302 and Report.objects.get().photo.name.endswith(".png")


def test_public_form_is_rate_limited(client, categories, settings):
    from django.core.cache import cache

    from motcua.core.ratelimit import rate_for
    from motcua.feedback.models import Report

    settings.ROOT_URLCONF = "motcua.feedback.tests.urls"
    cache.clear()
    data = {"description": "Rác thải tồn đọng trước nhà", "category": "rac-thai", "address": "phường Sài Gòn"}
    for _i in range(rate_for("feedback-web")[0]):
        assert client.post("/phan-anh/", data).status_code == 302
    assert client.post("/phan-anh/", data).status_code == 429
    assert Report.objects.count() == rate_for("feedback-web")[0]
    cache.clear()
