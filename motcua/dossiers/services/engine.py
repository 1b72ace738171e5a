"""The one door of every dossier action: `perform(dossier, action, actor, **params)`.

perform locks the row, runs the action's `locate` hook (the task or transfer the action is about, whose
unit the table's TASK/TRANSFER rules check), checks the table (from-state, roles, unit), runs the
action's effect, sets the status the table names (or, for an action with several targets, the one the
effect picked, checked against the table and its leader-only targets), then writes the row, the
control-sheet event, the audit entry and the national-portal message, and runs what the effect queued
for after the write (tasks, scans, the citizen's messages). One transaction: a refusal anywhere leaves
nothing behind. Effects never write `status`; perform refuses to continue if one did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction

from motcua.core import audit
from motcua.dossiers import portal
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, Task
from motcua.dossiers.services import records
from motcua.dossiers.workflow import TRANSITIONS, Action, Transition, ensure_target, ensure_transition
from motcua.org.actors import Actor, signed_in
from motcua.org.models import Unit, User


@dataclass
class Context:
    """One action in progress: what the effect reads (params) and what it tells perform."""

    dossier: Dossier
    action: Action
    actor: Actor | None
    rule: Transition
    params: dict[str, Any]
    before: dict[str, Any]
    unit: Unit | None = None  # the task's or transfer's unit: TASK/TRANSFER rules are checked there
    target: str | None = None  # the effect's pick when the table lists several targets
    leader_signed: bool = False  # the process's leader approval step is done (a result may be ready)
    task: Task | None = None  # the control-sheet event's task
    event_unit: Unit | None = None
    note: str = ""
    public: bool = True
    data: dict[str, Any] = field(default_factory=dict)
    result: Any = None  # what perform returns (default: the dossier)
    unchanged: bool = False  # set by `locate`: the action is already done (a repeated claim); write nothing
    after_write: list[Callable[[], Any]] = field(default_factory=list)

    def officer(self) -> User:
        """The signed-in account acting (the table admits only signed-in callers to every action)."""
        if not signed_in(self.actor):
            raise DossierError("not_allowed")
        return self.actor

    def located_task(self) -> Task:
        """The step the action is about, as `locate` found it (an effect without one is a bug)."""
        if self.task is None:
            raise AssertionError(f"{self.action} needs a located task")
        return self.task

    def then(self, fn: Callable[[], Any]) -> None:
        """Run `fn` once the dossier row is written (child rows of a new dossier, messages)."""
        self.after_write.append(fn)


@dataclass(frozen=True)
class Effect:
    apply: Callable[[Context], None]
    locate: Callable[[Context], None] | None = None


EFFECTS: dict[str, Effect] = {}

# Observers of every written action: `fn(before, after)` with the dossier's column values before the
# action (None when the action created it) and after it, called inside perform's transaction once the
# row, its event and its audit entry are written. Higher apps register in their AppConfig.ready() (the
# dashboard keeps its roll-ups in step this way); an observer that raises undoes the action.
Observer = Callable[[dict[str, Any] | None, dict[str, Any]], None]
OBSERVERS: list[Observer] = []


def on_transition(fn: Observer) -> Observer:
    """Register `fn` to be told of every dossier action perform writes (idempotent)."""
    if fn not in OBSERVERS:
        OBSERVERS.append(fn)
    return fn


def column_values(d: Dossier) -> dict[str, Any]:
    """The dossier's own columns (foreign keys as ids): what observers compare."""
    return {f.attname: getattr(d, f.attname) for f in d._meta.concrete_fields}


EffectFn = Callable[[Context], None]


def effect(action: Action, *, locate: EffectFn | None = None) -> Callable[[EffectFn], EffectFn]:
    """Register the decorated function as `action`'s effect (one per action)."""

    def register(fn: EffectFn) -> EffectFn:
        if action in EFFECTS:
            raise RuntimeError(f"two effects for {action}")
        EFFECTS[action] = Effect(fn, locate)
        return fn

    return register


NEW = {"status": "", "version": 0, "due_at": None}
R = TypeVar("R")


def returned(kind: type[R], result: object) -> R:
    """What `perform` returned, as the row the action makes (a Task for CLAIM, the Dossier for most):
    each service wrapper names the type; anything else is a programming error."""
    if not isinstance(result, kind):
        raise AssertionError(f"expected a {kind.__name__}, perform returned {type(result).__name__}")
    return result


@transaction.atomic
def perform(
    dossier: Dossier | int,
    action: str,
    actor: Actor | None,
    *,
    expected_version: int | None = None,
    **params: Any,
) -> Any:
    """Carry out `action` on `dossier` for `actor`; raises DossierError (nothing changed) when refused.

    An unsaved dossier (built by intake) is inserted by this call already in its final state. Returns
    the dossier, or the row the action made (`Context.result`): typed callers go through `returned`."""
    action = Action(action)
    rule, fx = TRANSITIONS[action], EFFECTS[action]
    creating = isinstance(dossier, Dossier) and dossier.pk is None
    d: Dossier = (
        dossier if isinstance(dossier, Dossier) and creating else records.lock(dossier, expected_version)
    )
    before = {**NEW, "unit_id": d.unit_id} if creating else records.snapshot(d)
    ctx = Context(d, action, actor, rule, params, before)
    if fx.locate is not None:
        fx.locate(ctx)
    ensure_transition(d, action, actor, unit=ctx.unit)
    if ctx.unchanged:
        return ctx.result
    source = d.status
    prior = None if creating or not OBSERVERS else column_values(d)
    fx.apply(ctx)
    if d.status != source:
        raise AssertionError(f"the effect of {action} wrote the status; only perform() may")
    _set_status(ctx, source)
    d.version += 1
    d.save(force_insert=creating)
    for fn in ctx.after_write:
        fn()
    _record(ctx)
    if OBSERVERS:
        after = column_values(d)
        for observer in OBSERVERS:
            observer(prior, after)
    return d if ctx.result is None else ctx.result


def _set_status(ctx: Context, source: str) -> None:
    rule, d = ctx.rule, ctx.dossier
    if rule.targets:
        if ctx.target is None:
            raise AssertionError(f"the effect of {ctx.action} must pick one of {rule.targets}")
        target = ctx.target
    else:
        if ctx.target is not None:
            raise AssertionError(f"{ctx.action} has one target in the table; the effect may not pick")
        target = rule.target if rule.target is not None else source
    ensure_target(d, ctx.action, target, ctx.actor, unit=ctx.unit, leader_signed=ctx.leader_signed)
    d.status = target


def _record(ctx: Context) -> None:
    d = ctx.dossier
    from_status = ctx.before["status"]
    records.event(
        d,
        ctx.action,
        ctx.actor,
        from_status=from_status,
        note=ctx.note,
        task=ctx.task,
        public=ctx.public,
        unit=ctx.event_unit,
        **ctx.data,
    )
    audit.record(
        f"dossiers.{ctx.action}",
        actor=ctx.actor,
        obj=d,
        before=ctx.before,
        after=records.snapshot(d),
        purpose=ctx.note[:500],
    )
    if d.status != from_status and portal.queue_status(d, enqueue=False) is not None:
        records.outbox(d).portal = True
