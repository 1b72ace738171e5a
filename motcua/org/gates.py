"""The staff gate: one answer for every staff page and staff API, whoever asks.

    @staff_required()                                # any active officer
    @staff_required(Role.UNIT_LEADER, Role.AUDITOR)  # an officer holding one of these roles (any unit)

- anonymous: pages redirect to the staff sign-in; JSON callers get 401;
- signed in but not an officer (a citizen, a connected system, a disabled account): 403, the Vietnamese
  error page (JSON: 403);
- an officer without any of `roles`: 403.
A superuser passes only as what it is: an account of kind staff passes the role-free gate and needs the
role like anyone else when roles are named. Which *rows* an officer may see or change is the scoping rule
(`User.unit_scope`, `can_act_in`), applied where the rows are fetched, not here.

The API has the same rule as a DRF permission: `StaffOrSystem` (officers and connected systems' tokens).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from motcua.org.models import User, UserKind


def is_officer(user: User | AnonymousUser, roles: tuple[str, ...] = ()) -> bool:
    """The gate's rule: an active staff account, holding one of `roles` when any are named."""
    if not (user.is_authenticated and user.is_active and user.kind == UserKind.STAFF):
        return False
    return not roles or user.has_role(*roles)


def caller(request: HttpRequest | Request) -> User:
    """The signed-in account of a request that passed a gate (typed as `User`); anything else is refused."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied(_("Chỉ dành cho cán bộ."))
    return user


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith("/api/") or ("application/json" in accept and "text/html" not in accept)


def refusal(request: HttpRequest, roles: tuple[str, ...] = ()) -> HttpResponse | None:
    """None when the caller passes the gate, else the response (or exception) that refuses it."""
    user = request.user
    if is_officer(user, roles):
        return None
    if not user.is_authenticated:
        if _wants_json(request):
            return JsonResponse(
                {"code": "not_authenticated", "detail": _("Vui lòng đăng nhập tài khoản cán bộ.")}, status=401
            )
        return redirect_to_login(request.get_full_path(), reverse("staff-login"))
    if _wants_json(request):
        return JsonResponse(
            {
                "code": "permission_denied",
                "detail": _("Chỉ cán bộ có vai trò phù hợp được dùng chức năng này."),
            },
            status=403,
        )
    raise PermissionDenied(_("Chỉ dành cho cán bộ."))


def staff_required(*roles: str) -> Callable:
    """Decorator for staff views (see the module docstring for the answers)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            refused = refusal(request, roles)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        vars(wrapped)["staff_roles"] = roles  # what the gate asks, for the tests that walk every route
        return wrapped

    return decorate


class StaffOrSystem(BasePermission):
    """The API's gate: active officers and connected systems (token); citizens use the portal."""

    message = gettext_lazy("Chỉ cán bộ hoặc hệ thống kết nối được dùng API này.")

    def has_permission(self, request: Request, view: APIView | None) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_active
            and user.kind in (UserKind.STAFF, UserKind.SYSTEM)
        )
