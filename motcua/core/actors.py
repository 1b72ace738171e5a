"""Who performs an action: the type every service takes as its keyword-only `actor`.

An actor is a signed-in `org.User` (staff, citizen or system account), Django's `AnonymousUser` for a public
page, or None for work the platform does itself (periodic tasks, imports). Core sits below org, so the type
is a protocol of what services read from any of them; `org.User` and `AnonymousUser` both satisfy it.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeGuard, runtime_checkable


@runtime_checkable
class Actor(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...


def signed_in(actor: Actor | None) -> TypeGuard[Actor]:
    """True for a signed-in account (never for None, AnonymousUser or a bare object without the flag)."""
    return actor is not None and bool(getattr(actor, "is_authenticated", False))


def kind_of(actor: Actor | None) -> str:
    """The account kind ("staff", "citizen", "system"), or "" for anonymous callers and the platform."""
    return str(getattr(actor, "kind", "") or "") if signed_in(actor) else ""
