"""Portal test data: an online procedure in the catalog (test rows, as the catalog's admin would enter)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ADDRESS = "12 Nguyễn Thái Học, phường Cầu Ông Lãnh, Thành phố Hồ Chí Minh"


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded papers go to a temporary folder, never to the checkout's var/."""
    storages = dict(settings.STORAGES)
    storages["default"] = {**storages["default"], "OPTIONS": {"location": str(tmp_path / "media")}}
    settings.STORAGES = storages
    # No population registry unless a test starts the simulator (never a demo one on the default port).
    settings.MOTCUA_POPULATION_REGISTRY_URL = "http://127.0.0.1:9"
    settings.MOTCUA_REGISTRY_TIMEOUT = 0.5


def make_procedure(code="1.999001", online_level="full"):
    from motcua.catalog.models import FormField, InternalProcess, Procedure, ProcessStep, Requirement
    from motcua.org.models import Role

    p = Procedure.objects.create(
        code=code,
        name=f"Thủ tục thử trực tuyến {code}",
        time_value=Decimal(3),
        time_unit="working_days",
        online_level=online_level,
    )
    Requirement.objects.create(procedure=p, order=1, name="Tờ khai theo mẫu", kind="submit", required=True)
    Requirement.objects.create(
        procedure=p, order=2, name="Giấy tờ khác (nếu có)", kind="submit", required=False
    )
    Requirement.objects.create(procedure=p, order=3, name="Căn cước (xuất trình)", kind="show", required=True)
    FormField.objects.create(
        procedure=p,
        order=1,
        key="ho_ten",
        label="Họ và tên",
        field_type="person",
        required=True,
        registry_field="full_name",
    )
    FormField.objects.create(
        procedure=p,
        order=2,
        key="gioi_tinh",
        label="Giới tính",
        field_type="choice",
        required=True,
        choices=["Nam", "Nữ"],
    )
    FormField.objects.create(
        procedure=p,
        order=3,
        key="ten_con",
        label="Họ tên con",
        field_type="person",
        required=False,
        registry_field="full_name",
        registry_subject="subject",
    )
    process = InternalProcess.objects.create(procedure=p, version=1, effective_from=dt.date(2020, 1, 1))
    for order, (name, role, hours) in enumerate(
        [
            ("Tiếp nhận", Role.DESK_OFFICER, 2),
            ("Thẩm định", Role.SPECIALIST, 8),
            ("Phê duyệt", Role.UNIT_LEADER, 4),
        ],
        start=1,
    ):
        ProcessStep.objects.create(
            process=process,
            order=order,
            name=name,
            role=role,
            unit_kind="receiving" if role == Role.DESK_OFFICER else "competent",
            hours=Decimal(hours),
        )
    return p


@pytest.fixture
def online_procedure(ward_a):
    return make_procedure()


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen, backend="motcua.portal.auth.PhoneOTPBackend")
    return client


def first_paper(procedure):
    return procedure.requirements.get(order=1)


def fill_and_review(client, procedure, **overrides):
    """Post the wizard's first step with valid data; returns the response."""
    data = {
        "applicant_name": "Nguyễn Văn An",
        "applicant_personal_id": "079090001234",
        "applicant_phone": "0901234567",
        "applicant_email": "an@example.vn",
        "applicant_address": ADDRESS,
        "f_ho_ten": "Nguyễn Văn An",
        "f_gioi_tinh": "Nam",
        f"paper_{first_paper(procedure).pk}": pdf("to-khai.pdf"),
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"/nop-ho-so/{procedure.code}/", data)


def submit(client, procedure):
    """Run the whole wizard; returns the dossier."""
    from motcua.dossiers.selectors import dossiers_of_citizen

    assert fill_and_review(client, procedure).status_code == 302
    key = client.session[f"portal_draft:{client.session['_auth_user_id']}"]["key"]
    response = client.post(f"/nop-ho-so/{procedure.code}/gui/", {"k": key})
    assert response.status_code == 302
    user = procedure.dossiers.model.citizen.field.related_model.objects.get(
        pk=client.session["_auth_user_id"]
    )
    return dossiers_of_citizen(user).get()


def walk_to_result(dossier, *, desk_officer, specialist, leader, with_result_file=True, returned=True):
    from motcua.dossiers import services

    dossier = services.receive(dossier, actor=desk_officer)
    for order, actor in ((2, specialist), (3, leader)):
        task = dossier.tasks.get(order=order)
        services.claim_task(task, actor=actor)
        services.complete_task(task, actor=actor)
    if with_result_file:
        services.attach_result(dossier, actor=specialist, file=pdf("ket-qua.pdf"), name="Giấy chứng nhận")
    if returned:
        services.return_result(dossier, actor=desk_officer, channel="online")
    dossier.refresh_from_db()
    return dossier
