"""Where a document's bytes go: secret documents (mật, tối mật, tuyệt mật) only ever to `local_secret`, a
local directory; every other document to the `documents` storage (local files by default, an S3-compatible
bucket when `MOTCUA_DOCUMENTS_S3_BUCKET` is set). The choice is made here and nowhere else."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from motcua.documents.models import Document, DocumentFile, Secrecy

SECRET_STORAGE = "local_secret"  # noqa: S105 - a storage alias, not a password
OPEN_STORAGE = "documents"


def storage_name(secrecy: str) -> str:
    return OPEN_STORAGE if secrecy == Secrecy.NONE else SECRET_STORAGE


def save(
    document: Document, *, kind: str, name: str, content_type: str, data: bytes, sha256: str
) -> DocumentFile:
    """Write `data` where the document's secrecy allows and record it. The stored name never comes from
    the uploader (a random name with the sniffed extension)."""
    where = storage_name(document.secrecy)
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "application/xml": "xml"}.get(
        content_type, "bin"
    )
    path = f"documents/{document.unit_id}/{document.year}/{uuid.uuid4().hex}.{ext}"
    stored = storages[where].save(path, ContentFile(data))
    return DocumentFile.objects.create(
        document=document,
        kind=kind,
        name=name[:255] or f"van-ban.{ext}",
        content_type=content_type,
        storage=where,
        path=stored,
        size=len(data),
        sha256=sha256,
    )


def read(file: DocumentFile) -> bytes:
    with storages[file.storage].open(file.path, "rb") as handle:
        return handle.read()
