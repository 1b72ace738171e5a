"""What the reporter is told (SMS, else e-mail), queued in the outbox inside the action's transaction."""

from __future__ import annotations

from motcua.core import links
from motcua.core.notify import queue_message
from motcua.feedback.models import Report, ReportStatus


def public_url(path: str) -> str:
    return links.public_url(path)


def tracking_url(report: Report) -> str:
    """The reporter's own link: the public page of an unpublished report needs the report's secret token."""
    return public_url(f"/phan-anh/{report.code}/?t={report.token}")


def rating_url(report: Report) -> str:
    return public_url(f"/phan-anh/{report.code}/danh-gia/{report.rating_token}/")


def notify(report: Report, key: str, body: str, subject: str = "", secret: str = "") -> None:
    """SMS to the reporter's phone, else e-mail. Idempotent per key. `secret` (a token in a link) is
    masked in the outbox and kept sealed until delivery (core.notify)."""
    if report.phone:
        queue_message(
            key=f"feedback:{report.pk}:{key}:sms",
            channel="sms",
            recipient=report.phone,
            body=body,
            secret=secret,
            unit_id=report.unit_id,
            obj=report,
        )
    elif report.email:
        queue_message(
            key=f"feedback:{report.pk}:{key}:email",
            channel="email",
            recipient=report.email,
            body=body,
            subject=subject or f"Phản ánh {report.code}",
            secret=secret,
            unit_id=report.unit_id,
            obj=report,
        )


def tell_receipt(report: Report) -> None:
    notify(
        report,
        "receipt",
        f"Đã tiếp nhận phản ánh {report.code}. Tra cứu: {tracking_url(report)}. "
        f"Hạn trả lời: {report.deadline:%d/%m/%Y}.",
        secret=str(report.token),
    )


def tell_reporters(report: Report, key: str) -> None:
    """The answer goes to the reporter and to every reporter of a merged duplicate."""
    notify(
        report,
        key,
        f"Phản ánh {report.code} đã có trả lời. Xem và đánh giá: {rating_url(report)}",
        secret=report.rating_token,
    )
    for dup in report.duplicates.filter(status=ReportStatus.MERGED):
        notify(
            dup,
            f"{key}:via:{report.pk}",
            f"Phản ánh {dup.code} (gộp với {report.code}) đã có trả lời: "
            f"{links.report_tracking_url(report.code)}",
        )
