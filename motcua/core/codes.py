"""Dossier codes (TT 01/2018 Art 19): `<agency identifier>-YYMMDD-NNNN`.

The daily sequence is one atomic upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING), which
PostgreSQL and SQLite (3.35+) both run, so concurrent intake never draws the same number.
Gaps are tolerated (a rolled-back intake burns its number).
"""

from __future__ import annotations

import datetime as dt
import io
import re

import segno
from django.db import connection

from motcua.core.models import CodeSequence

CODE_RE = re.compile(r"^(?P<agency>[0-9A-Za-z.]+)-(?P<date>\d{6})-(?P<seq>\d{4,})$")


def lookup_code(raw: str) -> str:
    """A code typed into a look-up box, as it may appear in a URL: letters, digits, '.' and '-' only,
    upper case, at most 64 characters (anything else, a '/' included, can match no code)."""
    return "".join(ch for ch in (raw or "").strip().upper() if ch.isascii() and (ch.isalnum() or ch in ".-"))[
        :64
    ]


def next_sequence(scope: str, day: dt.date) -> int:
    table = connection.ops.quote_name(CodeSequence._meta.db_table)
    sql = (
        f"INSERT INTO {table} (scope, day, last) VALUES (%s, %s, 1) "
        f"ON CONFLICT (scope, day) DO UPDATE SET last = {table}.last + 1 RETURNING last"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [scope, day.isoformat()])
        return int(cursor.fetchone()[0])


def dossier_code(agency_identifier: str, day: dt.date) -> str:
    seq = next_sequence(agency_identifier, day)
    return format_code(agency_identifier, day, seq)


def format_code(agency_identifier: str, day: dt.date, seq: int) -> str:
    return f"{agency_identifier}-{day:%y%m%d}-{seq:04d}"


def is_valid_code(code: str) -> bool:
    return bool(CODE_RE.match(code or ""))


def qr_svg(data: str, scale: int = 4) -> str:
    """An inline SVG QR code (no external service, no JavaScript)."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True)
    return buffer.getvalue().decode("utf-8")


def qr_png(data: str, scale: int = 5) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale)
    return buffer.getvalue()
