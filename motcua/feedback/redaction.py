"""Personal data out of what is published (answers, descriptions on public pages and Open311).

Text is normalised before matching (NFC; names compared case- and diacritics-blind through unidecode),
so a name typed without accents, NFD text, phones written with brackets, dots or spaces and e-mails
written as `an.nguyen (at) example.vn` are all caught. The output is the NFC text with the matches
replaced; nothing else changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from unidecode import unidecode

EMAIL_MARK = "[thư điện tử]"
ID_MARK = "[số định danh]"
PHONE_MARK = "[số điện thoại]"
NAME_MARK = "[người phản ánh]"

_DOT = r"(?:\s*(?:\.|\[\s*(?:dot|chấm|cham)\s*\]|\(\s*(?:dot|chấm|cham)\s*\))\s*|\s+(?:dot|chấm|cham)\s+)"
_AT = r"(?:\s*(?:@|＠|\[\s*(?:at|a còng|a cong)\s*\]|\(\s*(?:at|a còng|a cong)\s*\))\s*|\s+(?:at|a còng|a cong)\s+)"
_WORD = r"[^\W_][\w+\-]*"
EMAIL_RE = re.compile(
    rf"(?<![\w.+\-]){_WORD}(?:{_DOT}{_WORD})*{_AT}{_WORD}(?:{_DOT}[^\W\d_]{{2,}}|{_DOT}{_WORD})*{_DOT}[^\W\d_]{{2,}}\b",
    re.IGNORECASE,
)
# A run of digits with the separators people put in phone and ID numbers (no slash: dates stay).
NUMBER_RE = re.compile(r"(?<![\w])\+?\(?\+?\d(?:[ \t.\-()]{0,3}\d){7,14}\)?(?![\w])")
THOUSANDS_RE = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+")


def fold(text: str) -> str:
    """Lower-case ASCII form of `text`, for comparing names."""
    return unidecode(unicodedata.normalize("NFC", text)).lower()


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        piece = unidecode(ch).lower() or ch
        out.append(piece)
        index.extend([i] * len(piece))
    return "".join(out), index


def _number(match: re.Match) -> str:
    raw = match.group(0)
    digits = re.sub(r"\D", "", raw)
    if len(digits) < 9 or (THOUSANDS_RE.fullmatch(raw) and not raw.startswith("0")):
        return raw  # a short number or an amount such as 100.000.000
    if len(digits) in (9, 12) and "+" not in raw:
        return ID_MARK  # CMND (9 digits) or CCCD / personal ID (12 digits)
    return PHONE_MARK


def _redact_names(text: str, names: Iterable[str]) -> str:
    wanted = sorted({fold(n).strip() for n in names if n and len(n.strip()) >= 3}, key=len, reverse=True)
    for name in wanted:
        pattern = re.compile(r"(?<![a-z0-9])" + r"\s+".join(map(re.escape, name.split())) + r"(?![a-z0-9])")
        folded, index = _folded_with_map(text)
        spans = [(index[m.start()], index[m.end() - 1] + 1) for m in pattern.finditer(folded)]
        for start, end in reversed(spans):
            text = text[:start] + NAME_MARK + text[end:]
    return text


def redact(text: str, names: Iterable[str] = ()) -> str:
    """Remove e-mails, ID numbers, phone numbers and the reporters' names before publishing."""
    text = unicodedata.normalize("NFC", text or "")
    text = EMAIL_RE.sub(EMAIL_MARK, text)
    text = NUMBER_RE.sub(_number, text)
    return _redact_names(text, names)
