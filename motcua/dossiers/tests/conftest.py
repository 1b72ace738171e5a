"""Fixtures of the dossier tests: procedures created through the catalog's models, tiny real files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import FormField, InternalProcess, Procedure, ProcessStep, Requirement
from motcua.core.calendar import LegalTimeUnit
from motcua.org.models import Role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_procedure(
    code: str = "1.000001", *, days: int = 3, unit: str = LegalTimeUnit.WORKING_DAYS, steps=None, **fields
) -> Procedure:
    procedure = Procedure.objects.create(
        code=code,
        name=fields.pop("name", f"Thủ tục thử {code}"),
        time_value=Decimal(days),
        time_unit=unit,
        online_level=fields.pop("online_level", "full"),
        **fields,
    )
    Requirement.objects.create(
        procedure=procedure,
        order=1,
        name="Tờ khai theo mẫu",
        kind="submit",
        quantity_original=1,
        required=True,
    )
    Requirement.objects.create(
        procedure=procedure,
        order=2,
        name="Giấy tờ chứng minh nơi cư trú",
        kind="submit",
        quantity_copy=1,
        required=True,
    )
    Requirement.objects.create(
        procedure=procedure,
        order=3,
        name="Căn cước (xuất trình)",
        kind="show",
        quantity_original=1,
        required=True,
    )
    FormField.objects.create(
        procedure=procedure,
        order=1,
        key="ho_ten",
        label="Họ và tên",
        field_type="person",
        required=True,
        registry_field="full_name",
    )
    FormField.objects.create(
        procedure=procedure,
        order=2,
        key="ngay_sinh",
        label="Ngày sinh",
        field_type="date",
        required=False,
        registry_field="date_of_birth",
    )
    FormField.objects.create(
        procedure=procedure,
        order=3,
        key="gioi_tinh",
        label="Giới tính",
        field_type="choice",
        required=False,
        choices=["Nam", "Nữ"],
    )
    process = InternalProcess.objects.create(
        procedure=procedure, version=1, effective_from=dt.date(2020, 1, 1)
    )
    for order, (name, role, hours) in enumerate(
        steps
        or [
            ("Tiếp nhận hồ sơ", Role.DESK_OFFICER, 2),
            ("Thẩm định hồ sơ", Role.SPECIALIST, 8),
            ("Phê duyệt kết quả", Role.UNIT_LEADER, 4),
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
    return procedure


def files_for(procedure) -> dict:
    return {
        r.pk: pdf(f"giay-{r.pk}.pdf")
        for r in procedure.requirements.filter(kind="submit", required=True, condition__isnull=True)
    }


APPLICANT = {
    "name": "Nguyễn Văn An",
    "personal_id": "079090001234",
    "phone": "0901234567",
    "email": "an@example.vn",
    "address": "12 Nguyễn Thái Học, phường Cầu Ông Lãnh",
}


@pytest.fixture
def procedure(db):
    return make_procedure()


@pytest.fixture
def intake(procedure, ward_a, desk_officer):
    """intake(**overrides) -> a dossier accepted at ward A's counter."""
    from motcua.dossiers import services

    def make(**overrides):
        proc = overrides.pop("procedure", procedure)
        kwargs = dict(
            procedure=proc,
            receiving_unit=ward_a,
            actor=desk_officer,
            applicant=dict(APPLICANT),
            form_data={"ho_ten": "Nguyễn Văn An"},
            files=files_for(proc),
            competent_unit=ward_a,
        )
        kwargs.update(overrides)
        return services.receive_at_counter(**kwargs)

    return make


@pytest.fixture
def monday_morning():
    """A working Monday 09:00 in Ho Chi Minh City (no holiday around it)."""
    from motcua.core.calendar import TZ

    return dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Staff fixtures hash a password each; a cheap hasher keeps these tests quick (logins still verify)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
