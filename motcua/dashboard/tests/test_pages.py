"""The dashboard pages: four callers; the city leader and a ward leader see different scopes on the same
page, in drill-downs and exports; an edited URL (another ward) gives nothing; exports carry the stamp and
neutralise formulas; public pages and open data show published figures only, no personal data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from motcua.dashboard import rollups
from motcua.dossiers.models import Dossier
from motcua.org.models import Role

PERIOD = {"from": "2022-01-01", "to": "2030-12-31"}


def login(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def two_wards(intake, ward_a, ward_b, make_staff):
    a = intake()
    b = intake(receiving_unit=ward_b, competent_unit=ward_b, actor=make_staff(Role.DESK_OFFICER, ward_b))
    return a, b


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "citizen", "other_ward", "unit"])
def test_four_callers_on_the_dashboard(who, two_wards, ward_a, ward_b, make_staff, citizen):
    user = {
        "anonymous": None,
        "citizen": citizen,
        "other_ward": make_staff(Role.UNIT_LEADER, ward_b),
        "unit": make_staff(Role.UNIT_LEADER, ward_a),
    }[who]
    r = login(user).get("/staff/dashboard/", {"unit": ward_a.code, **PERIOD})
    expected = {"anonymous": 302, "citizen": 403, "other_ward": 403, "unit": 200}[who]
    assert r.status_code == expected
    a, _ = two_wards
    if who != "unit":
        assert a.code not in r.content.decode()


@pytest.mark.django_db
def test_city_and_ward_leaders_see_their_own_scope(two_wards, ward_a, ward_b, province, make_staff):
    a, b = two_wards
    city = login(make_staff(Role.UNIT_LEADER, province))
    ward = login(make_staff(Role.UNIT_LEADER, ward_a))
    page_city = city.get("/staff/dashboard/", PERIOD).content.decode()
    page_ward = ward.get("/staff/dashboard/", PERIOD).content.decode()
    assert province.name in page_city and ward_b.name in page_city
    assert ward_a.name in page_ward and ward_b.name not in page_ward
    # drill-down: the city sees both dossiers, the ward only its own; the edited URL shows nothing
    drill_city = city.get("/staff/dashboard/ho-so/", {"figure": "received", **PERIOD}).content.decode()
    assert a.code in drill_city and b.code in drill_city
    drill_ward = ward.get("/staff/dashboard/ho-so/", {"figure": "received", **PERIOD}).content.decode()
    assert a.code in drill_ward and b.code not in drill_ward
    edited = ward.get("/staff/dashboard/ho-so/", {"figure": "received", "unit": ward_b.code, **PERIOD})
    assert edited.status_code == 403 and b.code not in edited.content.decode()
    edited = ward.get("/staff/dashboard/xuat.csv", {"unit": province.code, **PERIOD})
    assert edited.status_code == 403
    # exports: the ward's CSV counts only the ward, stamped with filters, scope, author and time
    body = ward.get("/staff/dashboard/xuat.csv", PERIOD).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    stamp = {r[0]: r[1] for r in rows if len(r) == 2}
    assert {"Bộ lọc", "Phạm vi", "Người xuất", "Thời điểm xuất"} <= stamp.keys()
    assert ward_a.code in stamp["Bộ lọc"] and ward_b.name not in body
    assert stamp["Tiếp nhận"] == "1"
    city_rows = list(
        csv.reader(io.StringIO(city.get("/staff/dashboard/xuat.csv", PERIOD).content.decode("utf-8-sig")))
    )
    assert {r[0]: r[1] for r in city_rows if len(r) == 2}["Tiếp nhận"] == "2"
    book = load_workbook(io.BytesIO(ward.get("/staff/dashboard/xuat.xlsx", PERIOD).content))
    assert book.sheetnames[0] == "Thông tin"
    pdf = ward.get("/staff/dashboard/xuat.pdf", PERIOD)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_a_parameter_never_widens_the_scope(two_wards, ward_a, ward_b, make_staff):
    ward = login(make_staff(Role.UNIT_LEADER, ward_a))
    for params in (
        {"unit": ward_b.code},
        {"unit": "79"},
        {"unit": "=cmd|' /C calc'!A0"},
        {"unit": "x" * 500},
    ):
        r = ward.get("/staff/dashboard/", {**params, **PERIOD})
        assert r.status_code in (403, 404)
        assert ward_b.name not in r.content.decode()
    assert ward.get("/staff/dashboard/", {"from": "31/02/2026"}).status_code == 400


@pytest.mark.django_db
def test_public_pages_and_open_data_show_published_figures_only(two_wards, ward_a):
    a, _ = two_wards
    anon = Client()
    page = anon.get(f"/cong-khai/{ward_a.code}/").content.decode()
    assert ward_a.name in page and "Nguyễn Văn An" not in page and a.code not in page
    assert anon.get("/staff/dashboard/").status_code == 302
    package = json.loads(anon.get("/du-lieu-mo/datapackage.json").content)
    resource = package["resources"][0]
    assert resource["profile"] == "tabular-data-resource"
    names = [f["name"] for f in resource["schema"]["fields"]]
    text = anon.get("/du-lieu-mo/ho-so-theo-thang.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == names
    assert sum(int(r["received"]) for r in rows) == Dossier.objects.count()
    assert "079090001234" not in text and "Nguyễn Văn An" not in text
    data = json.loads(anon.get("/du-lieu-mo/ho-so-theo-thang.json").content)
    assert data["data"] == [{**r, **{k: int(r[k]) for k in names[3:]}} for r in rows]


@pytest.mark.django_db
def test_pages_cost_does_not_grow_with_dossiers(intake, ward_a, make_staff, django_assert_max_num_queries):
    for _ in range(3):
        intake()
    rollups.rebuild()
    client = login(make_staff(Role.UNIT_LEADER, ward_a))
    with django_assert_max_num_queries(25):
        assert client.get("/staff/dashboard/", PERIOD).status_code == 200
