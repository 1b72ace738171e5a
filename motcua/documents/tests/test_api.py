"""The documents API as issue 15 item 7 specifies it, with the dossier API's authentication, four callers."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from motcua.documents.models import Document
from motcua.documents.tests.conftest import pdf_of, unique_pdf, upload
from motcua.org.models import Role, StaffRole, User, UserKind


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_create_then_read_the_register_entry(clerk):
    client = _client(clerk)
    response = client.post(
        "/api/v1/documents/incoming", {"file": upload(pdf_of(2)), "received_via": "email", "urgency": "khan"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "arrival_number", "arrival_at", "ocr_status", "duplicate_of"}
    assert body["arrival_number"] == 1 and body["ocr_status"] == "done" and body["duplicate_of"] is None
    entry = client.get(f"/api/v1/documents/incoming/{body['id']}").json()
    assert entry["fields"] == {
        "issuer": "ỦY BAN NHÂN DÂN PHƯỜNG SÀI GÒN",
        "number_notation": "37/TB-UBND",
        "issued_on": "2026-05-20",
        "doc_type": "Thông báo",
        "summary": "Lịch tiếp công dân tháng 6 năm 2026",
    }
    assert "lịch tiếp công dân" in entry["text"].lower()
    assert entry["status"] == "registered" and entry["directive"] is None and entry["tasks"] == []
    again = client.post("/api/v1/documents/incoming", {"file": upload(pdf_of(2), "copy.pdf")})
    assert again.status_code == 200 and again.json()["duplicate_of"] == body["id"]
    assert Document.objects.count() == 1


def test_several_files_make_one_document(clerk):
    response = _client(clerk).post("/api/v1/documents/incoming", {"file": [unique_pdf(1), unique_pdf(2)]})
    assert response.status_code == 201
    assert Document.objects.get().files.count() == 1


def test_four_callers(clerk, clerk_b, citizen, make_staff, ward_a):
    created = _client(clerk).post("/api/v1/documents/incoming", {"file": unique_pdf(7)}).json()
    url = f"/api/v1/documents/incoming/{created['id']}"
    assert _client(clerk).get(url).status_code == 200
    assert _client(clerk_b).get(url).status_code == 404
    assert _client(citizen).get(url).status_code == 403
    assert _client().get(url).status_code in (401, 403)
    assert _client(clerk_b).post("/api/v1/documents/incoming", {"file": unique_pdf(8)}).status_code == 201
    assert _client(citizen).post("/api/v1/documents/incoming", {"file": unique_pdf(9)}).status_code == 403
    assert _client().post("/api/v1/documents/incoming", {"file": unique_pdf(10)}).status_code in (401, 403)
    specialist = make_staff(Role.SPECIALIST, ward_a)
    refused = _client(specialist).post("/api/v1/documents/incoming", {"file": unique_pdf(11)})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert Document.objects.count() == 2


def test_connected_system_with_a_token(ward_a):
    system = User.objects.create_user(username="eoffice", kind=UserKind.SYSTEM, password="x-unused-123")
    StaffRole.objects.create(user=system, unit=ward_a, role=Role.CLERK)
    token = Token.objects.create(user=system)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post("/api/v1/documents/incoming", {"file": unique_pdf(3), "received_via": "api"})
    assert response.status_code == 201, response.content
    assert client.get(f"/api/v1/documents/incoming/{response.json()['id']}").status_code == 200


@pytest.mark.parametrize(
    "data,status,code",
    [
        ({}, 400, "invalid"),
        ({"urgency": "rat_khan"}, 400, "invalid"),
        ({"secrecy": "\x00"}, 400, None),
    ],
)
def test_bad_requests_change_nothing(clerk, data, status, code):
    payload = {"file": unique_pdf(5), **data} if data else {}
    response = _client(clerk).post("/api/v1/documents/incoming", payload)
    assert response.status_code == status
    if code:
        assert response.json()["code"] == code
    assert not Document.objects.exists()


def test_wrong_file_type_is_415(clerk):
    response = _client(clerk).post(
        "/api/v1/documents/incoming", {"file": upload(b"GIF89a....", "x.gif", "image/gif")}
    )
    assert response.status_code == 415 and response.json()["code"] == "file_type"


def test_openapi_documents_the_contract(clerk):
    schema = _client(clerk).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/documents/incoming"]
    assert "get" in paths["/api/v1/documents/incoming/{id}"]
    assert "post" in paths["/api/v1/documents/edxml"]
    created = schema["components"]["schemas"]["CreatedOut"]["properties"]
    assert {"id", "arrival_number", "arrival_at", "ocr_status"} <= set(created)
