"""Connected systems: OAuth2 clients (client-credentials grant at /o/token/) bound to units and roles.

A connected system is an account of kind `system` that holds staff roles in units, exactly as an officer
does (`StaffRole` rows), and one confidential OAuth2 application (django-oauth-toolkit) whose `user` is
that account. Its token carries scopes named `<role>@<unit code>` (`desk_officer@26758`), one per role the
client holds; a token asked for a subset acts only through that subset. On every API the token's account
then meets the same gate (`StaffOrSystem`), the same scope rule (`User.unit_scope`, `can_act_in`) and the
same workflow doors (`perform`) as an officer of that unit and role: there is no system-only path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AbstractApplication, get_application_model
from oauth2_provider.scopes import SettingsScopes
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from motcua.core import audit
from motcua.org.models import Role, StaffRole, Unit, User, UserKind

# The roles a connected system may hold: the working roles of a unit's processes (never an administrator's
# or an auditor's reach).
CLIENT_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK)
SCOPE_SEPARATOR = "@"


def role_scope(role: str, unit_code: str) -> str:
    """The OAuth2 scope of one role in one unit: `specialist@26758`."""
    return f"{role}{SCOPE_SEPARATOR}{unit_code}"


def client_scopes(user: User | None) -> list[str]:
    """Every scope a connected system may ask for: one per active role it holds."""
    if user is None or user.kind != UserKind.SYSTEM or not user.is_active:
        return []
    return sorted(role_scope(a.role, a.unit.code) for a in user._active_roles() if a.role in CLIENT_ROLES)


def _system_user(application: Any) -> User | None:
    user = getattr(application, "user", None) if application is not None else None
    return user if isinstance(user, User) and user.kind == UserKind.SYSTEM else None


class ClientScopes(SettingsScopes):
    """The OpenID Connect scopes of the settings for sign-in clients; role scopes for connected systems."""

    def get_all_scopes(self) -> dict[str, str]:
        scopes = cast(dict[str, str], settings.OAUTH2_PROVIDER["SCOPES"])
        return dict(scopes)

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        system = _system_user(application)
        if system is not None:
            return client_scopes(system)
        available: list[str] = super().get_available_scopes(application, request, *args, **kwargs)
        return available

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        system = _system_user(application)
        if system is not None:
            return client_scopes(system)
        default: list[str] = super().get_default_scopes(application, request, *args, **kwargs)
        return default


class SystemClientAuthentication(OAuth2Authentication):
    """Bearer tokens of /o/token/ for connected systems only: a client-credentials token authenticates as its
    client's system account, acting only through the roles its scopes name. A token issued to a person (the
    VNeID stand-in's sign-in tokens) is no API credential: it answers as no authentication at all (401)."""

    def authenticate(self, request: Request) -> tuple[User, Any] | None:
        found = super().authenticate(request)
        if found is None:
            return None
        person, token = found
        system = _system_user(getattr(token, "application", None))
        if person is not None or system is None:
            return None
        if not system.is_active:
            raise AuthenticationFailed(_("Tài khoản của hệ thống kết nối đã bị khóa."))
        granted = set(token.scope.split())
        system.restrict_roles(lambda a: a.role in CLIENT_ROLES and role_scope(a.role, a.unit.code) in granted)
        return system, token


@transaction.atomic
def register_client(
    *,
    client_id: str,
    secret: str,
    name: str,
    roles: Iterable[tuple[Unit, str]],
    actor: Any = None,
) -> AbstractApplication:
    """Create or update the connected system `client_id`: its account, its roles (exactly `roles`; others
    are switched off), and its confidential client-credentials application with `secret` (stored hashed)."""
    wanted = [(unit, role) for unit, role in roles]
    for _unit, role in wanted:
        if role not in CLIENT_ROLES:
            raise ValueError(f"a connected system cannot hold the role {role}")
    user, created = User.objects.get_or_create(
        username=f"system:{client_id}"[:150],
        defaults={"kind": UserKind.SYSTEM, "full_name": name},
    )
    if user.kind != UserKind.SYSTEM:
        raise ValueError(f"{user.username} exists and is not a connected system")
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    keep = set()
    for unit, role in wanted:
        assignment, _created = StaffRole.objects.get_or_create(user=user, unit=unit, role=role)
        if not assignment.active:
            assignment.active = True
            assignment.save(update_fields=["active"])
        keep.add(assignment.pk)
    StaffRole.objects.filter(user=user).exclude(pk__in=keep).update(active=False)
    application_model = get_application_model()
    app = application_model.objects.filter(client_id=client_id).first() or application_model(
        client_id=client_id
    )
    app.name = name
    app.user = user
    app.client_type = application_model.CLIENT_CONFIDENTIAL
    app.authorization_grant_type = application_model.GRANT_CLIENT_CREDENTIALS
    app.redirect_uris = ""
    app.client_secret = secret
    app.hash_client_secret = True
    app.skip_authorization = True
    app.save()
    user.forget_scope()
    audit.record(
        "org.system_client_registered",
        actor=actor or "system",
        obj=user,
        after={"client_id": client_id, "scopes": client_scopes(user)},
        purpose="connected system",
    )
    return app


class SystemClientScheme(DjangoOAuthToolkitScheme):
    """The OpenAPI security scheme of these tokens: OAuth2 client credentials at /o/token/ (settings)."""

    target_class = "motcua.org.clients.SystemClientAuthentication"

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list[str]]:
        return {self.name: []}  # which roles count is the scope rule's answer, not a fixed scope per route
