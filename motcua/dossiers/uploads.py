"""Uploads are checked by what they contain (magic bytes) and by size, never by their name."""

from __future__ import annotations

import hashlib

from django.conf import settings

from motcua.dossiers.errors import DossierError

MAGIC = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, ext in MAGIC:
        if head.startswith(magic):
            return content_type, ext
    return None


def check_upload(upload) -> tuple[str, str, int, str]:
    """(content_type, extension, size, sha256) or DossierError. Reads the file once in chunks."""
    name = getattr(upload, "name", "") or "tệp"
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise DossierError("file_size", name=name, limit=limit // (1024 * 1024))
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head)
    if not head:
        raise DossierError("file_empty", name=name)
    if kind is None:
        raise DossierError("file_type", name=name)
    digest = hashlib.sha256(head)
    total = len(head)
    while chunk := upload.read(1024 * 1024):
        digest.update(chunk)
        total += len(chunk)
        if total > limit:
            raise DossierError("file_size", name=name, limit=limit // (1024 * 1024))
    upload.seek(0)
    return kind[0], kind[1], total, digest.hexdigest()
