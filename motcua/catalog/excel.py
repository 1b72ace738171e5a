"""Excel workbooks of the catalog for officials who live in Excel: export, edit, import back.

One sheet per table; each header reads "Vietnamese label [key]" so people see words and the importer
sees keys. The importer builds the same snapshots as the JSON importer and writes only differences, so
an exported workbook imported unchanged changes nothing, and one edited cell changes exactly that value.
The whole import is one transaction: any bad row stops it with a message naming the sheet and row.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import defaultdict
from typing import Any

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from motcua.catalog import services
from motcua.catalog.errors import CatalogError
from motcua.catalog.models import InternalProcess, Procedure
from motcua.catalog.snapshots import (
    FEE_COLUMNS,
    FORM_COLUMNS,
    PROCEDURE_FIELDS,
    PROCESS_FIELDS,
    REQUIREMENT_COLUMNS,
    STEP_COLUMNS,
    TIME_COLUMNS,
    dec,
    procedure_snapshot,
    process_snapshot,
)
from motcua.core import exports

MAX_BYTES = 20 * 1024 * 1024
LABELS = {
    "code": "Mã thủ tục",
    "local_suffix": "Hậu tố địa phương",
    "name": "Tên thủ tục",
    "field": "Lĩnh vực",
    "competent_level": "Cấp thực hiện",
    "level_text": "Cấp thực hiện (nguyên văn)",
    "competent_agency": "Mã cơ quan có thẩm quyền",
    "applicants": "Đối tượng thực hiện",
    "conditions": "Yêu cầu, điều kiện",
    "result_text": "Kết quả",
    "legal_basis": "Căn cứ pháp lý",
    "online_level": "Mức độ trực tuyến (full/partial/none)",
    "status": "Trạng thái (active/abolished/replaced)",
    "successor": "Mã thủ tục thay thế",
    "time_value": "Thời hạn",
    "time_unit": "Đơn vị thời hạn",
    "time_note": "Ghi chú thời hạn",
    "fee_note": "Ghi chú phí",
    "publishing_ref": "Quyết định công bố",
    "needs_review": "Cần rà soát",
    "review_note": "Nội dung rà soát",
    "is_demo": "Minh họa",
    "sources": "Nguồn (JSON)",
    "channel": "Kênh (counter/post/online)",
    "value": "Thời hạn",
    "unit": "Đơn vị",
    "note": "Ghi chú",
    "order": "Thứ tự",
    "kind": "Loại (submit/show/registry/note)",
    "quantity_original": "Số bản chính",
    "quantity_copy": "Số bản sao",
    "quantity_text": "Số lượng (nguyên văn)",
    "form_name": "Mẫu đơn",
    "required": "Bắt buộc",
    "condition": "Trường hợp cần nộp (trống = luôn cần)",
    "copy_kind": "Hình thức (original/copy/certified)",
    "quantity": "Số lượng",
    "amount": "Mức thu (đồng)",
    "description": "Mô tả",
    "exemption": "Miễn, giảm",
    "key": "Mã trường",
    "label": "Nhãn",
    "field_type": "Kiểu",
    "choices": "Lựa chọn (JSON)",
    "help_text": "Hướng dẫn",
    "registry_field": "Trường CSDL dân cư",
    "registry_subject": "Của người",
    "max_length": "Độ dài tối đa",
    "procedure": "Mã thủ tục",
    "version": "Phiên bản",
    "effective_from": "Hiệu lực từ (YYYY-MM-DD)",
    "decision": "Quyết định phê duyệt",
    "role": "Vai trò",
    "unit_kind": "Nơi thực hiện",
    "agency": "Mã cơ quan",
    "hours": "Số giờ",
}
SHEETS = {
    "procedures": ("Thủ tục", PROCEDURE_FIELDS),
    "times": ("Thời hạn", ["code", *TIME_COLUMNS]),
    "requirements": ("Thành phần hồ sơ", ["code", *REQUIREMENT_COLUMNS]),
    "fees": ("Phí, lệ phí", ["code", *FEE_COLUMNS]),
    "form_fields": ("Tờ khai", ["code", *FORM_COLUMNS]),
    "processes": ("Quy trình", PROCESS_FIELDS),
    "steps": ("Bước quy trình", ["procedure", "version", *STEP_COLUMNS]),
}
INTS = {"order", "quantity_original", "quantity_copy", "quantity", "amount", "version"}
NULLABLE_TEXTS = {"condition"}
NULLABLE_INTS = {"max_length"}
BOOLS = {"needs_review", "is_demo", "required"}
DECIMALS = {"time_value", "value", "hours"}
_KEY = re.compile(r"\[(\w+)\]\s*$")


def _cell(value: Any, key: str = "") -> Any:
    if key in DECIMALS and value not in (None, ""):
        return float(value)
    if isinstance(value, list):
        value = json.dumps(value, ensure_ascii=False)
    return exports.safe_cell(value)


def export_workbook(procedures=None) -> bytes:
    """The catalog (or the given procedures) with their processes as an .xlsx file."""
    procedures = procedures if procedures is not None else Procedure.objects.all()
    procedures = procedures.select_related("field", "successor", "competent_agency").order_by("code")
    book = Workbook()
    book.remove(book.active)
    sheets = {}
    for name, (title, columns) in SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.append([f"{LABELS.get(c, c)} [{c}]" for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "B2"
        sheets[name] = sheet
    for procedure in procedures:
        snap = procedure_snapshot(procedure)
        sheets["procedures"].append([_cell(snap[c], c) for c in PROCEDURE_FIELDS])
        for child in ("times", "requirements", "fees", "form_fields"):
            columns = SHEETS[child][1][1:]
            for row in snap[child]:
                sheets[child].append(
                    [procedure.code, *(_cell(v, c) for v, c in zip(row, columns, strict=True))]
                )
    processes = InternalProcess.objects.filter(procedure__in=procedures).select_related(
        "procedure", "decision", "unit"
    )
    for process in processes.order_by("procedure__code", "version"):
        snap = process_snapshot(process)
        sheets["processes"].append([_cell(snap[c]) for c in PROCESS_FIELDS])
        for row in snap["steps"]:
            sheets["steps"].append(
                [
                    snap["procedure"],
                    snap["version"],
                    *(_cell(v, c) for v, c in zip(row, STEP_COLUMNS, strict=True)),
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _convert(key: str, value: Any) -> Any:
    value = exports.unneutralise(value)  # our own export wrote formula-like text with a leading '
    if key in INTS:
        if value in (None, ""):
            return 0
        return int(float(value))
    if key in NULLABLE_TEXTS:
        return None if value in (None, "") or not str(value).strip() else str(value).strip()
    if key in NULLABLE_INTS:
        return None if value in (None, "") else int(float(value))
    if key in BOOLS:
        if isinstance(value, bool):
            return value
        return str(value or "").strip().lower() in ("1", "true", "x", "có", "co", "yes")
    if key in DECIMALS:
        return dec(value)
    if key == "effective_from":
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()[:10]
        return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
    if key == "sources":
        return json.loads(value) if value not in (None, "") else []
    if key == "choices":
        return json.dumps(json.loads(value) if value not in (None, "") else [], ensure_ascii=False)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _rows(sheet, sheet_title: str):
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    keys = []
    for label in header:
        match = _KEY.search(str(label or ""))
        keys.append(match.group(1) if match else None)
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        record = {}
        try:
            for key, value in zip(keys, values, strict=False):
                if key:
                    record[key] = _convert(key, value)
        except (ValueError, TypeError, json.JSONDecodeError) as exc:
            raise CatalogError("excel_row", sheet=sheet_title, row=number, detail=str(exc)) from exc
        yield number, record


def import_workbook(data: bytes, *, actor: Any) -> dict[str, int]:
    """Apply an edited workbook. Returns counts per outcome; raises CatalogError, changing nothing."""
    if len(data) > MAX_BYTES or not data.startswith(b"PK\x03\x04"):
        raise CatalogError("excel_file", detail="không phải tệp .xlsx")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad file
        raise CatalogError("excel_file", detail=str(exc)[:200]) from exc
    titles = {title: name for name, (title, _cols) in SHEETS.items()}
    parsed: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for sheet in book.worksheets:
        name = titles.get(sheet.title)
        if name:
            parsed[name] = list(_rows(sheet, sheet.title))
    if "procedures" not in parsed:
        raise CatalogError("excel_file", detail=f"thiếu trang “{SHEETS['procedures'][0]}”")

    snaps: dict[str, dict] = {}
    for _number, record in parsed["procedures"]:
        snap = {k: record.get(k, "") for k in PROCEDURE_FIELDS}
        for child in ("times", "requirements", "fees", "form_fields"):
            if child in parsed:
                snap[child] = []
        snaps[record["code"]] = snap
    children = {
        "times": TIME_COLUMNS,
        "requirements": REQUIREMENT_COLUMNS,
        "fees": FEE_COLUMNS,
        "form_fields": FORM_COLUMNS,
    }
    for child, columns in children.items():
        for number, record in parsed.get(child, []):
            code = record.get("code", "")
            if code not in snaps:
                raise CatalogError(
                    "excel_row",
                    sheet=SHEETS[child][0],
                    row=number,
                    detail=f"mã thủ tục {code} không có trong trang Thủ tục",
                )
            snaps[code][child].append([record.get(c) for c in columns])
    processes: dict[tuple[str, int], dict] = {}
    for _number, record in parsed.get("processes", []):
        processes[(record["procedure"], record["version"])] = {
            **{k: record.get(k) for k in PROCESS_FIELDS},
            "steps": [],
        }
    for number, record in parsed.get("steps", []):
        key = (record.get("procedure", ""), record.get("version"))
        if key not in processes:
            raise CatalogError(
                "excel_row", sheet=SHEETS["steps"][0], row=number, detail="không có quy trình tương ứng"
            )
        processes[key]["steps"].append([record.get(c) for c in STEP_COLUMNS])

    counts: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        for code, snap in snaps.items():
            try:
                _proc, outcome = services.apply_procedure_snapshot(snap, actor=actor, source="import xlsx")
            except CatalogError as exc:
                raise CatalogError(
                    "excel_row", sheet=SHEETS["procedures"][0], row=code, detail=exc.message
                ) from exc
            counts[f"procedures_{outcome}"] += 1
        for (code, version), snap in processes.items():
            try:
                _proc, outcome = services.apply_process_snapshot(snap, actor=actor, source="import xlsx")
            except CatalogError as exc:
                raise CatalogError(
                    "excel_row", sheet=SHEETS["processes"][0], row=f"{code} v{version}", detail=exc.message
                ) from exc
            counts[f"processes_{outcome}"] += 1
    return dict(counts)
