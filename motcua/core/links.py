"""Public links that leave the site (SMS, e-mail, QR codes, PDFs): one base address, one path per page.

The paths are those the portal, feedback and civil apps route; they are printed on receipts and sent in
messages, so they never change once published.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

TRACKING_PATH = "/tra-cuu/"


def public_url(path: str) -> str:
    """`path` ("/tra-cuu/...") on the public address `MOTCUA_PUBLIC_URL`."""
    return str(settings.MOTCUA_PUBLIC_URL).rstrip("/") + "/" + path.lstrip("/")


def dossier_tracking_url(code: str) -> str:
    """The public tracking page of a dossier (receipt QR code, SMS, portal)."""
    return public_url(f"{TRACKING_PATH}{code}/")


def report_tracking_url(code: str) -> str:
    """The public page of a feedback report."""
    return public_url(f"/phan-anh/{code}/")


def verification_url(code: str) -> str:
    """The page that verifies a civil-status extract by its code."""
    return public_url(f"/xac-minh/{code}/")


def dossier_code_from_scan(raw: str) -> str:
    """What a receipt's QR code carries (the tracking URL) or the code itself, as a scanner or a person
    typed it: the dossier code of a tracking URL (any host: the receipt may predate an address change),
    else the text unchanged for the caller's own code clean-up."""
    text = (raw or "").strip()
    if "://" not in text and not text.startswith(TRACKING_PATH):
        return text
    path = urlsplit(text).path if "://" in text else text
    if not path.startswith(TRACKING_PATH):
        return ""
    return path[len(TRACKING_PATH) :].strip("/").split("/")[0]
