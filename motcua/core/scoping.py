"""One scoping rule for every unit-owned table, applied where rows are fetched.

The rule lives in one place, `org.User.unit_scope`: own unit, units below for province-level staff,
everything read-only for auditors, nothing for anonymous callers and citizens (their own rows are handled
by each app's selectors). It answers `ALL` or a tuple of literal unit ids, computed once per user object
(one request), so every scoped query reads `unit_id IN (1, 2, 3)`: PostgreSQL plans a literal list with the
indexes, where the former `IN (subquery) OR ... OR EXISTS (...)` made every officer list a sequential scan.

A model whose rows belong to a unit uses `ScopedQuerySet.as_manager()` (set `unit_lookup` when the unit
is reached through a relation). A model reachable through several unit columns overrides the single hook
`scope_filter(ids)`. A child table (papers, events, results) is scoped THROUGH ITS PARENT with a
`ChildQuerySet` subclass naming the foreign key (`parent_relation = "dossier"`): a child row is visible
exactly when its parent is.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, Final, Literal, Self, TypeAlias

from django.db import models
from django.db.models import Q


class _Everything(enum.Enum):
    ALL = "all"


ALL: Final = _Everything.ALL
# What a user reaches: ALL, or literal unit ids (`()` for nobody).
Scope: TypeAlias = Literal[_Everything.ALL] | tuple[int, ...]


def scope_for(user: object, *, write: bool = False, personal: bool = False) -> Scope:
    """ALL, or a tuple of the unit ids the user may see (or change); `()` for nobody.

    `personal=True` for rows carrying citizens' personal data (dossiers and their children, the outbox):
    roles that must never read them (the hotline operator) then reach no unit through that role."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    method = getattr(user, "unit_scope", None)
    if method is None:
        return ()
    scope: Scope = method(write=write, personal=True) if personal else method(write=write)
    return scope


def prefixed(q: Q, prefix: str) -> Q:
    """The same condition seen from a child row: every lookup of `q` reached through `prefix`."""
    clone = Q()
    clone.connector, clone.negated = q.connector, q.negated
    children: list[Any] = list(q.children)
    for child in children:
        if isinstance(child, Q):
            clone.children.append(prefixed(child, prefix))
        else:
            lookup, value = child
            clone.children.append((f"{prefix}__{lookup}", value))
    return clone


class ScopedQuerySet(models.QuerySet):
    unit_lookup = "unit"
    # Rows with citizens' personal data: roles without access to it (the hotline operator) see none.
    personal_data = False

    def holds_personal_data(self) -> bool:
        return self.personal_data

    def scope_filter(self, ids: tuple[int, ...]) -> Q:
        """The hook: which rows the given units reach. Plain lookups only (no Exists/subqueries), so that
        children can reuse it through their parent and PostgreSQL can use an index per arm."""
        return Q(**{f"{self.unit_lookup}__in": ids})

    def _scoped(self, user: object, write: bool) -> Self:
        ids = scope_for(user, write=write, personal=self.holds_personal_data())
        if ids is ALL:
            return self
        if not ids:
            return self.none()
        return self.filter(self.scope_filter(tuple(ids)))

    def visible_to(self, user: object) -> Self:
        return self._scoped(user, write=False)

    def editable_by(self, user: object) -> Self:
        return self._scoped(user, write=True)


def scoped_queryset(lookup: str) -> type[ScopedQuerySet]:
    """A ScopedQuerySet class whose unit is reached through `lookup` (e.g. "report__unit")."""
    return type(f"ScopedQuerySet_{lookup.replace('__', '_')}", (ScopedQuerySet,), {"unit_lookup": lookup})


class ChildQuerySet(ScopedQuerySet):
    """Rows that belong to a parent row through the FK `parent_relation`: the parent queryset's own
    `scope_filter`, prefixed, so a child is visible exactly when its parent is. Subclass it with
    `parent_relation` set (a class the type checker and the Django plugin can see)."""

    parent_relation = ""

    def _parent_rows(self) -> ScopedQuerySet:
        parent = self.model._meta.get_field(self.parent_relation).related_model
        if not isinstance(parent, type) or not issubclass(parent, models.Model):
            raise TypeError(f"{self.model.__name__}.{self.parent_relation} is not a foreign key")
        parent_rows = parent._default_manager.all()
        if not isinstance(parent_rows, ScopedQuerySet):
            raise TypeError(f"{parent.__name__} is not scoped")
        return parent_rows

    def scope_filter(self, ids: tuple[int, ...]) -> Q:
        return prefixed(self._parent_rows().scope_filter(ids), self.parent_relation)

    def holds_personal_data(self) -> bool:
        """A child carries its parent's kind of data (a dossier's papers are as personal as the dossier)."""
        return self._parent_rows().holds_personal_data()


def child_of(parent: type[models.Model], relation: str) -> type[ScopedQuerySet]:
    """A ChildQuerySet class for rows that belong to a `parent` row through the FK `relation` (built at
    run time: prefer a `ChildQuerySet` subclass, which the type checker sees)."""
    name = f"{parent.__name__}ChildQuerySet_{relation}"
    return type(name, (ChildQuerySet,), {"parent_relation": relation, "unit_lookup": f"{relation}__unit"})


def can_act_in(user: object, unit: object, *roles: str) -> bool:
    """May `user` (any caller, anonymous included) change rows of `unit`, holding one of `roles`?"""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    method = getattr(user, "can_act_in", None)
    return bool(method and method(unit, *roles))


def in_scope(scope: Scope, unit_ids: Iterable[int | None]) -> bool:
    """Does a scope (ALL or ids) reach any of these units? For a row already in memory."""
    if scope is ALL:
        return True
    return any(unit_id in scope for unit_id in unit_ids if unit_id is not None)
