"""Test documents made here from text: born-digital PDFs (WeasyPrint) and scans rendered with PIL at a
chosen resolution, plus a degraded set (skew, blur, JPEG noise, 150 dpi). Ground truth is the text drawn."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SERIF_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
HEAD = "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf"
HEAD_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-Bold.ttf"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass
class Sample:
    superior: str
    issuer: str
    number: str
    place_date: str
    doc_type: str  # "" for a letter (công văn) with a V/v line
    summary: str
    body: list[str]
    expected: dict[str, str] = field(default_factory=dict)


SAMPLES = [
    Sample(
        "UBND QUẬN 1",
        "ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ",
        "125/UBND-VP",
        "Quận 1, ngày 15 tháng 3 năm 2026",
        "",
        "tăng cường công tác vệ sinh môi trường",
        [
            "Kính gửi: Ủy ban nhân dân phường Cầu Ông Lãnh.",
            "Thực hiện kế hoạch của Ủy ban nhân dân Thành phố về việc giữ gìn",
            "vệ sinh môi trường trên địa bàn, Ủy ban nhân dân phường Bến Nghé",
            "đề nghị quý cơ quan phối hợp tổ chức ra quân dọn dẹp các tuyến",
            "đường giáp ranh vào sáng thứ Bảy, đồng thời báo cáo kết quả",
            "thực hiện trước ngày 30 tháng 3 năm 2026.",
            "Trân trọng./.",
        ],
        {
            "issuer": "ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ",
            "number_notation": "125/UBND-VP",
            "issued_on": "2026-03-15",
            "doc_type": "Công văn",
            "summary": "tăng cường công tác vệ sinh môi trường",
        },
    ),
    Sample(
        "UBND THÀNH PHỐ HỒ CHÍ MINH",
        "SỞ TƯ PHÁP",
        "482/QĐ-STP",
        "Thành phố Hồ Chí Minh, ngày 2 tháng 4 năm 2026",
        "QUYẾT ĐỊNH",
        "Về việc kiện toàn tổ kiểm tra công tác hộ tịch",
        [
            "GIÁM ĐỐC SỞ TƯ PHÁP",
            "Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014;",
            "Căn cứ Nghị định số 123/2015/NĐ-CP của Chính phủ;",
            "Xét đề nghị của Trưởng phòng Hành chính tư pháp,",
            "QUYẾT ĐỊNH:",
            "Điều 1. Kiện toàn tổ kiểm tra công tác hộ tịch gồm các ông, bà",
            "có tên trong danh sách kèm theo Quyết định này.",
        ],
        {
            "issuer": "SỞ TƯ PHÁP",
            "number_notation": "482/QĐ-STP",
            "issued_on": "2026-04-02",
            "doc_type": "Quyết định",
            "summary": "Về việc kiện toàn tổ kiểm tra công tác hộ tịch",
        },
    ),
    Sample(
        "",
        "ỦY BAN NHÂN DÂN PHƯỜNG SÀI GÒN",
        "37/TB-UBND",
        "Phường Sài Gòn, ngày 20 tháng 5 năm 2026",
        "THÔNG BÁO",
        "Lịch tiếp công dân tháng 6 năm 2026",
        [
            "Ủy ban nhân dân phường Sài Gòn thông báo lịch tiếp công dân",
            "định kỳ của Chủ tịch Ủy ban nhân dân phường như sau:",
            "Thời gian: sáng thứ Năm hằng tuần, từ 7 giờ 30 đến 11 giờ 30.",
            "Địa điểm: Trụ sở Ủy ban nhân dân phường, số 45 đường Lê Lợi.",
            "Đề nghị các tổ dân phố thông tin rộng rãi đến người dân biết./.",
        ],
        {
            "issuer": "ỦY BAN NHÂN DÂN PHƯỜNG SÀI GÒN",
            "number_notation": "37/TB-UBND",
            "issued_on": "2026-05-20",
            "doc_type": "Thông báo",
            "summary": "Lịch tiếp công dân tháng 6 năm 2026",
        },
    ),
]


def render(sample: Sample, dpi: int = 300) -> tuple[Image.Image, str]:
    """A clean A4 scan of `sample` at `dpi` and its text in reading order (row by row)."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)

    def pt(points: float) -> int:
        return int(points * dpi / 72)

    regular, bold = ImageFont.truetype(SERIF, pt(12.5)), ImageFont.truetype(SERIF_BOLD, pt(12.5))
    head, head_bold = ImageFont.truetype(HEAD, pt(12)), ImageFont.truetype(HEAD_BOLD, pt(12))
    left, right = (pt(30), width * 2 // 5 + pt(10)), (width * 2 // 5 + pt(40), width - pt(25))
    truth: list[str] = []

    def centre(box: tuple[int, int], y: int, text: str, font: ImageFont.FreeTypeFont) -> None:
        span = draw.textlength(text, font=font)
        draw.text((box[0] + (box[1] - box[0] - span) / 2, y), text, font=font, fill=0)

    y = pt(55)
    rows = []
    if sample.superior:
        rows.append(((sample.superior, head), (MOTTO[0], head_bold)))
        rows.append(((sample.issuer, head_bold), (MOTTO[1], head_bold)))
    else:
        rows.append(((sample.issuer, head_bold), (MOTTO[0], head_bold)))
        rows.append((("", head_bold), (MOTTO[1], head_bold)))
    for (ltext, lfont), (rtext, rfont) in rows:
        centre(left, y, ltext, lfont)
        centre(right, y, rtext, rfont)
        truth.append(" ".join(t for t in (ltext, rtext) if t))
        y += pt(17)
    y += pt(12)
    centre(left, y, f"Số: {sample.number}", head)
    centre(right, y, sample.place_date, head)
    truth.append(f"Số: {sample.number} {sample.place_date}")
    y += pt(17)
    if not sample.doc_type:
        centre(left, y, f"V/v {sample.summary}", head)
        truth.append(f"V/v {sample.summary}")
        y += pt(34)
    else:
        y += pt(20)
        centre((0, width), y, sample.doc_type, bold)
        truth.append(sample.doc_type)
        y += pt(17)
        centre((0, width), y, sample.summary, bold)
        truth.append(sample.summary)
        y += pt(34)
    for line in sample.body:
        draw.text((pt(60), y), line, font=regular, fill=0)
        truth.append(line)
        y += pt(19)
    return image, "\n".join(truth)


def png(image: Image.Image, dpi: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def degrade(image: Image.Image, kind: str, dpi: int = 300, seed: int = 7) -> tuple[bytes, str, int]:
    """(file bytes, content type, dpi) of a degraded copy: skew, blur, jpeg (noise + JPEG), 150dpi."""
    rng = random.Random(seed)
    if kind == "skew":
        out = image.rotate(1.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
        return png(out, dpi), "image/png", dpi
    if kind == "blur":
        return png(image.filter(ImageFilter.GaussianBlur(1.2)), dpi), "image/png", dpi
    if kind == "jpeg":
        noisy = image.copy()
        pixels = noisy.load()
        for _ in range(noisy.width * noisy.height // 60):
            x, y = rng.randrange(noisy.width), rng.randrange(noisy.height)
            pixels[x, y] = rng.choice((0, 90, 170, 255))
        buffer = io.BytesIO()
        noisy.save(buffer, format="JPEG", quality=35, dpi=(dpi, dpi))
        return buffer.getvalue(), "image/jpeg", dpi
    if kind == "150dpi":
        low = image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)
        return png(low, 150), "image/png", 150
    raise ValueError(kind)


def born_digital_pdf(sample: Sample) -> bytes:
    """The same document as a PDF with a text layer (WeasyPrint), as an e-office system would send it."""
    from weasyprint import HTML

    _image, truth = render(sample, dpi=72)
    paragraphs = "".join(f"<p>{line}</p>" for line in truth.splitlines())
    return HTML(string=f"<html><body style='font-family:DejaVu Serif'>{paragraphs}</body></html>").write_pdf()


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(truth: str, text: str) -> float:
    """Character error rate over the text with whitespace collapsed (NFC)."""
    import unicodedata

    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).split())

    t, h = norm(truth), norm(text)
    return levenshtein(t, h) / max(len(t), 1)
