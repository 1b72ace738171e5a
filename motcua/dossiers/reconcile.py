"""After a fault run: compare what clients were told with what the platform stored and what the gateways got.

`motcua reconcile` prints, and exits non-zero on any problem:
- dossiers acknowledged to clients vs stored: none lost (an acknowledged code that is not stored), none
  duplicated (two dossiers for one idempotency key, or one key acknowledged under two codes);
- the citizens' outbox: every message sent reached the SMS gateway once, no key delivered twice, nothing
  pending past its lease or given up;
- the national-portal outbox: every status message sent is at the portal once, in order per dossier,
  nothing pending past its lease;
- the audit chains verify;
- no task is stuck RUNNING past its lease.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Count
from django.utils import timezone

from motcua.core import audit, taskhealth
from motcua.core.models import OutboundMessage
from motcua.dossiers.models import Dossier, PortalMessage


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def info(self, text: str) -> None:
        self.lines.append(text)

    def problem(self, text: str) -> None:
        self.problems.append(text)
        self.lines.append("PROBLEM: " + text)


def _get_json(url: str) -> Any:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url}")
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - scheme checked
        return json.loads(response.read().decode("utf-8"))


def acknowledged(path: Path) -> list[dict[str, str]]:
    """The load generator's record: one JSON object per line, {"key": idempotency key, "code": dossier code}."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def check_dossiers(report: Report, acks: list[dict[str, str]]) -> None:
    codes = [row["code"] for row in acks]
    keys = [row["key"] for row in acks if row.get("key")]
    stored = set(Dossier.objects.filter(code__in=codes).values_list("code", flat=True))
    lost = sorted({code for code in codes if code not in stored})
    pairs = {(row["key"], row["code"]) for row in acks if row.get("key")}
    codes_per_key = Counter(key for key, _code in pairs)
    split = [key for key, n in codes_per_key.items() if n > 1]  # one submission acknowledged as two dossiers
    duplicated = list(
        Dossier.objects.filter(idempotency_key__in=keys)
        .values("idempotency_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("idempotency_key", flat=True)
    )
    unacknowledged = Dossier.objects.filter(idempotency_key__in=keys).exclude(code__in=codes).count()
    report.info(
        f"dossiers: {len(set(codes))} acknowledged, {len(stored)} of them stored, {len(lost)} lost, "
        f"{len(duplicated) + len(split)} duplicated ({len(acks)} acknowledgements)"
    )
    if lost:
        report.problem(f"{len(lost)} acknowledged dossiers are not stored, e.g. {lost[:5]}")
    if duplicated or split:
        report.problem(f"duplicated dossiers for idempotency keys {(duplicated + split)[:5]}")
    if unacknowledged:
        report.problem(f"{unacknowledged} dossiers stored under an acknowledged key with another code")


def check_outbox(report: Report, sms_gateway: str | None, now: dt.datetime, drained: bool = False) -> None:
    counts = Counter(OutboundMessage.objects.values_list("status", flat=True))
    overdue = OutboundMessage.objects.filter(status="pending", created_at__lt=now - dt.timedelta(minutes=10))
    stuck_leases = OutboundMessage.objects.filter(status="pending", lease_until__lt=now).count()
    report.info(
        f"outbox: {counts.get('sent', 0)} sent, {counts.get('pending', 0)} pending "
        f"({stuck_leases} with an expired lease, due again), {counts.get('failed', 0)} failed"
    )
    if overdue.exists():
        report.problem(f"{overdue.count()} messages still pending after 10 minutes")
    elif drained and counts.get("pending", 0):
        report.problem(f"{counts['pending']} messages still pending")
    if sms_gateway:
        delivered = _get_json(sms_gateway)["delivered"]
        per_key = Counter(item["key"] for item in delivered)
        twice = [key for key, n in per_key.items() if n > 1]
        sent_sms = set(
            OutboundMessage.objects.filter(channel="sms", status="sent").values_list("key", flat=True)
        )
        missing = sent_sms - set(per_key)
        report.info(
            f"SMS gateway: {len(delivered)} delivered, {len(twice)} keys twice, {len(missing)} missing"
        )
        if twice:
            report.problem(f"SMS delivered twice for keys {twice[:5]}")
        if missing:
            report.problem(f"{len(missing)} SMS marked sent never reached the gateway")


def check_portal(report: Report, portal_url: str | None, now: dt.datetime, drained: bool = False) -> None:
    pending = PortalMessage.objects.filter(state=PortalMessage.State.PENDING)
    late = pending.filter(created_at__lt=now - dt.timedelta(minutes=10)).count()
    report.info(f"national portal outbox: {pending.count()} pending ({late} older than 10 minutes)")
    if late:
        report.problem(f"{late} national-portal messages still pending after 10 minutes")
    elif drained and pending.exists():
        report.problem(f"{pending.count()} national-portal messages still pending")
    if portal_url:
        received = _get_json(portal_url)["messages"]
        ids = Counter(str(m["message_id"]) for m in received)
        twice = [key for key, n in ids.items() if n > 1]
        sent = {
            str(m): (d, s)
            for m, d, s in PortalMessage.objects.filter(state=PortalMessage.State.SENT).values_list(
                "message_id", "dossier_id", "seq"
            )
        }
        missing = set(sent) - set(ids)
        last_seq: dict[int, int] = {}
        out_of_order = 0
        for message in received:
            dossier_seq = sent.get(str(message["message_id"]))
            if dossier_seq is None:
                continue
            dossier, seq = dossier_seq
            if seq < last_seq.get(dossier, 0):
                out_of_order += 1
            last_seq[dossier] = seq
        report.info(
            f"national portal: {len(received)} received, {len(twice)} twice, {len(missing)} missing, "
            f"{out_of_order} out of order"
        )
        if twice or missing or out_of_order:
            report.problem("national-portal deliveries are not exactly once and in order")


def check_audit(report: Report) -> None:
    checked, problems = audit.verify()
    report.info(f"audit: {checked} entries checked, {len(problems)} problems")
    for problem in problems[:10]:
        report.problem(f"audit {problem}")


def check_tasks(report: Report, now: dt.datetime) -> None:
    stuck = taskhealth.stuck(now)
    report.info(f"tasks: {stuck} stuck past their lease")
    if stuck:
        report.problem(f"{stuck} tasks RUNNING past their lease (run the reaper: motcua periodic)")


def reconcile(
    *,
    acknowledged_file: Path | None = None,
    sms_gateway: str | None = None,
    portal_url: str | None = None,
    drained: bool = False,
) -> Report:
    """`drained`: the load has stopped and the queues had time to empty, so anything pending is a problem."""
    report = Report()
    now = timezone.now()
    if acknowledged_file is not None:
        check_dossiers(report, acknowledged(acknowledged_file))
    check_outbox(report, sms_gateway, now, drained)
    check_portal(report, portal_url, now, drained)
    check_audit(report)
    check_tasks(report, now)
    return report
