"""PAdES signatures: a signed PDF verifies with pyHanko's validator against the demo CA; a tampered one, an
unsigned one and one signed by another CA do not."""

from __future__ import annotations

import pytest

from motcua.core import pdfsign


@pytest.fixture
def signing_dir(settings, tmp_path):
    settings.MOTCUA_SIGNING_KEY = ""
    settings.MOTCUA_SIGNING_CERT = ""
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    return settings.MOTCUA_SIGNING_DIR


def _pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>TRÍCH LỤC KHAI SINH</h1><p>Nguyễn Minh Khang, 20/02/2024</p>").write_pdf()


def test_signed_pdf_verifies_and_names_the_signer(signing_dir):
    signed = pdfsign.sign_pdf(
        _pdf(), signer_name="Trần Văn Lãnh Đạo", reason="Trích lục khai sinh", location="Phường Cầu Ông Lãnh"
    )
    assert b"/ETSI.CAdES.detached" in signed
    check = pdfsign.verify_pdf(signed)
    assert check.valid, check
    assert (signing_dir / "ca.pem").exists() and (signing_dir / "signer.key").stat().st_mode & 0o077 == 0


def test_tampered_or_extended_pdf_does_not_verify(signing_dir):
    signed = pdfsign.sign_pdf(_pdf(), signer_name="A", reason="r", location="l")
    index = signed.index(b"Khang") if b"Khang" in signed else len(signed) // 3
    tampered = signed[:index] + bytes([signed[index] ^ 0x01]) + signed[index + 1 :]
    assert not pdfsign.verify_pdf(tampered).valid
    appended = signed + b"\n% appended after signing\n"
    assert not pdfsign.verify_pdf(appended).valid or not pdfsign.verify_pdf(appended).whole_file
    assert not pdfsign.verify_pdf(_pdf()).signed


def test_a_signature_from_another_ca_is_not_trusted(settings, tmp_path):
    settings.MOTCUA_SIGNING_KEY = settings.MOTCUA_SIGNING_CERT = ""
    settings.MOTCUA_SIGNING_DIR = tmp_path / "other"
    signed = pdfsign.sign_pdf(_pdf(), signer_name="A", reason="r", location="l")
    settings.MOTCUA_SIGNING_DIR = tmp_path / "ours"
    check = pdfsign.verify_pdf(signed)
    assert check.intact and not check.trusted and not check.valid


def test_production_refuses_to_start_without_a_configured_certificate(settings):
    from motcua.core.checks import production_errors

    settings.PRODUCTION = True
    settings.MOTCUA_AUDIT_KEY = "x" * 40
    settings.MOTCUA_SIGNING_KEY = settings.MOTCUA_SIGNING_CERT = ""
    assert "motcua.E004" in [e.id for e in production_errors()]
    settings.MOTCUA_SIGNING_KEY, settings.MOTCUA_SIGNING_CERT = "/etc/motcua/key.pem", "/etc/motcua/cert.pem"
    assert "motcua.E004" not in [e.id for e in production_errors()]
