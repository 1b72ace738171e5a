"""What a Vietnamese page must not show: ISO dates, internal codes and raw keys, English interface words,
placeholder titles. Used by the crawl of every role's pages and by the browser walk."""

from __future__ import annotations

import re
from html.parser import HTMLParser

ISO_DATE = re.compile(r"\b(19|20)\d\d-[01]\d-[0-3]\d\b")
RAW_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # applicant_name, personal_id, ...
INTERNAL = [
    re.compile(p)
    for p in (
        r"\bsystem\b",
        r"\bweb\b",
        r"\bcategory:",
        r"\bidentity residence\b",
        r"\bsdt-0\d",
        r"\bextract-v\d",
        r"\bapplication/pdf\b",
        r"\bNone\b",
        r"\bTrue\b",
        r"\bFalse\b",
        r"\bnot verified\b",
        r"\bTODO\b",
        r"\blorem\b",
    )
]
ENGLISH = re.compile(
    r"\b(Submit|Search|Save|Cancel|Log ?in|Log ?out|Sign ?in|Sign ?out|Error|Not Found|Forbidden|Server Error|"
    r"Next|Previous|Dashboard|Delete|Edit|Loading|Home|Back|Status|Details|Download|Upload|Required|Page)\b"
)
# Words that are the same in Vietnamese use or are names: allowed.
ALLOWED = {"English"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name, value in attrs:  # what a user reads in attributes
            if name in ("placeholder", "title", "aria-label", "alt") and value and name != "placeholder":
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def problems(text: str) -> list[str]:
    """Problem markers in a page's visible text (each with a little context)."""
    found: list[str] = []

    def note(kind: str, match: re.Match[str]) -> None:
        start = max(0, match.start() - 30)
        found.append(f"{kind}: …{text[start : match.end() + 30]}…")

    for match in ISO_DATE.finditer(text):
        note("ISO date", match)
    for match in RAW_KEY.finditer(text):
        note("raw key", match)
    for pattern in INTERNAL:
        for match in pattern.finditer(text):
            note("internal code", match)
    for match in ENGLISH.finditer(text):
        if match.group(0) not in ALLOWED:
            note("English", match)
    return found
