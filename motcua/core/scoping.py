"""One scoping rule for every unit-owned table, applied where rows are fetched.

A model whose rows belong to a unit uses `ScopedQuerySet.as_manager()` (set `unit_lookup` when the unit
is reached through a relation). `visible_to(user)` narrows the queryset to the units the user may read;
`editable_by(user)` to the units the user may change. The rule itself lives on the user
(`org.User.unit_scope`): own unit, units below for province staff, everything read-only for auditors,
nothing for anonymous callers and citizens (their own rows are handled by each app's selectors).
"""

from __future__ import annotations

from typing import Any

from django.db import models

ALL = object()


def scope_for(user: Any, *, write: bool = False):
    """ALL, or a queryset/iterable of unit ids the user may see (or change)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    method = getattr(user, "unit_scope", None)
    if method is None:
        return ()
    return method(write=write)


def unit_id_list(ids) -> list[int]:
    """The unit ids as a literal list: PostgreSQL misestimates the `path LIKE` subquery (one row), which
    turned a city-wide list over a million rows into a nested loop; a few hundred literal ids plan well."""
    if isinstance(ids, models.QuerySet):
        return list(ids.values_list("id", flat=True))
    return list(ids)


class ScopedQuerySet(models.QuerySet):
    unit_lookup = "unit"

    def _scoped(self, user: Any, write: bool):
        ids = scope_for(user, write=write)
        if ids is ALL:
            return self
        ids = unit_id_list(ids)
        if not ids:
            return self.none()
        return self.filter(**{f"{self.unit_lookup}__in": ids})

    def visible_to(self, user: Any):
        return self._scoped(user, write=False)

    def editable_by(self, user: Any):
        return self._scoped(user, write=True)


def scoped_queryset(lookup: str) -> type[ScopedQuerySet]:
    """A ScopedQuerySet class whose unit is reached through `lookup` (e.g. "dossier__unit")."""
    return type(f"ScopedQuerySet_{lookup.replace('__', '_')}", (ScopedQuerySet,), {"unit_lookup": lookup})


def can_act_in(user: Any, unit: Any, *roles: str) -> bool:
    """May `user` (any caller, anonymous included) change rows of `unit`, holding one of `roles`?"""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    method = getattr(user, "can_act_in", None)
    return bool(method and method(unit, *roles))
