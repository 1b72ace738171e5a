"""E-mail intake against local POP3 and IMAP servers started by the test."""

from email.message import EmailMessage

from motcua.feedback import mailbox
from motcua.feedback.models import Channel, Report
from motcua.feedback.tests.imapserver import Folder, IMAPServer
from motcua.feedback.tests.pop3server import Mailbox, POP3Server


def message(
    n: int, text: str, sender: str = "Võ Thị Hà <ha@example.com>", subject: str | None = None
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "phananh@tphcm.gov.vn"
    msg["Subject"] = f"Phản ánh số {n}" if subject is None else subject
    msg["Message-ID"] = f"<m{n}@example.com>"
    msg.set_content(text)
    return msg.as_bytes()


def test_imap_mailbox(categories, ward_b):
    folder = Folder(
        "phananh",
        "pw",
        [
            message(1, "Đèn đường tắt cả tuần ở 45 Lê Lợi, phường Sài Gòn."),
            message(2, "ngắn", subject=""),  # too short to be a report: logged, removed, nothing filed
        ],
    )
    with IMAPServer(folder) as server:
        assert mailbox.fetch(server.url) == 1
        assert folder.messages == []
        assert mailbox.fetch(server.url) == 0
    report = Report.objects.get()
    assert report.channel == Channel.EMAIL and report.unit == ward_b and report.category.code == "chieu-sang"
    assert report.contact_name == "Võ Thị Hà" and report.email == "ha@example.com"


def test_wrong_password_files_nothing(categories):
    import poplib

    import pytest

    box = Mailbox("phananh", "pw", [message(3, "Rác thải tồn đọng ở phường Sài Gòn")])
    with POP3Server(box) as server:
        with pytest.raises(poplib.error_proto):
            mailbox.fetch(server.url.replace(":pw@", ":sai@"))
    assert Report.objects.count() == 0 and len(box.messages) == 1


def test_no_mailbox_configured_is_a_no_op(settings, categories):
    settings.FEEDBACK_MAILBOX_URL = ""
    assert mailbox.fetch() == 0
