"""Legacy import of civil status registers from CSV (one file per kind of record).

Columns are the record's field names (see `services.KIND_FIELDS` and `COMMON_FIELDS`) plus `unit_code`
(today's or an old unit code; old codes resolve to today's unit) and optionally `code`. Each row goes through
the same form validation and duplicate check as a registration at the counter; bad rows and duplicates are
reported with their line numbers and skipped, nothing else is touched.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.civil.errors import CivilError
from motcua.civil.forms import registration_form
from motcua.civil.models import RECORD_MODELS, Source
from motcua.civil.services import register
from motcua.core import audit
from motcua.org.selectors import unit_by_code


@dataclass
class ImportReport:
    kind: str
    created: int = 0
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def import_csv(kind: str, path: str | Path, *, actor=None, default_unit_code: str = "") -> ImportReport:
    if kind not in RECORD_MODELS:
        raise CivilError("invalid", message=_("Loại bản ghi không hợp lệ: %s") % kind)
    report = ImportReport(kind)
    form_class = registration_form(kind)
    actor = actor or "system:civil-import"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            unit = unit_by_code(row.get("unit_code") or default_unit_code)
            if unit is None:
                report.errors.append((line, f"không rõ đơn vị đăng ký {row.get('unit_code')!r}"))
                continue
            for f in RECORD_MODELS[kind]._meta.fields:
                if not row.get(f.name) and f.has_default() and isinstance(f.default, str) and f.default:
                    row[f.name] = f.default  # e.g. ethnicity "Kinh", nationality "Việt Nam"
            form = form_class(row)
            if not form.is_valid():
                problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
                report.errors.append((line, problems))
                continue
            data = {k: v for k, v in form.cleaned_data.items() if k != "override_reason"}
            try:
                register(
                    kind, unit=unit, actor=actor, data=data, source=Source.LEGACY, check_permission=False
                )
            except CivilError as exc:
                (report.duplicates if exc.code == "duplicate" else report.errors).append((line, exc.message))
                continue
            report.created += 1
    with transaction.atomic():
        audit.record(
            "civil.legacy_import",
            actor=actor,
            object_type="civil.import",
            object_id=str(path)[-100:],
            after={
                "kind": kind,
                "created": report.created,
                "duplicates": len(report.duplicates),
                "errors": len(report.errors),
            },
            purpose="legacy register import",
        )
    return report
