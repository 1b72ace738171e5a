"""Citizen authentication backends: phone + one-time code, and OpenID Connect (VNeID).

Both create the citizen account (User.kind = "citizen") on first sign-in. Staff never sign in here.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from motcua.org.models import User, UserKind
from motcua.portal import services
from motcua.portal.errors import PortalError

logger = logging.getLogger(__name__)


class PhoneOTPBackend(BaseBackend):
    """`authenticate(request, phone=..., code=...)`: the code sent by SMS to that phone."""

    def authenticate(self, request, phone=None, code=None, **kwargs):
        if not phone or not code:
            return None

        try:
            if not services.verify_otp(phone, code):
                return None
        except PortalError as exc:
            if request is not None:
                request.portal_otp_error = exc.code
            return None
        user = services.citizen_for_phone(services.normalise_phone(phone))
        return user if user.is_active else None

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id, is_active=True, kind=UserKind.CITIZEN).first()


class VNeIDBackend(OIDCAuthenticationBackend):
    """OpenID Connect against VNeID (in development the local provider at /o/)."""

    def authenticate(self, request, **kwargs):
        if not settings.VNEID_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        # Matching is done in get_or_create_user (by identity, personal ID, then phone).
        return User.objects.none()

    def get_or_create_user(self, access_token, id_token, payload):
        from django.core.exceptions import SuspiciousOperation

        claims = dict(payload)
        claims.update(self.get_userinfo(access_token, id_token, payload) or {})
        if not self.verify_claims(claims):
            raise SuspiciousOperation("Claims verification failed")
        try:
            user = services.citizen_for_claims(self.OIDC_OP_TOKEN_ENDPOINT.rsplit("/token", 1)[0], claims)
        except PortalError as exc:
            raise SuspiciousOperation(str(exc)) from exc
        if user.kind != UserKind.CITIZEN or not user.is_active:
            return None
        return user

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id, is_active=True, kind=UserKind.CITIZEN).first()
