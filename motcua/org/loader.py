"""Load a province's units from the official lists shipped in the `vietnamadminunits` package.

Today's units (34 provinces, 3,321 commune-level units since 1 July 2025) come from its `admin_units`
table; the units that existed before the reform (63 provinces, districts, wards) from `admin_units_legacy`,
with `valid_to` = 30 June 2025 and a successor link from its 2025 converter (old ward -> new ward).
Nothing is typed in by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import vietnamadminunits
from django.conf import settings
from django.db import transaction

from motcua.core import audit
from motcua.org.models import REFORM_DATE, Unit, UnitKind

DATA_DIR = Path(vietnamadminunits.__file__).parent / "data"
LEGACY_END = REFORM_DATE - dt.timedelta(days=1)

WARD_KINDS = {"Phường": UnitKind.WARD, "Xã": UnitKind.COMMUNE, "Đặc khu": UnitKind.SPECIAL_ZONE}
LEGACY_WARD_KINDS = {"Phường": UnitKind.WARD, "Xã": UnitKind.COMMUNE, "Thị trấn": UnitKind.TOWN}

# The demo's agencies beside the wards (codes are ours; names are the real agencies).
DEMO_AGENCIES = [
    ("STP", "Sở Tư pháp"),
    ("CA", "Công an Thành phố"),
    ("BHXH", "Bảo hiểm xã hội Thành phố"),
]


@dataclass
class LoadResult:
    province: Unit
    created: int
    updated: int
    current_units: int
    legacy_units: int


def _rows(sql: str, params: tuple = ()) -> list[dict]:
    with sqlite3.connect(DATA_DIR / "dataset.db") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params).fetchall()]


def province_choices() -> list[tuple[str, str]]:
    return [
        (r["provinceCode"], r["province"])
        for r in _rows("SELECT DISTINCT provinceCode, province FROM admin_units ORDER BY provinceCode")
    ]


def _upsert(lookup: dict, values: dict, counters: dict) -> Unit:
    unit = Unit.objects.filter(**lookup).first()
    if unit is None:
        unit = Unit(**lookup, **values)
        unit.save()
        counters["created"] += 1
        return unit
    changed = [k for k, v in values.items() if getattr(unit, k if not k.endswith("_id") else k) != v]
    if changed:
        for k in changed:
            setattr(unit, k, values[k])
        unit.save()
        counters["updated"] += 1
    return unit


@transaction.atomic
def load_province(province_code: str, *, with_legacy: bool = True, with_agencies: bool = False) -> LoadResult:
    """Create or update the province, its commune-level units and (optionally) their predecessors.

    Idempotent: a second run changes nothing.
    """
    province_code = province_code.zfill(2)
    current = _rows("SELECT * FROM admin_units WHERE provinceCode = ? ORDER BY wardCode", (province_code,))
    if not current:
        raise ValueError(f"Unknown province code {province_code!r}")
    counters = {"created": 0, "updated": 0}
    first = current[0]
    suffix = settings.MOTCUA_AGENCY_SUFFIX
    province = _upsert(
        {"code": province_code, "valid_to": None},
        {
            "name": first["province"],
            "short_name": first["provinceShort"],
            "kind": UnitKind.PROVINCE,
            "parent": None,
            "province_code": province_code,
            "key": first["provinceKey"],
            "valid_from": REFORM_DATE,
            "latitude": first["provinceLat"],
            "longitude": first["provinceLon"],
            "agency_identifier": f"000.00.00.{suffix}",
        },
        counters,
    )
    new_by_key: dict[str, Unit] = {}
    for row in current:
        unit = _upsert(
            {"code": row["wardCode"], "valid_to": None},
            {
                "name": row["ward"],
                "short_name": row["wardShort"],
                "kind": WARD_KINDS.get(row["wardType"], UnitKind.WARD),
                "parent": province,
                "province_code": province_code,
                "key": row["wardKey"],
                "valid_from": REFORM_DATE,
                "latitude": row["wardLat"],
                "longitude": row["wardLon"],
                "agency_identifier": f"000.{row['wardCode'][:2]}.{row['wardCode'][2:]}.{suffix}",
            },
            counters,
        )
        new_by_key[row["wardKey"]] = unit
    legacy_count = 0
    if with_legacy:
        legacy_count = _load_legacy(province, new_by_key, counters)
    if with_agencies:
        for code, name in DEMO_AGENCIES:
            _upsert(
                {"code": f"{province_code}-{code}", "valid_to": None},
                {
                    "name": f"{name} {first['provinceShort']}"
                    if code != "CA"
                    else f"{name} {first['provinceShort']}",
                    "short_name": name,
                    "kind": UnitKind.AGENCY,
                    "parent": province,
                    "province_code": province_code,
                    "key": code.lower(),
                    "valid_from": None,
                    "agency_identifier": f"000.{code}.00.{suffix}",
                },
                counters,
            )
    if counters["created"] or counters["updated"]:
        audit.record(
            "org.units_loaded",
            actor="system:load_units",
            object_type="org.unit",
            object_id=province.pk,
            after={"province": province_code, **counters},
        )
    return LoadResult(province, counters["created"], counters["updated"], len(current), legacy_count)


def _load_legacy(province: Unit, new_by_key: dict[str, Unit], counters: dict) -> int:
    converter = json.loads((DATA_DIR / "converter_2025.json").read_text(encoding="utf-8"))
    new_province_key = province.key
    old_province_keys = converter["DICT_PROVINCE"].get(new_province_key, [])
    # old "province_district_ward" key -> (default new ward, other new wards)
    successor_of: dict[str, str] = {}
    for new_key, old_keys in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_province_key, {}).items():
        for old_key in old_keys:
            successor_of[old_key] = new_key
    for old_key, options in converter["DICT_PROVINCE_WARD_DIVIDED"].get(new_province_key, {}).items():
        default = next((o["newWardKey"] for o in options if o["isDefaultNewWard"]), options[0]["newWardKey"])
        successor_of.setdefault(old_key, default)
    if not old_province_keys:
        return 0
    placeholders = ",".join("?" * len(old_province_keys))
    rows = _rows(
        f"SELECT * FROM admin_units_legacy WHERE provinceKey IN ({placeholders}) ORDER BY wardCode",
        tuple(old_province_keys),
    )
    count = 0
    districts: dict[str, Unit] = {}
    old_provinces: dict[str, Unit] = {}
    for row in rows:
        pkey = row["provinceKey"]
        if pkey not in old_provinces:
            old_provinces[pkey] = _upsert(
                {"code": f"P{row['provinceCode']}", "valid_to": LEGACY_END},
                {
                    "name": row["province"],
                    "short_name": row["provinceShort"],
                    "kind": UnitKind.PROVINCE,
                    "parent": province,
                    "province_code": province.province_code,
                    "key": pkey,
                    "valid_from": None,
                    "successor": province,
                },
                counters,
            )
            count += 1
        dkey = f"{pkey}_{row['districtKey']}"
        if dkey not in districts:
            districts[dkey] = _upsert(
                {"code": f"D{row['districtCode']}", "valid_to": LEGACY_END},
                {
                    "name": row["district"],
                    "short_name": row["districtShort"],
                    "kind": UnitKind.DISTRICT,
                    "parent": old_provinces[pkey],
                    "province_code": province.province_code,
                    "key": row["districtKey"],
                    "valid_from": None,
                    # island districts without wards became special zones (Côn Đảo)
                    "successor": new_by_key.get(successor_of.get(f"{pkey}_{row['districtKey']}_", "")),
                },
                counters,
            )
            count += 1
        if not row["wardCode"]:
            continue
        successor = new_by_key.get(successor_of.get(f"{pkey}_{row['districtKey']}_{row['wardKey']}", ""))
        _upsert(
            {"code": row["wardCode"], "valid_to": LEGACY_END},
            {
                "name": row["ward"],
                "short_name": row["wardShort"],
                "kind": LEGACY_WARD_KINDS.get(row["wardType"], UnitKind.WARD),
                "parent": districts[dkey],
                "province_code": province.province_code,
                "key": row["wardKey"],
                "valid_from": None,
                "successor": successor,
            },
            counters,
        )
        count += 1
    return count
