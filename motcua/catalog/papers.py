"""Read one paper of a procedure the way the legal text states it.

The national portal lists each paper as flattened text: the group heading ("Giấy tờ phải nộp", "Trường
hợp ủy quyền ... một trong những giấy tờ sau"), the paper's own wording and a quantity column ("1 bản
chính,1 bản sao"). A counter officer reads four things from them, and so does this parser:

- the **condition** ("trường hợp ...") under which the paper is needed, or None when it always is;
- the **kind**: handed in (nộp), only shown (xuất trình), or held by the registry (the registration body
  takes it from the population database itself, so the citizen is not asked for it);
- the **copy kind** (bản chính / bản sao / bản sao chứng thực) and the **quantity**.

Wording that the rules cannot read with confidence sets `needs_review` with a reason for the official who
reviews the catalog; nothing is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from motcua.catalog.models import CopyKind, RequirementKind
from motcua.org.selectors import fold

GROUPS = {
    "giay to phai nop": RequirementKind.SUBMIT,
    "giay to phai xuat trinh": RequirementKind.SHOW,
    "luu y": RequirementKind.NOTE,
}
MAX_PLAUSIBLE_QUANTITY = 10

_ORIGINALS = re.compile(r"(\d+)\s*bản\s*chính", re.I)
_COPIES = re.compile(r"(\d+)\s*bản\s*sao", re.I)
_CERTIFIED = re.compile(r"bản\s+sao\s+(?:có\s+|được\s+)?chứng\s+thực", re.I)
# "Trường hợp X thì ..." / "Trường hợp X phải có ..." / "Đối với trường hợp X, ..." at the start.
_LEADING = re.compile(
    r"^\s*(?:[a-zđ]\)|\(?[ivx\d.]+\)|[a-zđ]\.)?\s*(?:đối với\s+)?(trường hợp\s+.+?)(?:\s+(?:thì|phải|cần)\b|,|:|\.|$)",
    re.I,
)
# "... trong trường hợp X." inside the paper's own wording.
_INSIDE = re.compile(r"\btrong\s+(trường hợp\s+.+?)(?:\.|;|$)", re.I)
_ONE_OF = re.compile(r"một trong (?:những|các) giấy tờ", re.I)


@dataclass
class Paper:
    kind: str
    condition: str | None
    copy_kind: str
    quantity: int
    quantity_original: int
    quantity_copy: int
    required: bool
    review: list[str] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return bool(self.review)


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip(" ,.;:")
    return text[:1].upper() + text[1:]


def condition_of(text: str) -> str | None:
    """The 'Trường hợp ...' clause that makes a paper conditional, None when the paper is always needed.

    A 'trường hợp' that names an alternative for a missing paper ('Giấy chứng sinh; trường hợp không có
    Giấy chứng sinh thì nộp ...') is not a condition: the paper (or its stand-in) is always needed.
    """
    match = _LEADING.match(text)
    if match:
        return _sentence(match.group(1))[:300]
    match = _INSIDE.search(text)
    if match:
        return _sentence(match.group(1))[:300]
    return None


def registry_held(text: str) -> bool:
    """The paper is one the registration body reads from the population database itself."""
    folded = fold(text)
    return "khai thac" in folded and ("co so du lieu" in folded or "csdl" in folded)


def read_paper(item: str, quantity: str | None, group: str | None) -> Paper:
    """One paper of the national portal's list, read as the counter officer would."""
    review: list[str] = []
    group_text = (group or "").strip()
    folded_group = fold(group_text)
    kind = GROUPS.get(folded_group)
    group_condition = None
    if kind is None:
        if group_text:
            group_condition = condition_of(group_text)
            kind = RequirementKind.SHOW if "xuat trinh" in folded_group else RequirementKind.SUBMIT
        else:
            kind = RequirementKind.SUBMIT
    condition = None
    if kind != RequirementKind.NOTE:
        if registry_held(item):
            kind = RequirementKind.REGISTRY
        else:
            condition = condition_of(item) or group_condition
    folded = fold(item)
    required = "neu co" not in folded
    if _ONE_OF.search(group_text):
        required = False
        review.append("Nhóm “một trong những giấy tờ”: người nộp chỉ cần một giấy tờ trong nhóm.")
    if kind == RequirementKind.REGISTRY:
        required = False

    text = quantity or ""
    originals = int(m.group(1)) if (m := _ORIGINALS.search(text)) else 0
    copies = int(m.group(1)) if (m := _COPIES.search(text)) else 0
    if not originals and not copies:
        bare = re.match(r"^\s*(\d+)\s*$", text)
        originals = int(bare.group(1)) if bare else 1
        review.append(f"Số lượng “{text or 'trống'}” không ghi bản chính hay bản sao: tạm hiểu là bản chính.")
    certified = bool(_CERTIFIED.search(item))
    if originals and copies:
        mentions_copy = "ban sao" in folded
        mentions_original = "ban chinh" in folded
        if mentions_copy and not mentions_original:
            copy_kind, count = (CopyKind.CERTIFIED_COPY if certified else CopyKind.COPY), copies
        elif mentions_original and not mentions_copy:
            copy_kind, count = CopyKind.ORIGINAL, originals
        else:
            copy_kind, count = CopyKind.ORIGINAL, originals
            review.append("Cổng DVC ghi cả bản chính và bản sao: tạm hiểu là bản chính.")
    elif copies:
        copy_kind, count = (CopyKind.CERTIFIED_COPY if certified else CopyKind.COPY), copies
    else:
        copy_kind, count = CopyKind.ORIGINAL, originals
    if count > MAX_PLAUSIBLE_QUANTITY:
        review.append(f"Số lượng {count} bất thường (có thể lỗi thu thập): tạm hiểu là 1.")
        count = 1
    if condition is None and fold(item).startswith("truong hop"):
        review.append("Bắt đầu bằng “Trường hợp” nhưng không tách được điều kiện.")
    return Paper(
        kind=kind,
        condition=condition,
        copy_kind=copy_kind,
        quantity=count,
        quantity_original=originals,
        quantity_copy=copies,
        required=required,
        review=review,
    )
