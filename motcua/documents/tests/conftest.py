import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.tests.scans import SAMPLES, born_digital_pdf
from motcua.org.models import Role

_PDFS: dict[int, bytes] = {}


def pdf_of(index: int = 0) -> bytes:
    """A born-digital PDF of sample `index` (cached: WeasyPrint takes a moment)."""
    if index not in _PDFS:
        _PDFS[index] = born_digital_pdf(SAMPLES[index])
    return _PDFS[index]


def upload(
    data: bytes, name: str = "van-ban.pdf", content_type: str = "application/pdf"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def unique_pdf(n: int) -> io.BytesIO:
    """A distinct tiny PDF with a text layer (for counters: each file hashes differently)."""
    from weasyprint import HTML

    buffer = io.BytesIO(HTML(string=f"<p>Số: {n}/UBND-VP Văn bản thử {n}</p>").write_pdf())
    buffer.name = f"vb-{n}.pdf"
    return buffer


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents")},
        },
        "local_secret": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "secret")},
        },
    }
    settings.MOTCUA_DOCUMENTS_OCR = False
    from django.core.files.storage import storages

    storages._storages = {}
    storages._backends = None
    yield
    storages._storages = {}
    storages._backends = None


@pytest.fixture
def clerk(make_staff, ward_a):
    return make_staff(Role.CLERK, ward_a, email="vanthu@example.vn")


@pytest.fixture
def leader(make_staff, ward_a):
    return make_staff(Role.UNIT_LEADER, ward_a, email="lanhdao@example.vn")


@pytest.fixture
def specialist(make_staff, ward_a):
    return make_staff(Role.SPECIALIST, ward_a, email="chuyenvien@example.vn")


@pytest.fixture
def clerk_b(make_staff, ward_b):
    return make_staff(Role.CLERK, ward_b)
