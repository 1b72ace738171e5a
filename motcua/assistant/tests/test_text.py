"""Citizens' Vietnamese: dossier codes in every written shape, abbreviations, facets."""

from __future__ import annotations

import pytest

from motcua.assistant.text import extract_code, facets, normalise

CODES = [
    ("tra cứu hồ sơ 000.00.12.H29-260301-0001", "000.00.12.H29-260301-0001"),
    ("000.00.09.H01-251125-0077", "000.00.09.H01-251125-0077"),
    ("hồ sơ H26.115-251205-0231 xong chưa", "H26.115-251205-0231"),
    ("ma ho so #000.00.12.h29-260302-0012", "000.00.12.H29-260302-0012"),
    ('kiểm tra "000.00.12.H29-260115-0003" giúp em', "000.00.12.H29-260115-0003"),
    ("hs 000.00.12.H29 - 260210 - 0007 sao rồi", "000.00.12.H29-260210-0007"),
    ("mã 000.00.12.H29 260211 0010", "000.00.12.H29-260211-0010"),
    ("mã «h26.115–251205–0231»", "H26.115-251205-0231"),
    ("000 . 00 . 09 . H01-251125-0077.", "000.00.09.H01-251125-0077"),
    ("(000.00.12.H29-260301-12345)", "000.00.12.H29-260301-12345"),
]


@pytest.mark.parametrize(("text", "code"), CODES)
def test_dossier_code_in_every_shape(text, code):
    assert extract_code(text) == code


@pytest.mark.parametrize(
    "text",
    ["gọi 0901234567 giúp em", "ngày 25/11/2025 em nộp", "thủ tục 1.001193", "số CCCD 079090001234", ""],
)
def test_no_code_where_there_is_none(text):
    assert extract_code(text) is None


def test_abbreviations_and_phrases():
    assert normalise("ko dc j") == "khong duoc gi"
    assert "the can cuoc" in normalise("làm cccd")
    assert "giay chung nhan quyen su dung dat" in normalise("sổ đỏ")
    assert "uy ban nhan dan" in normalise("UBND phường")
    assert "bao hiem y te" in normalise("thẻ bhyt")
    assert normalise("giấy khai sinh").endswith("khai sinh")


def test_facets():
    assert facets(normalise("còn lệ phí thì sao?")) == ["fee"]
    assert facets(normalise("cần giấy tờ gì, nộp ở đâu")) == ["papers", "place"]
    assert facets(normalise("mất bao lâu")) == ["time"]
    assert facets(normalise("nộp online được ko")) == ["online"]
    assert facets(normalise("ai được đăng ký")) == ["who"]
