"""`{% load civil_tags %}`: `user|can_register` decides whether the registration links are shown (a link
the officer's role cannot open is not shown)."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.civil.services import REGISTRARS

register = template.Library()


@register.filter
def can_register(user: Any) -> bool:
    roles = getattr(user, "_active_roles", None)
    if roles is None:
        return False
    return any(r.role in REGISTRARS for r in roles())
