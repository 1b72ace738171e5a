"""Understanding one question and building its answer only from stored facts.

`understand()` decides the intent (procedure, status, feedback, hand-over), the procedure or guide entry
and the facets asked; `reply_for()` writes the short Vietnamese message from the catalog's structured
fields, the guide entry or the public dossier look-up, and names its source. Nothing here writes: the
conversation, the hand-over and the feedback report are written by `services.ask`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from motcua.assistant.index import Doc, Hit, Index, cached_index
from motcua.assistant.models import Example, GuideEntry, Intent, Synonym
from motcua.assistant.text import (
    DEFAULT_LEXICON,
    FEEDBACK_WORDS,
    HANDOVER_WORDS,
    STATUS_WORDS,
    Lexicon,
    content_words,
    extract_code,
    facets,
    has_any,
    normalise,
)
from motcua.catalog import selectors as catalog
from motcua.dossiers import selectors as dossiers

# Confidence: the best target shares a distinctive word pair (IDF of the pair) with the question, or most
# of its meaningful words (IDF-weighted); tuned on data/eval-train.jsonl only.
MIN_COVERAGE = 0.8
MIN_DISTINCTIVE = 1.5
CATALOG_WEIGHT = 1.5
RRF_K = 2.0
PRECISION_WEIGHT = 0.0
CATALOG_EXPANSIONS = True
# Words of a question's grammar that are meaning in procedure names ("có yếu tố nước ngoài", "không theo
# tuyến"): "có mất tiền không" must not pull the foreign-element procedure up.
QUESTION_FILLERS = frozenset({"co", "khong", "duoc", "phai"})
STRONG_FEEDBACK = ("phan anh", "khieu nai", "to cao", "buc xuc", "kien nghi")
FACET_ORDER = ("papers", "fee", "time", "place", "who", "online")
UNIT_LABELS = {
    "same_day": "trong ngày",
    "working_days": "ngày làm việc",
    "days": "ngày",
    "hours": "giờ làm việc",
}
CHANNEL_LABELS = {"counter": "nộp trực tiếp", "online": "nộp trực tuyến", "post": "qua bưu chính", "": ""}
MAX_PAPERS = 6


@dataclass
class Context:
    """What the conversation already established (follow-ups use the previous procedure)."""

    procedure_code: str = ""
    guide_id: int | None = None


@dataclass
class Understanding:
    intent: str
    procedure_codes: list[str] = field(default_factory=list)
    guide_id: int | None = None
    dossier_code: str | None = None
    facets: list[str] = field(default_factory=list)
    score: float = 0.0
    coverage: float = 0.0
    reason: str = ""  # why a hand-over
    followup: bool = False


# --- the index over the catalog, the guide and the learned examples ------------------------------------


def _stamp() -> tuple[Any, ...]:
    procedures = catalog.active_procedures().aggregate(n=Count("id"), last=Max("updated_at"))
    guides = GuideEntry.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    examples = Example.objects.aggregate(n=Count("id"), last=Max("id"))
    synonyms = Synonym.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (
        tuple(procedures.values())
        + tuple(guides.values())
        + tuple(examples.values())
        + tuple(synonyms.values())
    )


def lexicon() -> Lexicon:
    rows = list(Synonym.objects.values_list("phrase", "replacement", "expand"))
    return Lexicon.of(rows) if rows else DEFAULT_LEXICON


def documents() -> list[Doc]:
    docs: list[Doc] = []
    for p in catalog.active_procedures().only("code", "name", "result_text", "applicants", "field__name"):
        target = ("p", p.code)
        field_name = p.field.name if p.field_id and p.field else ""
        docs.append(Doc(target, f"{p.name}. {p.name}. {field_name}. {p.result_text[:200]}", name=p.name))
    for g in GuideEntry.objects.filter(active=True):
        docs.append(Doc(("g", str(g.pk)), f"{g.title}. {g.title}. {g.body[:300]}", name=g.title))
        for line in g.keywords.splitlines():
            if line.strip():
                docs.append(Doc(("g", str(g.pk)), line))
    for e in Example.objects.all().only("text", "procedure_code", "guide_id"):
        target = ("g", str(e.guide_id)) if e.guide_id else ("p", e.procedure_code)
        docs.append(Doc(target, e.text, example=True))
    return docs


def build_index() -> Index:
    return Index.build(documents(), lexicon())


def current_index() -> Index:
    return cached_index(_stamp, build_index)


# --- understanding ----------------------------------------------------------------------------------------


def _confident(hit: Hit | None) -> bool:
    return hit is not None and hit.distinctive >= MIN_DISTINCTIVE


def rank(question: str, index: Index) -> list[Hit]:
    """Targets best first: a learned example with the same words wins; otherwise the catalog's own
    search (synonyms, misspellings, phrase bonus) and the assistant's BM25 index (guide entries,
    learned examples) are fused by reciprocal rank."""
    _folded, query = index.query(question)
    typed = index.typed(question)
    learned = index.learned(question)
    if learned is not None:
        return [Hit(target=learned, score=100.0, coverage=1.0, distinctive=100.0)]
    fused: dict[tuple[str, str], float] = {}
    for position, procedure in enumerate(catalog.search(_catalog_query(question, index), limit=5)):
        key = ("p", procedure.code)
        fused[key] = fused.get(key, 0.0) + CATALOG_WEIGHT / (RRF_K + position)
    bm25 = {hit.target: hit for hit in index.search(question, limit=8)}
    for position, target in enumerate(bm25):
        fused[target] = fused.get(target, 0.0) + 1.0 / (RRF_K + position)
    # Precision: a procedure whose name the question says entirely ("đăng ký khai sinh") beats one with
    # words the citizen did not say ("... có yếu tố nước ngoài").
    said = set(query)
    for target in fused:
        fused[target] += PRECISION_WEIGHT * index.precision(target, said)
    ordered = [
        bm25.get(t) or index.describe(t, query, typed=typed) for t in sorted(fused, key=lambda t: -fused[t])
    ]
    # A guide entry the question matches at least as well as the best procedure answers it.
    guide = next((h for h in bm25.values() if h.target[0] == "g"), None)
    if (
        ordered
        and guide is not None
        and guide.distinctive >= MIN_DISTINCTIVE
        and guide.coverage >= ordered[0].coverage
    ):
        ordered.remove(guide)
        ordered.insert(0, guide)
    return ordered


def _catalog_query(question: str, index: Index) -> str:
    """The question for the catalog's search: abbreviations spelled out; phrase expansions only when
    CATALOG_EXPANSIONS (the catalog applies its own synonym table)."""
    lexicon = index.lexicon if CATALOG_EXPANSIONS else Lexicon(replace=index.lexicon.replace, expand={})
    return " ".join(w for w in normalise(question, lexicon).split() if w not in QUESTION_FILLERS)


def understand(question: str, context: Context | None = None, index: Index | None = None) -> Understanding:
    context = context or Context()
    index = index or current_index()
    code = extract_code(question)
    if code:
        return Understanding(intent=Intent.STATUS, dossier_code=code)
    folded = normalise(question, index.lexicon)
    asked = facets(folded)
    if has_any(folded, HANDOVER_WORDS):
        return Understanding(intent=Intent.HANDOVER, reason="asked_for_officer", facets=asked)
    if has_any(folded, STATUS_WORDS):
        return Understanding(intent=Intent.STATUS, facets=asked)
    hits = rank(question, index)
    top = hits[0] if hits else None
    codes = [h.target[1] for h in hits if h.target[0] == "p"][:3]
    if has_any(folded, STRONG_FEEDBACK) or (has_any(folded, FEEDBACK_WORDS) and not _confident(top)):
        return Understanding(intent=Intent.FEEDBACK, facets=asked)
    # A follow-up ("còn lệ phí thì sao?"): a facet and no subject of its own.
    facet_only = asked and not [w for w in content_words(folded) if w not in _FACET_WORDS]
    if context.procedure_code and asked and (facet_only or not _confident(top)):
        return Understanding(
            intent=Intent.PROCEDURE, procedure_codes=[context.procedure_code], facets=asked, followup=True
        )
    if top is None or not _confident(top):
        return Understanding(
            intent=Intent.HANDOVER,
            reason="low_confidence" if top else "out_of_scope",
            facets=asked,
            score=top.score if top else 0.0,
            coverage=top.coverage if top else 0.0,
            procedure_codes=codes,
        )
    guide_id = int(top.target[1]) if top.target[0] == "g" else None
    return Understanding(
        intent=Intent.PROCEDURE,
        procedure_codes=codes,
        guide_id=guide_id,
        facets=asked,
        score=top.distinctive,
        coverage=top.coverage,
    )


_FACET_WORDS = frozenset(
    w
    for phrases in (
        ("giay to", "le phi", "phi", "tien", "bao lau", "thoi gian", "thoi han", "online", "truc tuyen"),
        ("mang", "dich vu", "cong", "chuan bi", "mang theo", "dieu kien", "doi tuong", "dia chi", "chi phi"),
        (
            "lau",
            "nhanh",
            "mat",
            "ton",
            "dong",
            "tra",
            "sao",
            "them",
            "nua",
            "ngoai",
            "nop",
            "nha",
            "dien thoai",
        ),
        ("thanh phan", "mien", "co quan", "ban", "chinh"),
    )
    for phrase in phrases
    for w in phrase.split()
)


# --- replies ---------------------------------------------------------------------------------------------


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _date(value: str | None) -> str:
    if not value:
        return ""
    return timezone.localtime(dt.datetime.fromisoformat(value)).strftime("%d/%m/%Y")


def _time_text(procedure: Any) -> str:
    value, unit = catalog.legal_time(procedure, "counter")
    if unit == "same_day" or (Decimal(value) == 0 and unit != "hours"):
        return "giải quyết trong ngày (nhận sau 15 giờ thì trả ngày làm việc tiếp theo)"
    number = Decimal(value).normalize()
    return f"{number:f} {UNIT_LABELS.get(unit, unit)}"


def _fee_text(procedure: Any) -> str:
    fees = list(procedure.fees.all())
    if not fees:
        return procedure.fee_note.strip()[:200] or "danh mục không ghi lệ phí cho thủ tục này"
    parts = []
    for fee in fees[:4]:
        channel = CHANNEL_LABELS.get(fee.channel, fee.channel)
        amount = "miễn phí" if fee.amount == 0 and "mi" in fee.description.lower() else None
        if amount is None:
            amount = _money(fee.amount) if fee.amount else fee.description
        suffix = f" {fee.description}" if fee.amount and fee.description.startswith("/") else ""
        parts.append(f"{channel}: {amount}{suffix}".strip(": "))
    return "; ".join(parts)


def _papers_text(procedure: Any) -> str:
    """The papers as the catalog states them (catalog.papers: kind, condition, copies): those always handed
    in first, then those only shown, then the ones a case needs ("Trường hợp …"), then what the registry holds."""
    papers = [r for r in catalog.papers(procedure) if r.kind != "note"]
    if not papers:
        return "danh mục chưa ghi thành phần hồ sơ"
    always = [
        f"- {r.short_name} ({r.quantity_label})" for r in papers if r.kind == "submit" and r.condition is None
    ]
    shown = [f"- Xuất trình: {r.short_name}" for r in papers if r.kind == "show" and r.condition is None]
    cases = [
        f"- {_in_case(r)} ({r.quantity_label})"
        for r in papers
        if r.kind in ("submit", "show") and r.condition
    ]
    held = [
        f"- Không phải nộp (cơ quan tự khai thác): {r.short_name}" for r in papers if r.kind == "registry"
    ]
    lines = always + shown + cases + held
    if len(lines) > MAX_PAPERS:
        lines = lines[:MAX_PAPERS] + [f"- … và {len(lines) - MAX_PAPERS} giấy tờ khác (xem trang thủ tục)"]
    return "\n".join(lines)


def _in_case(paper: Any) -> str:
    """'Trường hợp X: paper', unless the paper's own name already begins with its case."""
    case = paper.condition.rstrip(". ")
    if paper.short_name.lower().startswith(case[:20].lower()):
        return str(paper.short_name)
    return f"{case}: {paper.short_name}"


def _place_text(procedure: Any) -> str:
    where = procedure.competent_agency.name if procedure.competent_agency_id else ""
    level = procedure.level_text or ""
    text = where or (f"Bộ phận Một cửa, {level}" if level else "Bộ phận Một cửa UBND phường, xã")
    if procedure.online_level in ("full", "partial"):
        text += "; hoặc nộp trực tuyến trên Cổng dịch vụ công"
    return text


def _online_text(procedure: Any) -> str:
    if procedure.online_level == "full":
        return f"có, dịch vụ công trực tuyến toàn trình: nộp tại {catalog.submit_url(procedure)}"
    if procedure.online_level == "partial":
        return f"có, trực tuyến một phần: nộp tại {catalog.submit_url(procedure)}, nhận kết quả tại Bộ phận Một cửa"
    return "chưa có dịch vụ trực tuyến, vui lòng nộp tại Bộ phận Một cửa"


FACET_TEXT = {
    "papers": ("Hồ sơ cần nộp", _papers_text),
    "fee": ("Lệ phí", _fee_text),
    "time": ("Thời hạn giải quyết", _time_text),
    "place": ("Nơi nộp", _place_text),
    "who": ("Đối tượng thực hiện", lambda p: (p.applicants or "danh mục không ghi").strip()[:300]),
    "online": ("Nộp trực tuyến", _online_text),
}


def procedure_reply(procedure: Any, asked: list[str]) -> str:
    head = f"{procedure.name} (mã {procedure.code})"
    wanted = [f for f in FACET_ORDER if f in asked] or ["time", "fee", "online"]
    lines = [head + ":"]
    for facet in wanted:
        label, render = FACET_TEXT[facet]
        text = render(procedure)
        lines.append(f"{label}:\n{text}" if "\n" in text else f"{label}: {text}.")
    if not asked:
        lines.append(f"Hỏi thêm: giấy tờ, lệ phí, nơi nộp… Chi tiết: {catalog.procedure_url(procedure)}")
    lines.append(f"Nguồn: danh mục thủ tục hành chính, mã {procedure.code}.")
    return "\n".join(lines)


def guide_reply(entry: GuideEntry) -> str:
    return f"{entry.title}:\n{entry.body.strip()}\nNguồn: hướng dẫn của bộ phận Một cửa «{entry.title}»."


def status_reply(code: str | None) -> tuple[str, bool]:
    """(reply, found). The public look-up only: no names, no ID numbers, no addresses."""
    if not code:
        return (
            "Để tra cứu hồ sơ, vui lòng gửi mã số hồ sơ in trên giấy tiếp nhận "
            "(ví dụ 000.00.12.H29-250101-0001).",
            False,
        )
    found = dossiers.public_status(code)
    if found is None:
        return (
            f"Không tìm thấy hồ sơ mã {code} trên hệ thống của phường. Vui lòng kiểm tra lại mã trên giấy "
            "tiếp nhận; hồ sơ nộp ở nơi khác tra cứu trên Cổng dịch vụ công quốc gia.",
            False,
        )
    lines = [f"Hồ sơ {found['code']} – {found['procedure_name']}: {found['status_label']}."]
    step = found.get("step") or {}
    if step.get("order"):
        lines.append(f"Đang ở bước {step['order']}/{step['total']}: {step['name']}.")
    if found.get("returned_at"):
        lines.append(f"Đã trả kết quả ngày {_date(found['returned_at'])}.")
    elif found.get("appointment_at"):
        lines.append(f"Ngày hẹn trả: {_date(found['appointment_at'])}.")
    if found.get("overdue") and not found.get("returned_at"):
        lines.append("Hồ sơ đã quá hạn; bộ phận Một cửa sẽ liên hệ và xin lỗi theo quy định.")
    lines.append("Nguồn: tra cứu hồ sơ công khai.")
    return "\n".join(lines), True


def procedures_named(codes: list[str]) -> list[dict[str, str]]:
    named = []
    for code in codes:
        procedure = catalog.get_procedure(code)
        if procedure is not None:
            named.append({"code": procedure.code, "name": procedure.name})
    return named


HANDOVER_REPLY = (
    "Câu hỏi này cần cán bộ trả lời. Tôi đã chuyển cho cán bộ bộ phận Một cửa; "
    "câu trả lời sẽ được gửi vào cuộc trò chuyện này trong giờ hành chính."
)
