"""Province codes used in personal ID numbers (TT 59/2021/TT-BCA, Phụ lục I).

The codes are the 63 pre-2025 provinces' official codes (001 Hà Nội ... 096 Cà Mau). IDs issued before the
2025 merger keep them, so this list is the 63 codes, read from the official list in `vietnamadminunits`
(not typed in). This module has no Django dependency: the population simulator uses it too.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path

from motcua.core.validation import id_province_codes

__all__ = ["current_wards", "id_province_codes", "province_name"]


@lru_cache(maxsize=8)
def current_wards(province_code: str = "79") -> list[tuple[str, str]]:
    """Today's commune-level units of a province as (code, name), from the official list."""
    import vietnamadminunits

    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT wardCode, ward, province FROM admin_units WHERE provinceCode = ? ORDER BY wardCode",
            (province_code.zfill(2),),
        ).fetchall()
    return [(code, name) for code, name, _ in rows]


@lru_cache(maxsize=8)
def province_name(province_code: str = "79") -> str:
    import vietnamadminunits

    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT province FROM admin_units WHERE provinceCode = ? LIMIT 1", (province_code.zfill(2),)
        ).fetchone()
    return row[0] if row else ""
