import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from motcua.catalog import services
from motcua.catalog.errors import CatalogError
from motcua.catalog.excel import export_workbook, import_workbook
from motcua.catalog.models import InternalProcess, Procedure
from motcua.catalog.snapshots import procedure_snapshot, process_snapshot
from motcua.org.models import Role


def _state():
    return (
        {p.code: procedure_snapshot(p) for p in Procedure.objects.all()},
        {(p.procedure.code, p.version): process_snapshot(p) for p in InternalProcess.objects.all()},
    )


@pytest.fixture
def catalog_with_process(imported):
    birth = Procedure.objects.get(code="1.001193")
    services.update_procedure(
        birth,
        actor="test",
        form_fields=[
            [1, "child_name", "Họ tên trẻ", "person", True, '["a"]', "", "full_name", "subject", 100]
        ],
    )
    services.save_process(
        birth,
        [
            {
                "name": "Tiếp nhận",
                "role": Role.DESK_OFFICER,
                "unit_kind": "receiving",
                "hours": Decimal("0.5"),
            },
            {"name": "Thẩm định", "role": Role.SPECIALIST, "hours": Decimal("4")},
            {"name": "Ký", "role": Role.UNIT_LEADER, "hours": Decimal("1.25")},
        ],
        actor="test",
    )


def _edit(data: bytes, sheet: str, row_match, column_key: str, value) -> bytes:
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    col = next(i for i, h in enumerate(header) if h.endswith(f"[{column_key}]"))
    for row in ws.iter_rows(min_row=2):
        if row_match([c.value for c in row]):
            row[col].value = value
            break
    else:
        raise AssertionError("row not found")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_export_then_import_unchanged_changes_nothing(catalog_with_process):
    before = _state()
    counts = import_workbook(export_workbook(), actor="test")
    assert counts == {"procedures_unchanged": 83, "processes_unchanged": 1}
    assert _state() == before


def test_one_edited_cell_changes_exactly_that_value(catalog_with_process):
    procedures, processes = _state()
    data = export_workbook()
    data = _edit(data, "Thủ tục", lambda r: r[0] == "1.000894", "name", "Thủ tục đăng ký kết hôn (sửa)")
    data = _edit(data, "Bước quy trình", lambda r: r[0] == "1.001193" and r[2] == 2, "hours", 3.5)

    counts = import_workbook(data, actor="test")

    assert counts["procedures_updated"] == 1 and counts["processes_updated"] == 1
    after_procedures, after_processes = _state()
    procedures["1.000894"]["name"] = "Thủ tục đăng ký kết hôn (sửa)"
    processes[("1.001193", 1)]["steps"][1][5] = "3.50"
    assert after_procedures == procedures
    assert after_processes == processes


def test_a_bad_row_stops_the_import_and_changes_nothing(catalog_with_process):
    before = _state()
    data = export_workbook()
    data = _edit(data, "Thủ tục", lambda r: r[0] == "1.000894", "name", "Đã sửa")
    data = _edit(data, "Bước quy trình", lambda r: r[0] == "1.001193" and r[2] == 2, "hours", "nhiều")
    with pytest.raises(CatalogError) as exc:
        import_workbook(data, actor="test")
    assert "Bước quy trình" in exc.value.message
    assert _state() == before


def test_hours_over_legal_time_are_refused(catalog_with_process):
    before = _state()
    data = _edit(export_workbook(), "Bước quy trình", lambda r: r[0] == "1.001193" and r[2] == 2, "hours", 40)
    with pytest.raises(CatalogError) as exc:
        import_workbook(data, actor="test")
    assert "vượt quá thời hạn" in exc.value.message
    assert _state() == before


def test_not_an_excel_file_is_refused(db):
    with pytest.raises(CatalogError):
        import_workbook(b"%PDF-1.4 not a workbook", actor="test")


def test_excel_upload_page_four_callers(client, catalog_with_process, citizen, make_staff, ward_a, province):
    data = _edit(export_workbook(), "Thủ tục", lambda r: r[0] == "1.000894", "name", "Tên mới")
    desk = make_staff(Role.DESK_OFFICER, ward_a)
    admin = make_staff(Role.PROVINCE_ADMIN, province)

    def upload():
        return client.post("/staff/catalog/excel/", {"file": SimpleUploadedFile("c.xlsx", data)})

    response = upload()
    assert response.status_code == 302 and "/login" in response["Location"]
    for user in (citizen, desk):
        client.force_login(user)
        assert upload().status_code == 403
        assert Procedure.objects.get(code="1.000894").name == "Thủ tục đăng ký kết hôn"
    client.force_login(desk)
    assert client.get("/staff/catalog/excel/?download=1").status_code == 200
    client.force_login(admin)
    response = upload()
    assert response.status_code == 302
    assert Procedure.objects.get(code="1.000894").name == "Tên mới"
