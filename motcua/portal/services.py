"""Portal writes: one-time codes, citizen accounts from sign-in.

Submitting dossiers, supplements and feedback are the dossier/feedback apps' services; the portal only
calls them.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from motcua.core import audit, validation
from motcua.core.notify import queue_message
from motcua.org.models import User, UserKind
from motcua.portal.errors import PortalError
from motcua.portal.models import ExternalIdentity, PhoneOTP


def otp_ttl() -> dt.timedelta:
    return dt.timedelta(seconds=settings.PORTAL_OTP_TTL_SECONDS)


def normalise_phone(raw: str) -> str:
    """'+84 90 123 4567' / '090.123.4567' -> '0901234567'; raises PortalError if not a Vietnamese mobile."""
    try:
        phone = validation.normalise_phone(raw, mobile=True)
    except validation.InvalidPhone:
        phone = ""
    if not phone:
        raise PortalError("phone_invalid")
    return phone


def _hash(phone: str, code: str, salt: str) -> str:
    return salt + "$" + salted_hmac("motcua.portal.otp", f"{salt}:{phone}:{code}").hexdigest()


def _matches(stored: str, phone: str, code: str) -> bool:
    salt, _sep, _digest = stored.partition("$")
    return hmac.compare_digest(stored, _hash(phone, code, salt))


@transaction.atomic
def request_otp(raw_phone: str, *, ip: str | None = None) -> PhoneOTP:
    """Create a one-time code for `raw_phone` and queue it by SMS (outbox). Rate limited per phone and IP."""
    phone = normalise_phone(raw_phone)
    now = timezone.now()
    window = now - dt.timedelta(seconds=settings.PORTAL_OTP_WINDOW_SECONDS)
    recent = PhoneOTP.objects.filter(created_at__gte=window)
    if recent.filter(phone=phone).count() >= settings.PORTAL_OTP_PER_PHONE:
        raise PortalError("otp_rate_limited")
    if ip and recent.filter(ip=ip).count() >= settings.PORTAL_OTP_PER_IP:
        raise PortalError("otp_rate_limited")
    code = f"{secrets.randbelow(10**6):06d}"
    otp = PhoneOTP.objects.create(
        phone=phone,
        code_hash=_hash(phone, code, secrets.token_hex(8)),
        created_at=now,
        expires_at=now + otp_ttl(),
        ip=ip,
    )
    minutes = int(otp_ttl().total_seconds() // 60)
    queue_message(
        key=f"portal.otp.{otp.pk}",
        channel="sms",
        recipient=phone,
        body=_("Mã đăng nhập Một cửa: %(code)s. Có hiệu lực %(minutes)s phút. Không chia sẻ mã này.")
        % {"code": code, "minutes": minutes},
        secret=code,
        obj=otp,
    )
    audit.record(
        "portal.otp_requested", actor=None, obj=otp, after={"phone": phone[:3] + "****" + phone[-3:]}
    )
    return otp


def verify_otp(raw_phone: str, code: str) -> bool:
    """True once for the right, unexpired code; counts every attempt (the counter survives failures)."""
    try:
        phone = normalise_phone(raw_phone)
    except PortalError:
        return False
    code = re.sub(r"\D", "", code or "")
    with transaction.atomic():
        otp = (
            PhoneOTP.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if otp is None:
            return False
        if otp.attempts >= settings.PORTAL_OTP_MAX_ATTEMPTS:
            raise PortalError("otp_too_many_attempts")
        otp.attempts += 1
        ok = len(code) == 6 and _matches(otp.code_hash, phone, code)
        if ok:
            otp.used_at = timezone.now()
        otp.save(update_fields=["attempts", "used_at"])
        return ok


@transaction.atomic
def citizen_for_phone(phone: str) -> User:
    """The citizen account with this phone number, created on first sign-in."""
    user = User.objects.filter(kind=UserKind.CITIZEN, phone=phone, is_active=True).order_by("pk").first()
    if user is not None:
        return user
    user = User(username=f"sdt-{phone}", kind=UserKind.CITIZEN, phone=phone)
    user.set_unusable_password()
    user.save()
    audit.record("portal.citizen_created", actor=user, obj=user, after={"via": "phone_otp"})
    return user


@transaction.atomic
def citizen_for_claims(issuer: str, claims: dict) -> User:
    """Map OpenID Connect claims (sub, name, phone_number, personal_id) to a citizen account.

    Order: the known identity (issuer + sub); else a citizen with the same personal ID number; else one
    with the same phone number; else a new citizen. Name, phone and personal ID are refreshed from the
    identity provider, which is authoritative for them.
    """
    sub = str(claims.get("sub") or "")
    if not sub:
        raise PortalError("otp_invalid", _("Nhà cung cấp định danh không trả về mã định danh (sub)."))
    personal_id = re.sub(r"\D", "", str(claims.get("personal_id") or ""))[:12]
    phone = ""
    if claims.get("phone_number"):
        try:
            phone = normalise_phone(str(claims["phone_number"]))
        except PortalError:
            phone = ""
    identity = ExternalIdentity.objects.select_related("user").filter(issuer=issuer, subject=sub).first()
    user = identity.user if identity else None
    citizens = User.objects.filter(kind=UserKind.CITIZEN, is_active=True).order_by("pk")
    if user is None and personal_id:
        user = citizens.filter(personal_id=personal_id).first()
    if user is None and phone:
        user = citizens.filter(phone=phone).first()
    created = user is None
    if user is None:
        user = User(username=f"vneid-{(personal_id or sub)[:40]}", kind=UserKind.CITIZEN)
        user.set_unusable_password()
    before = {"full_name": user.full_name, "phone": user.phone, "personal_id": user.personal_id}
    if claims.get("name"):
        user.full_name = str(claims["name"])[:200]
    if personal_id:
        user.personal_id = personal_id
    if phone:
        user.phone = phone
    user.save()
    if identity is None:
        identity = ExternalIdentity.objects.create(user=user, issuer=issuer, subject=sub)
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    after = {"full_name": user.full_name, "phone": user.phone, "personal_id": user.personal_id}
    if created or before != after:
        audit.record(
            "portal.citizen_created" if created else "portal.citizen_updated_from_vneid",
            actor=user,
            obj=user,
            before=None if created else before,
            after=after,
        )
    return user


def cleanup(*, older_than: dt.timedelta) -> dict:
    """Delete submission drafts (files) and one-time codes older than `older_than`."""
    from django.core.files.storage import default_storage

    cutoff = timezone.now() - older_than
    removed_files = 0
    try:
        dirs, _files = default_storage.listdir("portal-drafts")
    except (FileNotFoundError, NotImplementedError):  # no folder yet / a storage that cannot list
        dirs = []
    for name in dirs:
        path = f"portal-drafts/{name}"
        _sub, files = default_storage.listdir(path)
        stamps = [default_storage.get_modified_time(f"{path}/{f}") for f in files]
        if all(stamp < cutoff for stamp in stamps):
            for f in files:
                default_storage.delete(f"{path}/{f}")
                removed_files += 1
    codes, _ = PhoneOTP.objects.filter(created_at__lt=cutoff).delete()
    return {"draft_files": removed_files, "codes": codes}
