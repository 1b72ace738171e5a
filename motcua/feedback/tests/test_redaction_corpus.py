"""Redaction of published feedback against a generated corpus of disguised personal data: names without
diacritics, upper case or NFD; phones with brackets, dots, spaces or +84; e-mails written with (at)/[dot]."""

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from motcua.feedback.redaction import NAME_MARK, redact

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Ngọc", "Minh", "Thanh", "Đức"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hương", "Lan", "Phượng", "Quý", "Thảo", "Yến"]
FILLER = [
    "Rác thải tồn đọng trước chợ nhiều ngày,",
    "đèn đường trên hẻm bị tắt từ tối qua,",
    "xin liên hệ",
    "người dân khu phố phản ánh",
    "vui lòng gọi lại cho",
    "hoặc gửi thư về",
]


def name_variant(draw_name: str, style: str) -> str:
    if style == "plain":
        return unidecode(draw_name)
    if style == "upper":
        return draw_name.upper()
    if style == "nfd":
        return unicodedata.normalize("NFD", draw_name)
    if style == "lower_plain":
        return unidecode(draw_name).lower()
    return draw_name


names = st.builds(
    lambda f, m, g: f"{f} {m} {g}", st.sampled_from(FAMILY), st.sampled_from(MIDDLE), st.sampled_from(GIVEN)
)
name_styles = st.sampled_from(["as_is", "plain", "upper", "nfd", "lower_plain"])

PHONE_STYLES = [
    lambda d: f"({d[:3]}) {d[3:6]} {d[6:]}",
    lambda d: f"{d[:3]}.{d[3:6]}.{d[6:]}",
    lambda d: f"+84 {d[1:3]} {d[3:6]} {d[6:]}",
    lambda d: f"{d[:4]}-{d[4:7]}-{d[7:]}",
    lambda d: f"84{d[1:]}",
    lambda d: d,
    lambda d: f"{d[:4]} {d[4:7]} {d[7:]}",
]
phones = st.builds(
    lambda prefix, rest, style: (prefix + rest, PHONE_STYLES[style](prefix + rest)),
    st.sampled_from(["090", "091", "098", "083", "070", "035"]),
    st.text("0123456789", min_size=7, max_size=7),
    st.integers(0, len(PHONE_STYLES) - 1),
)

AT = ["@", " @ ", " (at) ", " [at] ", "(at)", " at "]
DOT = [".", " . ", " [dot] ", " (dot) ", " dot "]
local = st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8).map(lambda s: "qx" + s)
emails = st.builds(
    lambda a, b, dom, at, dot1, dot2: (
        (a, b, dom),
        f"{a}{dot1}{b}{at}{dom}{dot2}vn",
    ),
    local,
    local,
    local,
    st.sampled_from(AT),
    st.sampled_from(DOT),
    st.sampled_from(DOT),
)


def fold(text: str) -> str:
    return unidecode(unicodedata.normalize("NFC", text)).lower()


@settings(max_examples=300, deadline=None)
@given(name=names, style=name_styles, phone=phones, email=emails, parts=st.permutations(FILLER))
def test_disguised_personal_data_is_redacted(name, style, phone, email, parts):
    digits, written_phone = phone
    email_parts, written_email = email
    text = " ".join(
        [parts[0], name_variant(name, style), parts[1], written_phone, parts[2], written_email, parts[3]]
    )
    out = redact(text, [name])
    assert fold(name) not in re.sub(r"\s+", " ", fold(out))
    assert digits[1:] not in re.sub(r"\D", "", out)
    assert not any(p in out for p in email_parts)
    for sentence in parts[:4]:
        assert unicodedata.normalize("NFC", sentence) in out


def test_ordinary_numbers_and_dates_are_kept():
    text = "Phí 100.000.000 đồng, hẹn ngày 12/03/2026 lúc 9 giờ, số nhà 123/4 đường 3 tháng 2."
    assert redact(text) == text


def test_id_numbers_and_nfd_names_are_replaced():
    out = redact(unicodedata.normalize("NFD", "Ông Nguyễn Văn An, CCCD 079 090 001 234"), ["Nguyễn Văn An"])
    assert out == f"Ông {NAME_MARK}, CCCD [số định danh]"
