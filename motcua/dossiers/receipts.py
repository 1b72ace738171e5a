"""The receipt's secret: proof that the caller holds the dossier's receipt (giấy tiếp nhận, mẫu 01).

A dossier code is sequential and printed in many places, so it proves nothing. The receipt key is an HMAC
of the code under the installation's secret key: 8 characters of Crockford base32 (no I, L, O, U: read
aloud and typed without confusion), 40 bits, printed as text on the receipt (the QR code carries only the
tracking URL). Nothing is
stored, so every receipt ever printed has a key, and rotating SECRET_KEY (with SECRET_KEY_FALLBACKS while
old receipts are in circulation) is the only way to change them all.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
SALT = "motcua.dossiers.receipt-key"
# What people mistype for the characters that are not in the alphabet.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def _key(code: str, secret: str | None = None) -> str:
    digest = salted_hmac(SALT, code.strip().upper(), secret=secret, algorithm="sha256").digest()
    number = int.from_bytes(digest[:5], "big")
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(LENGTH)))


def receipt_key(code: str) -> str:
    """The key printed on `code`'s receipt, in two groups of four characters joined by a dash."""
    key = _key(code)
    return f"{key[:4]}-{key[4:]}"


def normalise_key(value: str) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum()).translate(_CONFUSABLE)


def check_receipt_key(code: str, value: str) -> bool:
    """Does `value` (any case, dashes and spaces allowed) match `code`'s receipt key?"""
    given = normalise_key(value)
    if len(given) != LENGTH or not code:
        return False
    secrets: list[str] = [settings.SECRET_KEY, *(str(s) for s in settings.SECRET_KEY_FALLBACKS)]
    return any(hmac.compare_digest(given, _key(code, secret)) for secret in secrets)
