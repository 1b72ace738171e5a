"""Who performs an action: the type every service takes as its keyword-only `actor`.

An actor is a signed-in `User` (staff, citizen or system account) or Django's `AnonymousUser` for a public
page; services that the platform runs by itself (periodic tasks, imports) take None. `signed_in` replaces
`getattr(actor, "is_authenticated", False)` probes and narrows the type to `User` for the checker.
"""

from __future__ import annotations

from typing import TypeAlias, TypeGuard

from django.contrib.auth.models import AnonymousUser

from motcua.org.models import User

Actor: TypeAlias = User | AnonymousUser


def signed_in(actor: object) -> TypeGuard[User]:
    """True for a signed-in account (never for None, AnonymousUser or an object without the flag)."""
    return actor is not None and bool(getattr(actor, "is_authenticated", False))


def kind_of(actor: object) -> str:
    """The account kind ("staff", "citizen", "system"), or "" for anonymous callers and the platform."""
    return str(getattr(actor, "kind", "") or "") if signed_in(actor) else ""
