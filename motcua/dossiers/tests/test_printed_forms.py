"""Printed papers a ward can sign (forms 01-07, TT 01/2018 Art 9; TT 03/2025 Phụ lục I): the national heading
on one line, the receiver's name under the signature block, the right title on a refusal, no "0 trong
ngày". Each PDF's first page is rendered to an image (pdftoppm) and compared with the approved image
committed beside this test, tolerantly (fonts may hint differently on another machine)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from motcua.core.calendar import TZ, LegalTimeUnit
from motcua.dossiers import documents, services
from motcua.dossiers.tests.conftest import APPLICANT, files_for, make_procedure
from motcua.org.models import Role

APPROVED = Path(__file__).parent / "approved"
MOMENT = dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ)  # a working Monday morning
DPI = 40
MAX_DIFFERENT = 0.015  # share of pixels that may differ by more than a quarter of the grey scale

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")


def _run(*args: str) -> bytes:
    return subprocess.run(args, check=True, capture_output=True, timeout=60).stdout  # noqa: S603


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    return _run("pdftotext", "-layout", str(path), "-").decode()


def _page_image(pdf: bytes, tmp_path: Path) -> Image.Image:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    _run("pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page"))
    (image,) = sorted(tmp_path.glob("page*.png"))
    return Image.open(image).convert("L")


def _compare(name: str, pdf: bytes, tmp_path: Path) -> None:
    image = _page_image(pdf, tmp_path)
    approved = APPROVED / f"{name}.png"
    if not approved.exists():
        image.save(approved)
        pytest.skip(f"approved image {approved.name} written: review it and commit it")
    reference = Image.open(approved).convert("L")
    assert image.size == reference.size, f"{name}: page size changed"
    diff = ImageChops.difference(image, reference).point(lambda v: 255 if v > 64 else 0)
    share = sum(1 for v in diff.getdata() if v) / (image.size[0] * image.size[1])
    if share > MAX_DIFFERENT:
        image.save(tmp_path / f"{name}-actual.png")
        pytest.fail(f"{name}: {share:.1%} of the page differs from the approved image ({tmp_path})")


@pytest.fixture
def papers(db, ward_a, make_staff):
    officer = make_staff(Role.DESK_OFFICER, ward_a, full_name="Lê Thị Tiếp Nhận")
    procedure = make_procedure("1.990088", name="Đăng ký khai sinh", days=0, unit=LegalTimeUnit.SAME_DAY)
    common = dict(
        procedure=procedure,
        receiving_unit=ward_a,
        actor=officer,
        applicant=dict(APPLICANT),
        form_data={"ho_ten": "Nguyễn Văn An"},
        competent_unit=ward_a,
    )
    with services.clock_at(MOMENT):
        received = services.receive_at_counter(**common, files=files_for(procedure))
        supplement = services.receive_at_counter(**common, files={}, outcome="supplement")
        refused = services.receive_at_counter(
            **common,
            files=files_for(procedure),
            outcome="refuse",
            reason="Hồ sơ không thuộc thẩm quyền của phường.",
        )
    received.apology_reason = "Phải xác minh thêm nơi cư trú của người mẹ."
    received.stop_reason = "Người nộp đề nghị dừng giải quyết."
    return {"received": received, "supplement": supplement, "refused": refused, "officer": officer}


FORMS = [
    ("01", "received"),
    ("02", "supplement"),
    ("03", "refused"),
    ("04", "received"),
    ("05", "received"),
    ("06", "received"),
]


@pytest.mark.parametrize(("number", "which"), FORMS, ids=[n for n, _w in FORMS])
def test_form_matches_the_approved_layout(number, which, papers, tmp_path):
    with services.clock_at(MOMENT):
        pdf = documents.form_pdf(papers[which], number)
    text = _text(pdf, tmp_path)
    # the national heading and the motto each on one line
    assert any(line.strip().endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for line in text.splitlines())
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "0 trong ngày" not in text
    if number in ("01", "02", "03"):
        assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and "Lê Thị Tiếp Nhận" in text
    if number == "01":
        assert "Thời gian giải quyết theo quy định: trong ngày." in text
        assert "01 bản chính" in text
    _compare(f"form-{number}", pdf, tmp_path)


def test_refusal_after_processing_has_its_own_title(papers, tmp_path):
    d = papers["received"]
    d.status, d.refusal_reason = "refused", "Người được khai sinh đã có giấy khai sinh."
    text = _text(documents.form_pdf(d, "03"), tmp_path)
    assert "THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ" in text and "TIẾP NHẬN GIẢI QUYẾT" not in text
    receipt_refusal = _text(documents.form_pdf(papers["refused"], "03"), tmp_path)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in receipt_refusal


def test_log_book_matches_the_approved_layout(papers, ward_a, tmp_path):
    with services.clock_at(MOMENT):
        pdf = documents.log_book_pdf(
            [papers["received"], papers["supplement"], papers["refused"]],
            unit_name=ward_a.name,
            start=MOMENT.date(),
            end=MOMENT.date(),
        )
    text = _text(pdf, tmp_path)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert any(line.strip().endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for line in text.splitlines())
    _compare("form-07", pdf, tmp_path)
