"""PAdES signatures on the PDFs the platform issues (result papers, civil-status extracts) with pyHanko.

Production signs with the unit's key and certificate named in settings (`MOTCUA_SIGNING_KEY`,
`MOTCUA_SIGNING_CERT`, `MOTCUA_SIGNING_CHAIN`; a system check refuses to start without them). Anywhere else
a local demo certificate authority and a signer certificate issued by it are generated once into
`MOTCUA_SIGNING_DIR` at first use: a PDF reader that trusts the demo CA (its certificate is in that
directory) verifies the signatures; nothing private is ever committed.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

_LOCK = threading.Lock()
DEMO_CA_NAME = "motcua demo CA (không dùng cho văn bản thật)"


@dataclass(frozen=True)
class SigningFiles:
    key: Path
    cert: Path
    chain: tuple[Path, ...]
    trust_roots: tuple[Path, ...]


@dataclass(frozen=True)
class SignatureCheck:
    """What a verifier learns: intact (the bytes signed are unchanged), trusted (the chain ends at a
    trusted root), the whole file covered (nothing appended after signing), and who signed."""

    signed: bool
    intact: bool
    trusted: bool
    whole_file: bool
    signer: str

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_file


def _name(common: str, unit: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    path.chmod(0o600)


def _demo_files(directory: Path) -> SigningFiles:
    """The demo CA and signer, generated once (ECDSA P-256, ten years)."""
    files = SigningFiles(
        directory / "signer.key", directory / "signer.pem", (directory / "ca.pem",), (directory / "ca.pem",)
    )
    if files.key.exists() and files.cert.exists() and files.chain[0].exists():
        return files
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(DEMO_CA_NAME, "motcua demo")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Ủy ban nhân dân (chữ ký số minh họa)", "motcua demo"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write_key(files.key, key)
    files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.chain[0].write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return files


def signing_files() -> SigningFiles:
    """The configured key and certificates, or the demo CA's (generated at first use)."""
    if settings.MOTCUA_SIGNING_KEY and settings.MOTCUA_SIGNING_CERT:
        return SigningFiles(
            Path(settings.MOTCUA_SIGNING_KEY),
            Path(settings.MOTCUA_SIGNING_CERT),
            tuple(Path(p) for p in settings.MOTCUA_SIGNING_CHAIN),
            tuple(Path(p) for p in settings.MOTCUA_SIGNING_TRUST_ROOTS or settings.MOTCUA_SIGNING_CHAIN[-1:]),
        )
    with _LOCK:
        return _demo_files(Path(settings.MOTCUA_SIGNING_DIR))


def sign_pdf(data: bytes, *, signer_name: str, reason: str, location: str) -> bytes:
    """`data` with a PAdES baseline signature (SHA-256) over the whole file, in `signer_name`'s name."""
    files = signing_files()
    signer = signers.SimpleSigner.load(
        str(files.key), str(files.cert), ca_chain_files=tuple(str(p) for p in files.chain)
    )
    if signer is None:
        raise RuntimeError("the signing key or certificate could not be read")
    meta = signers.PdfSignatureMetadata(
        field_name="ChuKySo",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=signer_name,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())


def verify_pdf(data: bytes) -> SignatureCheck:
    """Check the first signature against the trust roots (the demo CA or the configured roots)."""
    files = signing_files()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - a file that does not parse carries no valid signature
        return SignatureCheck(False, False, False, False, "")
    if not signatures:
        return SignatureCheck(False, False, False, False, "")
    roots = [load_cert_from_pemder(str(p)) for p in files.trust_roots]
    try:
        status = validate_pdf_signature(signatures[0], ValidationContext(trust_roots=roots))
    except Exception:  # noqa: BLE001 - a signature the validator cannot process is not valid
        return SignatureCheck(True, False, False, False, "")
    whole = str(getattr(status.coverage, "name", status.coverage)) == "ENTIRE_FILE"
    signer = status.signing_cert.subject.human_friendly if status.signing_cert is not None else ""
    return SignatureCheck(True, bool(status.intact and status.valid), bool(status.trusted), whole, signer)


def signed_name(data: bytes) -> str:
    """The name the first signature was made in (the /Name a PDF reader shows as "signed by")."""
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 - no readable signature, no name
        return ""
    return str(signatures[0].sig_object.get("/Name", "")) if signatures else ""
