"""PDF rendering (WeasyPrint) of extract copies and marital status certificates from versioned templates."""

from __future__ import annotations

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from motcua.core import links, pdfsign
from motcua.core.codes import qr_png

EXTRACT_TEMPLATE = "extract-v1"
MARITAL_TEMPLATE = "marital-v1"
TEMPLATES = {
    EXTRACT_TEMPLATE: "civil/pdf/extract_v1.html",
    MARITAL_TEMPLATE: "civil/pdf/marital_v1.html",
}


verification_url = links.verification_url


def qr_data_uri(data: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(data, scale=4)).decode()


def render(version: str, context: dict) -> bytes:
    from weasyprint import HTML

    code = context.get("verification_code", "")
    if code:
        context = {**context, "verify_url": verification_url(code), "qr": qr_data_uri(verification_url(code))}
    html = render_to_string(TEMPLATES[version], context)
    data = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    unit = context.get("issuing_unit") or context.get("unit")
    unit_name = str(getattr(unit, "name", "") or "")
    # A PAdES signature any PDF reader can check, in the issuing unit's name (core.pdfsign).
    return pdfsign.sign_pdf(
        data,
        signer_name=str(context.get("signer_name") or _("Ủy ban nhân dân %(unit)s") % {"unit": unit_name}),
        reason=str(context.get("signing_reason") or _("Cấp giấy tờ hộ tịch")),
        location=unit_name,
    )
