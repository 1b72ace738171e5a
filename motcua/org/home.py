"""The staff home: each role sees its own work, not the same tiles for everyone.

`org` sits below the apps whose work it shows, so it offers a hook: an app registers a provider in its
`AppConfig.ready()` (`register_home_section`), and the home asks every provider for the sections of the
signed-in officer. A provider returns nothing for a role it has no work for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from motcua.org.models import NO_PERSONAL_DATA, Role, User


@dataclass(frozen=True)
class Tile:
    title: str
    url: str
    value: int | None = None  # a count shown large; None for a plain link
    note: str = ""
    urgent: bool = False


@dataclass
class Section:
    title: str
    tiles: list[Tile] = field(default_factory=list)
    order: int = 50


Provider = Callable[[User], list[Section]]
_PROVIDERS: list[Provider] = []


def register_home_section(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def roles_of(user: User) -> set[str]:
    return {r.role for r in user._active_roles()}


def _own_sections(user: User) -> list[Section]:
    roles = roles_of(user)
    sections: list[Section] = []
    if Role.AUDITOR in roles or user.is_superuser:
        sections.append(
            Section(
                _("Công cụ kiểm tra"),
                [
                    Tile(
                        _("Nhật ký kiểm toán"),
                        "/admin/core/auditentry/",
                        note=_("Chuỗi nhật ký có khóa, theo đơn vị"),
                    ),
                    Tile(
                        _("Nhật ký tra cứu dân cư"),
                        "/staff/citizens/log/",
                        note=_("Ai tra cứu, vì mục đích gì"),
                    ),
                    Tile(
                        _("Hộp thư gửi đi"), "/staff/outbox/", note=_("Tin nhắn đã gửi công dân (mã đã che)")
                    ),
                ],
                order=90,
            )
        )
    if roles & {Role.PROVINCE_ADMIN, Role.UNIT_ADMIN} or user.is_superuser:
        sections.append(
            Section(
                _("Quản trị"),
                [Tile(_("Đơn vị, cán bộ, lịch làm việc"), "/admin/")] if user.is_staff else [],
                order=95,
            )
        )
    sections.append(
        Section(
            _("Tài khoản"), [Tile(_("Xác thực hai lớp"), "/staff/2fa/", note=_("Bật mã xác thực"))], order=99
        )
    )
    return sections


def sections_for(user: User) -> list[Section]:
    sections = _own_sections(user)
    for provider in _PROVIDERS:
        sections.extend(provider(user))
    return sorted((s for s in sections if s.tiles), key=lambda s: s.order)


def sees_personal_data(user: User) -> bool:
    """False for an officer whose every role is barred from citizens' personal data (the hotline)."""
    roles = roles_of(user)
    return user.is_superuser or bool(roles - NO_PERSONAL_DATA)


def context(user: User) -> dict[str, Any]:
    return {"sections": sections_for(user), "roles": user._active_roles()}
