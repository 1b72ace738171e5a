"""POST /api/v1/assistant/ask: grounded answers with their source, follow-ups, status without personal
data, complaints filed through the feedback service, hand-overs; hostile input refused, nothing stored."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from motcua.assistant.models import Conversation, Example, Handover, Message
from motcua.core.models import AuditEntry

URL = "/api/v1/assistant/ask"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ask(client: APIClient, message, conversation=None, **headers):
    body = {"message": message}
    if conversation:
        body["conversation"] = conversation
    return client.post(URL, body, format="json", **headers)


def counts() -> tuple[int, int, int, int]:
    return (
        Conversation.objects.count(),
        Message.objects.count(),
        Handover.objects.count(),
        Example.objects.count(),
    )


@pytest.mark.django_db
def test_procedure_question_is_answered_from_the_catalog_with_its_source(knowledge):
    response = ask(APIClient(), "làm giấy khai sinh cho con cần giấy tờ gì vậy ad")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"intent", "procedures", "dossier_code", "reply", "conversation"}
    assert body["intent"] == "procedure"
    assert body["procedures"][0] == {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh"}
    assert body["dossier_code"] is None
    assert "Hồ sơ cần nộp" in body["reply"]
    assert "Giấy chứng sinh" in body["reply"]  # a paper the catalog stores for this procedure
    assert "Nguồn: danh mục thủ tục hành chính, mã 1.001193" in body["reply"]
    conversation = Conversation.objects.get(public_id=body["conversation"])
    assert [m.sender for m in conversation.messages.all()] == ["citizen", "assistant"]


@pytest.mark.django_db
def test_a_follow_up_uses_the_previous_procedure(knowledge):
    client = APIClient()
    first = ask(client, "đăng ký tạm trú").json()
    assert first["procedures"][0]["code"] == "1.004194"
    second = ask(client, "còn lệ phí thì sao?", first["conversation"]).json()
    assert second["intent"] == "procedure"
    assert second["procedures"][0]["code"] == "1.004194"
    assert (
        "Lệ phí" in second["reply"] and "10.000 đồng" in second["reply"] and "7.000 đồng" in second["reply"]
    )
    assert second["conversation"] == first["conversation"]


@pytest.mark.django_db
def test_unaccented_and_abbreviated_questions(knowledge):
    client = APIClient()
    assert ask(client, "dk ket hon can giay to j").json()["procedures"][0]["code"] == "1.000894"
    assert ask(client, "mất cccd làm lại ở đâu").json()["procedures"][0]["code"] == "1.014064"


@pytest.mark.django_db
def test_a_guide_entry_answers_and_is_cited(knowledge):
    body = ask(APIClient(), "làm sao tạo tài khoản dịch vụ công quốc gia").json()
    assert body["intent"] == "procedure"
    assert "Nguồn: hướng dẫn của bộ phận Một cửa «Tạo tài khoản Cổng dịch vụ công quốc gia»" in body["reply"]


@pytest.mark.django_db
def test_status_answer_comes_from_the_public_look_up_without_personal_data(knowledge, citizen):
    from motcua.dossiers import services
    from motcua.portal.tests.conftest import ADDRESS, make_procedure

    procedure = make_procedure()
    files = {
        r.pk: SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
        for r in procedure.requirements.filter(kind="submit", required=True)
    }
    dossier = services.submit_online(
        procedure=procedure,
        citizen_user=citizen,
        files=files,
        idempotency_key="assistant-status-1",
        applicant={"name": "Nguyễn Văn An", "phone": "0901234567", "address": ADDRESS},
        form_data={"ho_ten": "Nguyễn Văn An", "gioi_tinh": "Nam"},
    )
    written = f'hồ sơ của em mã "#{dossier.code.lower().replace("-", " - ")}" đến đâu rồi'
    body = ask(APIClient(), written).json()
    assert body["intent"] == "status"
    assert body["dossier_code"] == dossier.code
    assert dossier.code in body["reply"] and "Mới nộp, chờ tiếp nhận" in body["reply"]
    for personal in ("Nguyễn Văn An", "0901234567", "Nguyễn Thái Học", "079090001234"):
        assert personal not in body["reply"]


@pytest.mark.django_db
def test_unknown_code_is_said_plainly(knowledge):
    body = ask(APIClient(), "000.00.09.H01-251125-0077").json()
    assert body == {
        "intent": "status",
        "procedures": [],
        "dossier_code": "000.00.09.H01-251125-0077",
        "reply": body["reply"],
        "conversation": body["conversation"],
    }
    assert body["reply"].startswith("Không tìm thấy hồ sơ mã 000.00.09.H01-251125-0077")


@pytest.mark.django_db
def test_a_complaint_becomes_a_feedback_report_with_a_receipt_code(knowledge):
    from motcua.feedback import selectors as feedback

    body = ask(APIClient(), "phản ánh đèn đường hẻm 12 phường Cầu Ông Lãnh hư cả tuần tối om").json()
    assert body["intent"] == "feedback"
    message = Message.objects.get(sender="citizen")
    report = feedback.report_by_code(message.feedback_code)
    assert report is not None and report.channel == "chat" and report.category.code == "chieu-sang"
    assert f"mã tiếp nhận {report.code}" in body["reply"]
    assert report.unit.code == "26758"


@pytest.mark.django_db
def test_out_of_scope_is_handed_over_to_the_units_queue(knowledge, ward_a):
    body = ask(APIClient(), "giá vàng hôm nay bao nhiêu").json()
    assert body["intent"] == "handover" and body["procedures"] == []
    handover = Handover.objects.get()
    assert handover.unit == ward_a and handover.status == "open"
    assert handover.question.text == "giá vàng hôm nay bao nhiêu"
    assert AuditEntry.objects.filter(action="assistant.handover_opened", object_id=str(handover.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        ({"message": ""}, 400, None),
        ({"message": "   "}, 400, None),
        ({"message": "x" * 2001}, 400, None),
        ({}, 400, None),
        ({"message": 5}, 400, None),
        ({"message": "khai sinh", "conversation": "abc"}, 400, None),
        ({"message": "khai sinh", "conversation": "0" * 32}, 404, "unknown_conversation"),
        ({"message": '=HYPERLINK("http://x")'}, 200, None),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_stored(knowledge, raw, status, code):
    before = counts()
    response = APIClient().post(URL, raw, format="json")
    assert response.status_code == status
    if status != 200:
        assert counts() == before
        assert response.json()["detail"]
    if code:
        assert response.json()["code"] == code


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        b'{"message": "khai sinh\\u0000"}',
        b'{"message": "khai sinh \\ud800"}',
        b'{"message": ' + b"[" * 40 + b"]" * 40 + b"}",
    ],
)
def test_hostile_bytes_are_refused(knowledge, raw):
    before = counts()
    response = APIClient().generic("POST", URL, raw, content_type="application/json")
    assert response.status_code == 400
    assert counts() == before
    assert json.loads(response.content)["detail"]


@pytest.mark.django_db
def test_the_endpoint_is_throttled_per_client(knowledge, settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], assistant="2/min")
    settings.REST_FRAMEWORK = dict(settings.REST_FRAMEWORK, DEFAULT_THROTTLE_RATES=rates)
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    try:
        client = APIClient()
        assert ask(client, "khai sinh").status_code == 200
        assert ask(client, "khai sinh").status_code == 200
        refused = ask(client, "khai sinh")
        assert refused.status_code == 429
        assert refused.json()["detail"]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original


@pytest.mark.django_db
def test_the_operation_is_in_the_openapi_contract(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/assistant/ask"]["post"]
    assert operation["operationId"] == "assistant_ask"
    assert set(operation["responses"]) >= {"200", "400", "404", "429"}
