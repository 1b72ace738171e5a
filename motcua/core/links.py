"""Public links that leave the site (SMS, e-mail, QR codes, PDFs): one base address, one path per page.

The paths are those the portal, feedback and civil apps route; they are printed on receipts and sent in
messages, so they never change once published.
"""

from __future__ import annotations

from django.conf import settings


def public_url(path: str) -> str:
    """`path` ("/tra-cuu/...") on the public address `MOTCUA_PUBLIC_URL`."""
    return str(settings.MOTCUA_PUBLIC_URL).rstrip("/") + "/" + path.lstrip("/")


def dossier_tracking_url(code: str) -> str:
    """The public tracking page of a dossier (receipt QR code, SMS, portal)."""
    return public_url(f"/tra-cuu/{code}/")


def report_tracking_url(code: str) -> str:
    """The public page of a feedback report."""
    return public_url(f"/phan-anh/{code}/")


def verification_url(code: str) -> str:
    """The page that verifies a civil-status extract by its code."""
    return public_url(f"/xac-minh/{code}/")
