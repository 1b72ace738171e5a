"""Each channel, end to end: intake -> routing -> SMS receipt -> draft -> leader approval -> published
answer without personal data -> the reporter reopens ('chưa được giải quyết') -> second answer."""

from email.message import EmailMessage

import pytest
from rest_framework.authtoken.models import Token

from motcua.core.models import OutboundMessage
from motcua.feedback import mailbox, services
from motcua.feedback.models import Answer, Channel, Report, ReportStatus
from motcua.feedback.tests.pop3server import Mailbox, POP3Server
from motcua.org.models import Role, User, UserKind

pytestmark = pytest.mark.urls("motcua.feedback.tests.urls")
ADDRESS = "Số 5 Trần Hưng Đạo, phường Cầu Kho, Quận 1"


def walk(client, report: Report, specialist, leader, *, reporter_name: str, phone: str = "") -> None:
    assert report.status == ReportStatus.ASSIGNED
    if phone:
        receipt = OutboundMessage.objects.get(key=f"feedback:{report.pk}:receipt:sms")
        assert report.code in receipt.body and receipt.recipient == phone
    client.force_login(specialist)
    body = f"Đã xử lý xong. Cảm ơn {reporter_name}, chúng tôi đã gọi số {phone or '0901111222'} để xác nhận."
    r = client.post(f"/staff/feedback/{report.code}/draft/", {"body": body})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.AWAITING_APPROVAL
    # the specialist may not approve their own draft: only the unit's leader
    r = client.post(f"/staff/feedback/{report.code}/approve/")
    assert r.status_code == 403
    client.force_login(leader)
    assert client.post(f"/staff/feedback/{report.code}/approve/").status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ANSWERED
    assert reporter_name not in report.public_answer and "[người phản ánh]" in report.public_answer
    assert (phone or "0901111222") not in report.public_answer
    client.logout()
    page = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert "[người phản ánh]" in page and reporter_name not in page
    assert report.code in client.get("/phan-anh/cong-khai/").content.decode()
    # reopen through the rating link that the reporter received
    r = client.post(
        f"/phan-anh/{report.code}/danh-gia/{report.rating_token}/",
        {"action": "reopen", "reason": "Vẫn chưa được giải quyết"},
    )
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.REOPENED and report.reopen_count == 1
    assert report.unit.code == "26758"
    client.force_login(specialist)
    client.post(f"/staff/feedback/{report.code}/draft/", {"body": "Trả lời lần hai: đã xử lý lại."})
    client.force_login(leader)
    client.post(f"/staff/feedback/{report.code}/approve/")
    report.refresh_from_db()
    assert report.status == ReportStatus.ANSWERED
    assert list(report.answers.filter(status=Answer.Status.PUBLISHED).values_list("round", flat=True)) == [
        1,
        2,
    ]
    kinds = list(report.events.values_list("kind", flat=True))
    assert kinds == [
        "received",
        "routed",
        "answer_drafted",
        "answer_published",
        "reopened",
        "answer_drafted",
        "answer_published",
    ]
    client.logout()
    r = client.post(
        f"/phan-anh/{report.code}/danh-gia/{report.rating_token}/", {"action": "rate", "score": "5"}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.satisfaction == 5


@pytest.fixture
def unit_staff(make_staff, ward_a):
    return make_staff(Role.SPECIALIST, ward_a), make_staff(Role.UNIT_LEADER, ward_a)


def test_hotline(client, categories, unit_staff, make_staff, province):
    operator = make_staff(Role.HOTLINE_OPERATOR, province)
    client.force_login(operator)
    assert client.get("/staff/feedback/hotline/").status_code == 200
    r = client.post(
        "/staff/feedback/hotline/",
        {
            "phone": "0912345678",
            "contact_name": "Trần Văn Bình",
            "description": "Rác thải đổ trước hẻm nhiều ngày",
            "category": "rac-thai",
            "address": ADDRESS,
        },
    )
    assert r.status_code == 302
    report = Report.objects.get()
    assert report.channel == Channel.HOTLINE
    # the console shows the caller's earlier reports and suggests the category from the text
    data = client.get(
        "/staff/feedback/hotline/lookup/",
        {"phone": "0912 345 678", "text": "xả rác ở kênh", "address": "phường Cầu Kho"},
    ).json()
    assert [e["code"] for e in data["earlier"]] == [report.code]
    assert data["categories"][0]["code"] == "rac-thai"
    assert data["ward"]["name"] == "Phường Cầu Ông Lãnh" and data["unit"] == "Phường Cầu Ông Lãnh"
    walk(client, report, *unit_staff, reporter_name="Trần Văn Bình", phone="0912345678")


def test_web(client, categories, unit_staff):
    assert client.get("/phan-anh/").status_code == 200
    r = client.post(
        "/phan-anh/",
        {
            "description": "Rác thải tồn đọng gây hôi thối",
            "category": "rac-thai",
            "address": ADDRESS,
            "contact_name": "Lê Thị Cúc",
            "phone": "0987654321",
        },
    )
    assert r.status_code == 302
    report = Report.objects.get()
    # the reporter's own link: the report is not published yet, so its page needs the secret token
    assert r["Location"] == f"/phan-anh/{report.code}/?t={report.token}" and report.channel == Channel.WEB
    walk(client, report, *unit_staff, reporter_name="Lê Thị Cúc", phone="0987654321")


def test_kiosk_service_call(client, categories, unit_staff):
    report = services.submit_report(
        channel="kiosk",
        description="Rác thải tồn đọng ở chợ",
        category_code="rac-thai",
        address=ADDRESS,
        contact_name="Phạm Văn Đức",
        phone="0933000111",
    )
    walk(client, report, *unit_staff, reporter_name="Phạm Văn Đức", phone="0933000111")


def test_email_from_a_pop3_mailbox(client, categories, unit_staff):
    msg = EmailMessage()
    msg["From"] = "Võ Thị Hà <ha@example.com>"
    msg["To"] = "phananh@tphcm.gov.vn"
    msg["Subject"] = "Phản ánh rác thải"
    msg["Message-ID"] = "<m1@example.com>"
    msg.set_content(f"Xin phản ánh bãi rác tự phát tại {ADDRESS}.\nĐiện thoại: 0977123456")
    box = Mailbox("phananh", "pw", [msg.as_bytes()])
    with POP3Server(box) as server:
        assert mailbox.fetch(server.url) == 1
        assert box.messages == []  # deleted after the report was committed
        assert mailbox.fetch(server.url) == 0
    report = Report.objects.get()
    assert report.channel == Channel.EMAIL and report.email == "ha@example.com"
    assert report.category.code == "rac-thai" and report.phone == "0977123456"
    assert report.external_id == "<m1@example.com>"
    # the same message fetched again (e.g. a crash before DELE) does not make a second report
    assert mailbox.report_from_message(msg.as_bytes()).pk == report.pk
    walk(client, report, *unit_staff, reporter_name="Võ Thị Hà", phone="0977123456")


def test_chat_api(client, categories, unit_staff):
    bot = User.objects.create_user(username="zalo-bot", kind=UserKind.SYSTEM)
    token = Token.objects.create(user=bot)
    payload = {
        "channel": "chat",
        "description": "Rác thải ùn ứ ở đầu hẻm",
        "category_code": "rac-thai",
        "address": ADDRESS,
        "contact_name": "Đỗ Minh Khang",
        "phone": "0966555444",
        "external_id": "zl-1",
    }
    assert client.post("/api/v1/feedback/reports", payload, content_type="application/json").status_code in (
        401,
        403,
    )
    r = client.post(
        "/api/v1/feedback/reports",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    again = client.post(
        "/api/v1/feedback/reports",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert again.status_code == 200 and again.json()["code"] == code
    bad = client.post(
        "/api/v1/feedback/reports",
        {"description": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert bad.status_code == 400
    report = Report.objects.get()
    assert report.channel == Channel.CHAT
    walk(client, report, *unit_staff, reporter_name="Đỗ Minh Khang", phone="0966555444")
    status = client.get(f"/api/v1/feedback/reports/{code}", HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert status["status"] == "closed" and "Trả lời lần hai" in status["public_answer"]


def test_open311(client, categories, unit_staff):
    services.create_api_key("app", "k-123")
    r = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": "k-123",
            "service_code": "rac-thai",
            "address_string": ADDRESS,
            "first_name": "Hưng",
            "last_name": "Ngô",
            "phone": "0944000999",
            "description": "Rác thải chất đống ở lề đường",
        },
    )
    assert r.status_code == 200
    report = Report.objects.get(code=r.json()[0]["service_request_id"])
    assert report.contact_name == "Hưng Ngô"
    walk(client, report, *unit_staff, reporter_name="Hưng Ngô", phone="0944000999")
    [row] = client.get(f"/open311/v2/requests/{report.code}.json").json()
    assert row["status"] == "closed" and row["status_notes"] == report.public_answer
