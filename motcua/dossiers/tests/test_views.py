import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.documents import qr_payload
from motcua.dossiers.models import Dossier, TaskStatus
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.tests.conftest import PDF


def login(client, user):
    client.force_login(user)
    return client


def test_counter_intake_screen_accepts_and_prints_receipt(client, desk_officer, procedure, ward_a):
    login(client, desk_officer)
    page = client.get(reverse("dossiers:intake") + f"?procedure={procedure.code}")
    assert page.status_code == 200
    assert "Lấy thông tin từ CSDL dân cư" in page.content.decode()
    data = {
        "procedure": procedure.code,
        "receiving_unit": ward_a.pk,
        "channel": "counter",
        "competent_unit": ward_a.pk,
        "applicant_name": "Trần Thị Bình",
        "applicant_personal_id": "079190004321",
        "reg_applicant_name": "Trần Thị Bình",
        "applicant_phone": "0912345678",
        "f_ho_ten": "Trần Thị Bình",
        "outcome": "accept",
        "idempotency_key": "abc",
    }
    for r in procedure.requirements.filter(kind="submit"):
        data[f"paper_{r.pk}"] = SimpleUploadedFile(f"p{r.pk}.pdf", PDF)
    response = client.post(reverse("dossiers:intake"), data)
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert d.status == S.RECEIVED
    assert d.field_sources["applicant_name"] == "registry"
    assert d.field_sources["applicant_phone"] == "typed"
    pdf = client.get(reverse("dossiers:form", args=[d.code, "01"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert d.code.encode() in pdf.content
    assert qr_payload(d).endswith(f"/tra-cuu/{d.code}/")
    xlsx = client.get(reverse("dossiers:control-xlsx", args=[d.code]))
    assert xlsx.content[:2] == b"PK"


def test_intake_error_is_shown_and_nothing_saved(client, desk_officer, procedure, ward_a):
    login(client, desk_officer)
    response = client.post(
        reverse("dossiers:intake"),
        {
            "procedure": procedure.code,
            "receiving_unit": ward_a.pk,
            "applicant_name": "A",
            "f_ho_ten": "A",
            "outcome": "accept",
        },
    )
    assert response.status_code == 400
    assert "Còn thiếu giấy tờ bắt buộc" in response.content.decode()
    assert 'id="f_ho_ten" name="f_ho_ten" value="A"' in response.content.decode()  # what was typed stays
    assert Dossier.objects.count() == 0


def test_registry_lookup_failure_keeps_manual_entry(client, desk_officer, procedure, monkeypatch):
    import motcua.citizens.services as citizens

    def broken(*args, **kwargs):
        raise TimeoutError("registry timeout")

    monkeypatch.setattr(citizens, "lookup_person", broken)
    login(client, desk_officer)
    response = client.post(
        reverse("dossiers:lookup"),
        {"applicant_personal_id": "079090001234", "applicant_name": "Gõ tay", "procedure": procedure.code},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "CSDL dân cư không phản hồi" in body and 'value="Gõ tay"' in body


def test_registry_lookup_fills_fields(client, desk_officer, procedure, monkeypatch):
    import motcua.citizens.services as citizens

    class Result:
        ok, error = True, ""
        fields = {"full_name": "Lê Văn Cường", "phone": "0987654321", "permanent_address": "1 Hàm Nghi"}

    monkeypatch.setattr(citizens, "lookup_person", lambda *a, **k: Result())
    login(client, desk_officer)
    body = client.post(
        reverse("dossiers:lookup"), {"applicant_personal_id": "079090001234", "procedure": procedure.code}
    ).content.decode()
    assert 'value="Lê Văn Cường"' in body and 'name="reg_applicant_name"' in body
    # the declaration's registry-backed field is filled out of band, marked as coming from the registry
    assert 'id="fw_ho_ten" class="form-input" hx-swap-oob="true"' in body
    assert 'name="regf_ho_ten" value="Lê Văn Cường"' in body


@pytest.mark.parametrize("who", ["anonymous", "citizen", "other_ward", "unit"])
def test_four_callers_on_claim(who, client, intake, citizen, other_ward_specialist, specialist):
    d = intake()
    task = d.tasks.get(order=2)
    user = {"anonymous": None, "citizen": citizen, "other_ward": other_ward_specialist, "unit": specialist}[
        who
    ]
    if user is not None:
        client.force_login(user)
    response = client.post(
        reverse("dossiers:act", args=[d.code, "claim"]), {"task": task.pk, "version": d.version}
    )
    task.refresh_from_db()
    if who == "unit":
        assert response.status_code == 302 and task.status == TaskStatus.IN_PROGRESS
    else:
        assert response.status_code in (302, 403, 404)
        if who == "anonymous":
            assert "/staff/login/" in response["Location"]
        assert task.status == TaskStatus.OPEN and task.assignee is None


def test_other_ward_cannot_see_detail_or_pdf(client, intake, other_ward_specialist):
    d = intake()
    client.force_login(other_ward_specialist)
    assert client.get(reverse("dossiers:detail", args=[d.code])).status_code == 404
    assert client.get(reverse("dossiers:form", args=[d.code, "01"])).status_code == 404


def test_stale_form_shows_message(client, intake, specialist, leader):
    d = intake()
    task = d.tasks.get(order=2)
    stale = d.version
    services.claim_task(task, actor=specialist)
    client.force_login(specialist)
    response = client.post(
        reverse("dossiers:act", args=[d.code, "complete"]), {"task": task.pk, "version": stale}, follow=True
    )
    assert "vừa được người khác cập nhật" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS


def test_home_and_log_book(client, intake, desk_officer, specialist):
    intake()
    client.force_login(specialist)
    body = client.get(reverse("dossiers:home")).content.decode()
    assert "Hàng đợi của đơn vị" in body and "Nhận xử lý" in body
    client.force_login(desk_officer)
    assert client.get(reverse("dossiers:log-book")).status_code == 200
    pdf = client.get(reverse("dossiers:log-book") + "?format=pdf")
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("dossiers:log-book") + "?format=xlsx").content[:2] == b"PK"
