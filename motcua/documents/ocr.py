"""Offline OCR: Tesseract with the Vietnamese model through OCRmyPDF, producing a searchable PDF/A.

Nothing leaves the machine: OCRmyPDF runs Tesseract (and Ghostscript when it must) as local processes. When
the tools are missing the platform keeps working: the document is registered with `ocr_status=off` and the
reason shown (`unavailable_reason`).
"""

from __future__ import annotations

import functools
import io
import logging
import shutil
import subprocess  # noqa: S404 - runs the local tesseract binary only, fixed arguments
import tempfile
from pathlib import Path

import img2pdf
import ocrmypdf
import pikepdf
from django.conf import settings
from django.utils.translation import gettext as _
from pdfminer.high_level import extract_text
from PIL import Image

log = logging.getLogger(__name__)
LANGUAGE = "vie"


@functools.cache
def _languages(binary: str) -> frozenset[str]:
    try:
        out = subprocess.run(  # noqa: S603 - fixed argv, local binary
            [binary, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def unavailable_reason() -> str:
    """Why OCR cannot run here ("" when it can)."""
    if not settings.MOTCUA_DOCUMENTS_OCR:
        return _("Nhận dạng chữ (OCR) đã tắt trong cấu hình (MOTCUA_DOCUMENTS_OCR=0).")
    binary = shutil.which("tesseract")
    if binary is None:
        return _(
            "Máy chủ chưa cài Tesseract (gói tesseract-ocr, tesseract-ocr-vie): văn bản vẫn dùng được, nhập tay các trường."
        )
    if LANGUAGE not in _languages(binary):
        return _("Máy chủ chưa có mô hình tiếng Việt của Tesseract (gói tesseract-ocr-vie).")
    return ""


def collate(parts: list[tuple[bytes, str]]) -> bytes:
    """One PDF from several scans (PDF pages and images, in order)."""
    if len(parts) == 1 and parts[0][1] == "application/pdf":
        with pikepdf.Pdf.open(io.BytesIO(parts[0][0])) as checked:  # a broken PDF raises here
            if not len(checked.pages):
                raise ValueError("a PDF without pages")
        return parts[0][0]
    out = pikepdf.Pdf.new()
    for data, content_type in parts:
        if content_type == "application/pdf":
            source = pikepdf.Pdf.open(io.BytesIO(data))
        else:
            source = pikepdf.Pdf.open(io.BytesIO(img2pdf.convert(_normalised_image(data))))
        out.pages.extend(source.pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _normalised_image(data: bytes) -> bytes:
    """img2pdf refuses images without a resolution or with an alpha channel: give it a clean PNG/JPEG."""
    with Image.open(io.BytesIO(data)) as opened:
        dpi = opened.info.get("dpi") or (300, 300)
        if opened.format == "JPEG" and opened.info.get("dpi"):
            return data
        image: Image.Image = opened.convert("RGB") if opened.mode in ("RGBA", "LA", "P") else opened
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", dpi=tuple(round(float(v)) or 300 for v in dpi))
        return buffer.getvalue()


def text_layer(pdf: bytes) -> str:
    """The PDF's own text (a born-digital document, or one OCR'd before); "" when it has none."""
    try:
        return extract_text(io.BytesIO(pdf)).strip()
    except Exception:  # noqa: BLE001 - a broken PDF simply has no usable text layer
        log.warning("documents: could not read the text layer", exc_info=True)
        return ""


def run(pdf: bytes) -> tuple[bytes, str]:
    """OCR `pdf`: (searchable PDF/A bytes, text). Raises on failure."""
    with tempfile.TemporaryDirectory(prefix="motcua-ocr-") as tmp:
        source, target, sidecar = Path(tmp, "in.pdf"), Path(tmp, "out.pdf"), Path(tmp, "out.txt")
        source.write_bytes(pdf)
        ocrmypdf.ocr(
            source,
            target,
            language=[LANGUAGE],
            output_type="pdfa",
            sidecar=sidecar,
            deskew=True,
            oversample=300,
            mode="force",
            jobs=1,
            progress_bar=False,
            optimize=0,
            tesseract_timeout=settings.MOTCUA_DOCUMENTS_OCR_TIMEOUT,
        )
        text = sidecar.read_text(encoding="utf-8").replace("\f", "\n")
        return target.read_bytes(), text.strip()
