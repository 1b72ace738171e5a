"""Portal demo data: the OpenID Connect client (the portal) registered at the local VNeID stand-in, and
the demo VNeID identity (citizen `congdan`, personal ID 079090001234, password motcua-demo).

Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from django.conf import settings

from motcua.org.models import User, UserKind

VNEID_PERSONAL_ID = "079090001234"


def redirect_uris() -> list[str]:
    base = settings.MOTCUA_PUBLIC_URL.rstrip("/")
    uris = [f"{base}/oidc/callback/"]
    for host in ("http://127.0.0.1:8000", "http://localhost:8000"):
        uri = f"{host}/oidc/callback/"
        if uri not in uris:
            uris.append(uri)
    return uris


def ensure_oidc_client(extra_redirect_uris: list[str] | None = None):
    """The portal's client registration at the local provider (client id/secret from settings)."""
    from oauth2_provider.models import get_application_model

    Application = get_application_model()
    uris = redirect_uris() + [u for u in (extra_redirect_uris or []) if u not in redirect_uris()]
    app = Application.objects.filter(client_id=settings.OIDC_RP_CLIENT_ID).first()
    if app is None:
        app = Application(client_id=settings.OIDC_RP_CLIENT_ID)
        app.client_secret = settings.OIDC_RP_CLIENT_SECRET
    wanted = {
        "name": "Cổng dịch vụ công (motcua)",
        "client_type": Application.CLIENT_CONFIDENTIAL,
        "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
        "algorithm": Application.RS256_ALGORITHM,
        "redirect_uris": " ".join(uris),
        "skip_authorization": False,
    }
    changed = app.pk is None
    for field, value in wanted.items():
        if getattr(app, field) != value:
            setattr(app, field, value)
            changed = True
    if changed:
        app.save()
    return app


def demo_identities() -> list[dict[str, str]]:
    """The stand-in's demo identities, shown on its sign-in page (never in production)."""
    if settings.PRODUCTION:
        return []
    user = User.objects.filter(personal_id=VNEID_PERSONAL_ID, kind=UserKind.CITIZEN).first()
    if user is None or not user.has_usable_password():
        return []
    return [{"identifier": VNEID_PERSONAL_ID, "password": "motcua-demo", "name": user.get_full_name()}]


def ensure_vneid_identity():
    user = User.objects.filter(username="congdan", kind=UserKind.CITIZEN).first()
    if user is not None and not user.personal_id:
        user.personal_id = VNEID_PERSONAL_ID
        user.save(update_fields=["personal_id"])
    return user


def seed(stdout=None) -> None:
    ensure_oidc_client()
    ensure_vneid_identity()
    if stdout is not None:
        stdout.write(
            "  portal: VNeID stand-in at /o/ (identity 079090001234 / motcua-demo), kiosk at /kiosk/"
        )
