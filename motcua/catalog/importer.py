"""Turn records of the shared procedures file (national portal crawl) into procedure snapshots.

Reads the file's `meta`: a processing time given as a bare number lost its unit in the crawl; it is read
as working days (that is what the legal texts say) and the procedure is flagged "needs review". Missing
values stay empty: nothing is invented.
"""

from __future__ import annotations

import re
from typing import Any

from motcua.catalog.models import Channel, CompetentLevel, OnlineLevel, ProcedureStatus
from motcua.catalog.papers import read_paper
from motcua.catalog.snapshots import dec
from motcua.core.calendar import LegalTimeUnit
from motcua.org.selectors import fold

CHANNELS = {
    "truc tiep": Channel.COUNTER,
    "truc tuyen": Channel.ONLINE,
    "dich vu buu chinh": Channel.POST,
}
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(.*)$", re.S)


def channel_of(label: str | None) -> str:
    return CHANNELS.get(fold(label or ""), Channel.COUNTER)


def parse_time(text: str | None) -> tuple[str, str, bool] | None:
    """'5 Ngày làm việc' -> ('5.00', 'working_days', False); '1' -> ('1.00', 'working_days', True)."""
    if not text:
        return None
    match = _NUMBER.match(str(text))
    if not match:
        return None
    value, rest = match.groups()
    unit_text = fold(rest)
    unit_text = unit_text.strip("() ")
    if unit_text.startswith("ngay lam viec") or unit_text.startswith("lam viec"):
        unit, bare = LegalTimeUnit.WORKING_DAYS, False
    elif unit_text.startswith("gio"):
        unit, bare = LegalTimeUnit.HOURS, False
    elif unit_text.startswith("ngay"):
        unit, bare = LegalTimeUnit.DAYS, False
    elif not unit_text:
        unit, bare = LegalTimeUnit.WORKING_DAYS, True
    else:
        return None
    return dec(value), unit, bare


def parse_amount(text: str | None) -> tuple[int, str] | None:
    """'8,000 VNĐ' -> (8000, ''); '2,000 Việt Nam Đồng(/trang)' -> (2000, '/trang'); 'Miễn phí' -> (0, ...)."""
    if text is None:
        return None
    folded = fold(text)
    if folded.startswith(("mien phi", "khong", "0 dong")) or folded in ("0", ""):
        return 0, text.strip()
    if "usd" in folded:
        return 0, text.strip()
    match = re.match(r"^\s*([\d.,]+)\s*(.*)$", text)
    if not match:
        return 0, text.strip()
    number = int(re.sub(r"[^\d]", "", match.group(1)) or 0)
    per = re.search(r"\(([^)]*)\)", match.group(2) or "")
    return number, per.group(1) if per else ""


def parse_quantity(text: str | None) -> tuple[int, int]:
    folded = fold(text or "")
    match = re.match(r"(\d+)", folded)
    n = int(match.group(1)) if match else 0
    if "sao" in folded:
        return 0, n
    return n, 0


def competent_level(level: str | None) -> str:
    folded = fold(level or "")
    if "cap xa" in folded:
        return CompetentLevel.COMMUNE
    if "cap tinh" in folded:
        return CompetentLevel.PROVINCE
    if "cap bo" in folded:
        return CompetentLevel.MINISTRY
    return CompetentLevel.AGENCY


def online_level(online: dict | None) -> str | None:
    """Explicit level when the source labels it; None when it only says online filing exists."""
    label = fold((online or {}).get("toan_trinh_or_mot_phan") or "")
    if label.startswith("mot phan"):
        return OnlineLevel.PARTIAL
    if label.startswith("toan trinh"):
        return OnlineLevel.FULL
    return None


def form_name(item: str) -> str:
    match = re.search(r"(Mẫu số\s*[\w/.-]+)", item)
    if match:
        return match.group(1)[:200]
    if fold(item).startswith("to khai"):
        return item.split("(")[0].strip()[:200]
    return ""


def optional_paper(item: str) -> bool:
    """Papers brought only when the applicant has them ("nếu có"); a "trường hợp ..." paper is not
    optional but conditional (`catalog.papers.condition_of`)."""
    folded = fold(item)
    return "neu co" in folded or folded.startswith("ban sao ket luan")


def record_to_snapshot(record: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """(snapshot without children ordering surprises, explicit online level or None)."""
    review: list[str] = []
    times: dict[str, list] = {}
    extra_times: list[str] = []
    pt = record.get("processing_time") or {}
    for entry in pt.get("by_channel") or []:
        parsed = parse_time(entry.get("value"))
        channel = channel_of(entry.get("channel"))
        if parsed is None:
            if entry.get("value"):
                review.append(f"Không đọc được thời hạn “{entry.get('value')}”.")
            continue
        value, unit, bare = parsed
        if bare:
            note = "Số không kèm đơn vị trên Cổng DVC; hiểu là ngày làm việc (cần rà soát)."
            if "Thời hạn chỉ có số" not in " ".join(review):
                review.append("Thời hạn chỉ có số, không có đơn vị: tạm hiểu là ngày làm việc.")
        else:
            note = ""
        if channel in times:
            if times[channel][1:3] != [value, unit]:
                extra_times.append(f"{entry.get('channel')}: {entry.get('value')}")
            continue
        times[channel] = [channel, value, unit, note]
    if not times:
        review.append("Chưa có thời hạn giải quyết.")
    default = times.get(Channel.COUNTER) or next(iter(times.values()), None)
    time_notes = [*extra_times, *(pt.get("notes_from_procedure_steps") or [])]
    if pt.get("unit_note"):
        time_notes.insert(0, pt["unit_note"])

    fees: list[list] = []
    fee = record.get("fee") or {}
    for entry in fee.get("by_channel") or []:
        priced = parse_amount(entry.get("amount"))
        if priced is None:
            continue
        amount, description = priced
        channel = channel_of(entry.get("channel")) if entry.get("channel") else ""
        if fee.get("by_channel") and len(fee["by_channel"]) == 1 and not entry.get("channel"):
            channel = ""
        fees.append([channel, amount, description or (entry.get("amount") or "")[:300], ""])
    # The file's fee notes are the researchers' remarks (in English), not text for citizens: keep them
    # with the sources for the officials who review the procedure.
    fee_remarks = [*(fee.get("notes") or [])]
    if record.get("fee_summary"):
        fee_remarks.append(record["fee_summary"])

    requirements = []
    for position, comp in enumerate(record.get("dossier_components") or [], start=1):
        item = (comp.get("item") or "").strip()
        if not item:
            continue
        paper = read_paper(item, comp.get("quantity"), comp.get("group"))
        review.extend(f"Giấy tờ {position}: {reason}" for reason in paper.review)
        requirements.append(
            [
                position,
                item,
                paper.kind,
                paper.quantity_original,
                paper.quantity_copy,
                comp.get("quantity") or "",
                form_name(item),
                paper.required and not optional_paper(item),
                paper.condition,
                paper.copy_kind,
                paper.quantity,
                paper.needs_review,
            ]
        )

    level = record.get("level") or ""
    if "verify" in level:
        review.append("Cấp thực hiện thay đổi sau sắp xếp đơn vị hành chính 2025: cần xác minh.")
    sources = list(record.get("sources") or [])
    if record.get("conflict"):
        # The maintainers' note (English, with its sources) stays in the sources; officers read Vietnamese.
        review.append("Các nguồn ghi khác nhau về thời hạn hoặc trình tự: cần đối chiếu văn bản gốc.")
        sources.append(f"conflict: {record['conflict']}")
    confidence = record.get("confidence") or ""
    if confidence:
        sources.append(f"confidence: {confidence}")
    sources.extend(f"fee note: {remark}" for remark in fee_remarks)
    for key in ("processing_time_statutory", "processing_time_statutory_source", "cross_checks"):
        if record.get(key):
            value = record[key]
            sources.append(f"{key}: {value if isinstance(value, str) else '; '.join(map(str, value))}")

    snapshot = {
        "code": record["code"].strip(),
        "local_suffix": "",
        "name": record["name"].strip()[:500],
        "field": (record.get("field") or "").strip()[:200],
        "competent_level": competent_level(level),
        "level_text": level[:300],
        "competent_agency": "",
        "applicants": record.get("applicants") or "",
        "conditions": record.get("conditions") or "",
        "result_text": "\n".join(record.get("result") or []),
        "legal_basis": "\n".join(record.get("legal_basis") or []),
        "online_level": OnlineLevel.PARTIAL
        if (record.get("online") or {}).get("online_submission_listed")
        else OnlineLevel.NONE,
        "status": ProcedureStatus.ACTIVE,
        "successor": "",
        "time_value": default[1] if default else "",
        "time_unit": default[2] if default else LegalTimeUnit.WORKING_DAYS,
        "time_note": "\n".join(time_notes),
        "fee_note": "",
        "publishing_ref": (record.get("publishing_decision") or "")[:120],
        "needs_review": bool(review),
        "review_note": "\n".join(review),
        "is_demo": False,
        "sources": sources,
        "times": sorted(times.values()),
        "requirements": requirements,
        "fees": fees,
    }
    explicit = online_level(record.get("online"))
    if explicit:
        snapshot["online_level"] = explicit
    return snapshot, explicit
