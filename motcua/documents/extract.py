"""Header fields of a Vietnamese administrative document (NĐ 30/2020 Phụ lục I layout) from its text layer.

The text is what OCR (or a born-digital PDF) gives, line by line; the national motto sits on the right of
the issuer and may share its lines. Proposed fields:
- issuer: the issuing body's own line as printed (the line under its superior body's, if there is one);
- number_notation: as printed after "Số:";
- issued_on: from "<place>, ngày 15 tháng 3 năm 2026";
- doc_type: the type's name in sentence case ("Quyết định"), "Công văn" for a letter with a "V/v" line;
- summary: the text after "V/v", or the title under the type name.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# Sentence-case names; matched on folded upper-case lines.
DOC_TYPES = [
    "Nghị quyết",
    "Quyết định",
    "Chỉ thị",
    "Quy chế",
    "Quy định",
    "Thông báo",
    "Hướng dẫn",
    "Chương trình",
    "Kế hoạch",
    "Phương án",
    "Đề án",
    "Dự án",
    "Báo cáo",
    "Biên bản",
    "Tờ trình",
    "Hợp đồng",
    "Công điện",
    "Bản ghi nhớ",
    "Bản thỏa thuận",
    "Giấy ủy quyền",
    "Giấy mời",
    "Giấy giới thiệu",
    "Giấy nghỉ phép",
    "Phiếu gửi",
    "Phiếu chuyển",
    "Phiếu báo",
    "Thư công",
    "Công văn",
]
LETTER = "Công văn"


def strip_marks(text: str) -> str:
    """Vietnamese without diacritics, same length as the NFC input (đ -> d); for matching and search."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        out.append({"đ": "d", "Đ": "D"}.get(base, base))
    return "".join(out)


def fold(text: str) -> str:
    """Lower case without diacritics: what search compares."""
    return strip_marks(text).lower()


_TYPES = {fold(name).upper(): name for name in DOC_TYPES}
_MOTTO = [
    re.compile(r"C[O0]NG\s*H[O0]A\s*X[A]\s*H[O0]I\s*CH[U]\s*NGH[I1l]A\s*VI[E]T\s*NAM", re.I),
    re.compile(r"D[o0]c\s*l[a]p\s*[-–—.]?\s*T[u]\s*d[o0]\s*[-–—.]?\s*H[a]nh\s*ph[u]c", re.I),
    # the motto wrapped onto the next line: its first words to the end of this line
    re.compile(r"\bC[O0]NG\s+H[O0]A\s+X[A]\b.*$", re.I),
    re.compile(r"\bD[o0]c\s+l[a]p\s*[-–—]\s*T[u]\b.*$", re.I),
]
_NUMBER = re.compile(r"^\s*S[o0]\s*(?:[:;.,]\s*|\s+(?=\d))([0-9A-Za-z][0-9A-Za-z/\-.]*[0-9A-Za-z])", re.I)
_DATE = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})", re.I)
_PLACE_DATE = re.compile(r"[^,]{0,60},?\s*ngay\s*\d{1,2}\s*thang\s*\d{1,2}\s*nam\s*\d{4}", re.I)
_VV = re.compile(r"\bV\s*/\s*v\b\.?\s*:?\s*", re.I)
_ADDRESSEE = re.compile(r"^\s*kinh\s*gui", re.I)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def _cut(line: str, pattern: re.Pattern[str]) -> str:
    """`line` without the spans `pattern` matches on its folded form (same length, so spans carry over)."""
    folded = strip_marks(line)
    pieces, last = [], 0
    for match in pattern.finditer(folded):
        pieces.append(line[last : match.start()])
        last = match.end()
    pieces.append(line[last:])
    return " ".join(p.strip() for p in pieces if p.strip())


def _clean(line: str) -> str:
    for pattern in _MOTTO:
        line = _cut(line, pattern)
    return re.sub(r"\s+", " ", line).strip(" \t-–—_.:")


_MOTTO_TEXT = ("CONG HOA XA HOI CHU NGHIA VIET NAM", "DOC LAP - TU DO - HANH PHUC")


def _motto_piece(line: str) -> bool:
    """A wrapped fragment of the national motto ("VIỆT NAM" alone on a line)."""
    key = re.sub(r"\s+", " ", strip_marks(line).upper()).strip()
    return any(key in motto for motto in _MOTTO_TEXT)


def _type_of(line: str) -> str | None:
    key = re.sub(r"\s+", " ", strip_marks(line).upper()).strip(" .:")
    return _TYPES.get(key)


def _sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(" .;,")


def propose(text: str) -> dict[str, str]:
    """The proposed header fields (empty strings where nothing was found)."""
    lines = [unicodedata.normalize("NFC", line).strip() for line in text.splitlines()]
    fields = {"issuer": "", "number_notation": "", "issued_on": "", "doc_type": "", "summary": ""}
    number_at = None
    for index, line in enumerate(lines[:40]):
        match = _NUMBER.search(strip_marks(line))
        if match:
            fields["number_notation"] = line[match.start(1) : match.end(1)].rstrip(".")
            number_at = index
            break
    header_end = number_at if number_at is not None else min(len(lines), 8)
    for line in lines[:60]:
        match = _DATE.search(strip_marks(line))
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                fields["issued_on"] = dt.date(year, month, day).isoformat()
            except ValueError:
                pass
            break
    issuer_lines = []
    for line in lines[:header_end]:
        cleaned = _clean(_cut(line, _PLACE_DATE))
        if cleaned and len(_LETTERS.findall(cleaned)) >= 3 and not _motto_piece(cleaned):
            issuer_lines.append(cleaned)
    if issuer_lines:
        fields["issuer"] = issuer_lines[-1]
    start = (number_at or 0) + 1 if number_at is not None else 0
    body = lines[start:]
    for index, line in enumerate(body):
        if _ADDRESSEE.match(strip_marks(line)):
            break
        cleaned = _clean(_cut(line, _PLACE_DATE))
        vv = _VV.search(strip_marks(cleaned))
        if vv and not fields["summary"]:
            parts = [cleaned[vv.end() :]]
            for more in body[index + 1 :]:
                if not more or _ADDRESSEE.match(strip_marks(more)) or _type_of(more):
                    break
                parts.append(_clean(more))
            fields["summary"] = _sentence(" ".join(parts))
            fields["doc_type"] = fields["doc_type"] or LETTER
            continue
        kind = _type_of(cleaned)
        if kind:
            fields["doc_type"] = kind
            parts = []
            for more in body[index + 1 :]:
                if not more:
                    if parts:
                        break
                    continue
                if _ADDRESSEE.match(strip_marks(more)) or more.startswith(("Căn cứ", "Can cu")):
                    break
                parts.append(_clean(more))
                if len(parts) >= 4:
                    break
            if parts and not fields["summary"]:
                fields["summary"] = _sentence(" ".join(parts))
            break
    return fields
