"""Issue 12 item 13, done when: an integrating system with only a client id and a secret takes a dossier from
intake to returned result, and registers a birth and issues an extract, over real HTTP, through the API alone.

The client is registered as the demo registers `demo-integrator` (every working role of phường Cầu Ông
Lãnh); everything after that is `requests` against a live server.
"""

import datetime as dt

import pytest
import requests

from motcua.civil.models import BirthRecord, ExtractCopy
from motcua.core.models import AuditEntry
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.tests.conftest import APPLICANT, PDF, make_procedure
from motcua.org import clients

CLIENT_ID, SECRET = "tich-hop-col", "bi-mat-col-123"


class Integrator:
    """What an integrating system holds: a base URL, a client id and a secret."""

    def __init__(self, base: str, client_id: str = CLIENT_ID, secret: str = SECRET, scope: str | None = None):
        self.base = base
        data = {"grant_type": "client_credentials"}
        if scope:
            data["scope"] = scope
        answer = requests.post(f"{base}/o/token/", data=data, auth=(client_id, secret), timeout=30)
        assert answer.status_code == 200, answer.text
        self.token = answer.json()["access_token"]
        self.scope = answer.json()["scope"]
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {self.token}"

    def get(self, path: str, **kw):
        return self.session.get(self.base + path, timeout=30, **kw)

    def post(self, path: str, **kw):
        return self.session.post(self.base + path, timeout=30, **kw)

    def act(self, code: str, action: str, **body):
        version = self.get(f"/api/v1/dossiers/{code}/").json()["version"]
        answer = self.post(
            f"/api/v1/dossiers/{code}/transitions/", json={"action": action, "version": version, **body}
        )
        assert answer.status_code == 200, (action, answer.status_code, answer.text)
        return answer.json()


@pytest.fixture
def integrator_client(transactional_db, ward_a):
    return clients.register_client(
        client_id=CLIENT_ID,
        secret=SECRET,
        name="Hệ thống một cửa điện tử của phường",
        roles=[(ward_a, role) for role in clients.CLIENT_ROLES],
    )


@pytest.mark.django_db(transaction=True)
def test_an_integrator_takes_a_dossier_from_intake_to_returned_result(live_server, integrator_client, ward_a):
    procedure = make_procedure()
    api = Integrator(live_server.url)
    assert set(api.scope.split()) == {f"{role}@{ward_a.code}" for role in clients.CLIENT_ROLES}

    # the catalog names each paper by the id the paper uploads use
    papers = requests.get(f"{live_server.url}/api/v1/procedures/{procedure.code}", timeout=30).json()[
        "papers"
    ]
    to_submit = [p["id"] for p in papers if p["kind"] == "submit"]
    assert to_submit and all(isinstance(i, int) for i in to_submit)

    created = api.post(
        "/api/v1/dossiers/",
        json={
            "procedure": procedure.code,
            "receiving_unit": ward_a.code,
            "competent_unit": ward_a.code,
            "channel": "post",
            "applicant": APPLICANT,
            "form_data": {"ho_ten": APPLICANT["name"]},
        },
        headers={"Idempotency-Key": "tich-hop-0001"},
    )
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    for requirement in to_submit:
        up = api.post(
            f"/api/v1/dossiers/{code}/papers/",
            data={"requirement": requirement},
            files={"file": ("giay.pdf", PDF, "application/pdf")},
        )
        assert up.status_code == 201, up.text
    assert api.act(code, "receive")["status"] == DossierStatus.RECEIVED

    # the specialist asks for one more paper; the system supplements it with the scan attached
    asked = api.act(
        code, "request_supplement", items=["Bản sao giấy khai sinh"], reason="Thiếu giấy khai sinh"
    )
    assert asked["status"] == DossierStatus.SUPPLEMENT_REQUESTED
    supplemented = api.post(
        f"/api/v1/dossiers/{code}/supplements/",
        data={"note": "Bổ sung giấy khai sinh", "requirement": to_submit[0]},
        files=[
            ("file", ("khai-sinh.pdf", PDF, "application/pdf")),
            ("file", ("trang-2.pdf", PDF, "application/pdf")),
        ],
    )
    assert supplemented.status_code == 200, supplemented.text
    assert supplemented.json()["status"] == DossierStatus.PROCESSING
    dossier = Dossier.objects.get(code=code)
    assert dossier.papers.filter(is_supplement=True, requirement_id=to_submit[0]).count() == 2

    # every step of the process, each in its own role: reception, appraisal, the leader's approval
    while True:
        detail = api.get(f"/api/v1/dossiers/{code}/").json()
        open_tasks = [t for t in detail["tasks"] if t["status"] in ("open", "in_progress")]
        if not open_tasks or detail["status"] != DossierStatus.PROCESSING:
            break
        task = open_tasks[0]
        if task["assignee"] is None:
            api.act(code, "claim", task=task["id"])
        api.act(code, "complete", task=task["id"], note=f"Xong bước {task['name']}")
    assert detail["status"] == DossierStatus.RESULT_READY, detail

    # the result paper, then the return that closes the dossier
    refused = api.post(
        f"/api/v1/dossiers/{code}/result-papers/", files={"file": ("kq.pdf", b"GIF89a", "image/gif")}
    )
    assert refused.status_code == 415 and refused.json()["code"] == "file_type"
    result = api.post(
        f"/api/v1/dossiers/{code}/result-papers/",
        data={"name": "Giấy chứng nhận"},
        files={"file": ("ket-qua.pdf", PDF, "application/pdf")},
    )
    assert result.status_code == 201, result.text
    assert result.json()["name"] == "Giấy chứng nhận" and result.json()["content_type"] == "application/pdf"
    closed = api.act(code, "return_result", channel="post")
    assert closed["status"] == DossierStatus.RETURNED and closed["returned_at"] and closed["outcome"]

    system = integrator_client.user
    actions = set(AuditEntry.objects.filter(actor_id=system.pk).values_list("action", flat=True))
    assert {
        "dossiers.receive",
        "dossiers.supplement",
        "dossiers.attach_result",
        "dossiers.return_result",
    } <= actions


@pytest.mark.django_db(transaction=True)
def test_an_integrator_registers_a_birth_and_issues_an_extract(live_server, integrator_client, ward_a):
    api = Integrator(live_server.url)
    born = dt.date.today() - dt.timedelta(days=20)
    registered = api.post(
        "/api/v1/civil/births/",
        json={
            "child_name": "Nguyễn Minh Thư",
            "child_sex": "female",
            "child_date_of_birth": born.isoformat(),
            "place_of_birth": "Bệnh viện Hùng Vương, Thành phố Hồ Chí Minh",
            "father_name": "Nguyễn Văn An",
            "father_personal_id": "079090001234",
            "mother_name": "Trần Thị Bích",
            "mother_personal_id": "079191004321",
        },
    )
    assert registered.status_code == 201, registered.text
    record = registered.json()
    assert record["unit"] == ward_a.code and record["code"].startswith(f"KS-{ward_a.code}-")
    assert BirthRecord.objects.get(code=record["code"]).registered_by_id == integrator_client.user_id

    again = api.post(
        "/api/v1/civil/births/",
        json={
            "child_name": "Nguyễn Minh Thư",
            "child_sex": "female",
            "child_date_of_birth": born.isoformat(),
            "place_of_birth": "Bệnh viện Hùng Vương",
            "mother_name": "Trần Thị Bích",
            "mother_personal_id": "079191004321",
        },
    )
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    assert BirthRecord.objects.count() == 1

    issued = api.post(
        "/api/v1/civil/extracts/",
        json={
            "kind": "birth",
            "record": record["id"],
            "collector_name": "Nguyễn Văn An",
            "collector_personal_id": "079090001234",
            "purpose": "Làm thủ tục nhập học",
        },
    )
    assert issued.status_code == 201, issued.text
    extract = issued.json()
    assert extract["record_code"] == record["code"] and extract["copy_number"] == 1
    pdf = api.get(extract["pdf_url"])
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    verified = requests.get(
        f"{live_server.url}/api/v1/civil/verify/{extract['verification_code']}/", timeout=30
    ).json()
    assert verified["genuine"] is True and verified["document"] == "extract"
    assert ExtractCopy.objects.get().issued_by_id == integrator_client.user_id
