"""E-mail intake: messages in a configured mailbox (POP3 or IMAP) become reports.

FEEDBACK_MAILBOX_URL, e.g. `pop3s://phananh:secret@mail.example.vn:995` or
`imaps://phananh:secret@mail.example.vn:993/INBOX` (pop3:// and imap:// without TLS for local servers).
A message is deleted from the mailbox only after its report is committed; its Message-ID makes a second
fetch of the same message harmless.
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import logging
import poplib
import re
from email.utils import parseaddr
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from motcua.core.validation import PHONE_IN_TEXT
from motcua.feedback import selectors, services
from motcua.feedback.errors import FeedbackError
from motcua.feedback.intake import earlier_report
from motcua.feedback.models import Channel, Report

logger = logging.getLogger(__name__)
MAX_MESSAGES = 200


def mailbox_url() -> str:
    return settings.FEEDBACK_MAILBOX_URL


def _text_of(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = part.get_content()
    if part.get_content_type() == "text/html":
        text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def report_from_message(raw: bytes) -> Report | None:
    """Turn one RFC 822 message into a report (or return the report it already became)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    message_id = (message.get("Message-ID") or "").strip()[:255]
    earlier = earlier_report(Channel.EMAIL, message_id)
    if earlier is not None:  # skip reading the body; the service would give the same answer
        return earlier
    name, sender = parseaddr(str(message.get("From", "")))
    try:
        validate_email(sender)
    except ValidationError:
        sender = ""
    subject = str(message.get("Subject", "")).strip()
    body = _text_of(message)
    description = f"{subject}\n\n{body}".strip() if subject else body
    phone_match = PHONE_IN_TEXT.search(body)
    suggestions = selectors.suggest_categories(description, limit=1)
    try:
        return _submit(
            description,
            suggestions[0].code if suggestions else None,
            body,
            name,
            sender,
            phone_match,
            message_id,
        )
    except FeedbackError as exc:
        if suggestions:  # the suggested category may be what does not fit: leave it to the city's triage
            try:
                return _submit(description, None, body, name, sender, phone_match, message_id)
            except FeedbackError:
                pass
        logger.warning("feedback mail %s not turned into a report: %s", message_id, exc)
        return None


def _submit(description, category_code, body, name, sender, phone_match, message_id) -> Report:
    with transaction.atomic():
        return services.submit_report(
            channel=Channel.EMAIL,
            description=description[:5000],
            category_code=category_code,
            address=body[:300],
            contact_name=name,
            email=sender,
            phone=phone_match.group(0) if phone_match else "",
            actor="mailbox",
            external_id=message_id,
        )


def fetch(url: str | None = None) -> int:
    """Read the mailbox once; returns the number of reports created or found."""
    url = url or mailbox_url()
    if not url:
        return 0
    parts = urlparse(url)
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    if parts.scheme in ("pop3", "pop3s"):
        return _fetch_pop3(parts, user, password)
    if parts.scheme in ("imap", "imaps"):
        return _fetch_imap(parts, user, password)
    raise ValueError(f"unsupported mailbox scheme: {parts.scheme}")


def _fetch_pop3(parts, user: str, password: str) -> int:
    if parts.scheme == "pop3s":
        box = poplib.POP3_SSL(parts.hostname, parts.port or 995, timeout=30)
    else:
        box = poplib.POP3(parts.hostname, parts.port or 110, timeout=30)
    count = 0
    try:
        box.user(user)
        box.pass_(password)
        total, _size = box.stat()
        for number in range(1, min(total, MAX_MESSAGES) + 1):
            _resp, lines, _octets = box.retr(number)
            with transaction.atomic():
                report = report_from_message(b"\r\n".join(lines))
            if report is not None:
                count += 1
            box.dele(number)
    finally:
        box.quit()
    return count


def _fetch_imap(parts, user: str, password: str) -> int:
    folder = (parts.path or "/INBOX").lstrip("/") or "INBOX"
    box = (
        imaplib.IMAP4_SSL(parts.hostname, parts.port or 993)
        if parts.scheme == "imaps"
        else imaplib.IMAP4(parts.hostname, parts.port or 143)
    )
    count = 0
    try:
        box.login(user, password)
        box.select(folder)
        _typ, data = box.search(None, "UNSEEN")
        for num in (data[0].split() if data and data[0] else [])[:MAX_MESSAGES]:
            _typ, fetched = box.fetch(num, "(RFC822)")
            raw = fetched[0][1] if fetched and isinstance(fetched[0], tuple) else b""
            with transaction.atomic():
                report = report_from_message(raw)
            if report is not None:
                count += 1
            box.store(num, "+FLAGS", "\\Deleted")
        box.expunge()
    finally:
        try:
            box.logout()
        except Exception:  # noqa: BLE001 - closing a broken connection
            pass
    return count
