"""Uploads are checked by what they contain (magic bytes) and by size, never by their name.

One rule for every app: dossier papers and results (PDF, JPEG, PNG), the portal's drafts, feedback photos
(JPEG, PNG, WebP). Apps pass their own coded error class so the refusal speaks their codes
(`file_type`, `file_size`, `file_empty` with `name` and `limit` in MB).
"""

from __future__ import annotations

import hashlib
from typing import IO, NamedTuple

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import MotcuaError


class UploadKind(NamedTuple):
    content_type: str
    ext: str


PDF = UploadKind("application/pdf", "pdf")
JPEG = UploadKind("image/jpeg", "jpg")
PNG = UploadKind("image/png", "png")
WEBP = UploadKind("image/webp", "webp")

DOCUMENTS = (PDF, JPEG, PNG)
PHOTOS = (JPEG, PNG, WEBP)
HEAD_BYTES = 16


def _matches(head: bytes, kind: UploadKind) -> bool:
    if kind is PDF:
        return head.startswith(b"%PDF-")
    if kind is JPEG:
        return head.startswith(b"\xff\xd8\xff")
    if kind is PNG:
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind is WEBP:
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return False


def sniff(head: bytes, kinds: tuple[UploadKind, ...] = DOCUMENTS) -> UploadKind | None:
    """The kind the first bytes of a file show, among `kinds`; None when it is none of them."""
    for kind in kinds:
        if _matches(head, kind):
            return kind
    return None


def sniff_file(upload: IO[bytes], kinds: tuple[UploadKind, ...] = DOCUMENTS) -> UploadKind | None:
    """`sniff` on an open file, leaving it at its start."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return sniff(head, kinds)


def max_upload_bytes() -> int:
    return int(settings.MOTCUA_MAX_UPLOAD_BYTES)


class UploadErrorCode(models.TextChoices):
    FILE_TYPE = "file_type", _("Tệp “{name}” không đúng loại cho phép (kiểm tra theo nội dung tệp).")
    FILE_SIZE = "file_size", _("Tệp “{name}” vượt quá dung lượng cho phép ({limit} MB).")
    FILE_EMPTY = "file_empty", _("Tệp “{name}” rỗng.")


class UploadError(MotcuaError):
    codes = UploadErrorCode
    statuses = {
        UploadErrorCode.FILE_TYPE: 415,
        UploadErrorCode.FILE_SIZE: 413,
        UploadErrorCode.FILE_EMPTY: 400,
    }


class CheckedUpload(NamedTuple):
    content_type: str
    ext: str
    size: int
    sha256: str


def check_upload(
    upload: IO[bytes],
    *,
    kinds: tuple[UploadKind, ...] = DOCUMENTS,
    limit: int | None = None,
    error: type[MotcuaError] = UploadError,
) -> CheckedUpload:
    """Kind, size and SHA-256 of an upload, or `error(code, name=, limit=)`. Reads the file once in chunks."""
    name = getattr(upload, "name", "") or "tệp"
    limit = max_upload_bytes() if limit is None else limit
    limit_mb = limit // (1024 * 1024)
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise error("file_size", name=name, limit=limit_mb)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    if not head:
        raise error("file_empty", name=name)
    kind = sniff(head, kinds)
    if kind is None:
        raise error("file_type", name=name)
    digest = hashlib.sha256(head)
    total = len(head)
    while chunk := upload.read(1024 * 1024):
        digest.update(chunk)
        total += len(chunk)
        if total > limit:
            raise error("file_size", name=name, limit=limit_mb)
    upload.seek(0)
    return CheckedUpload(kind.content_type, kind.ext, total, digest.hexdigest())
