"""Intake: counter, post and other agencies' systems (staff), online and kiosk (citizens).

Every way in ends in one `perform()`: SUBMIT (waits for the desk's check), or, at the counter, RECEIVE,
INTAKE_SUPPLEMENT or REFUSE_RECEIPT on the dossier being created. Idempotency keys are unique in the
database: a replay, or a duplicate that raced in, returns the dossier the key already made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.errors import CatalogError
from motcua.catalog.selectors import Procedure
from motcua.citizens import services as citizens
from motcua.core.codes import dossier_code
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Channel, Dossier, DossierPaper, Task
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.services import clock, records
from motcua.dossiers.services.catalog import (
    CatalogSnapshot,
    catalog_snapshot,
    clean_paper_answers,
    missing_papers,
    paper_line,
    required_papers,
    route_competent_unit,
)
from motcua.dossiers.services.clock import fmt
from motcua.dossiers.services.dispatch import NotFound
from motcua.dossiers.services.engine import Context, effect, perform, returned
from motcua.dossiers.services.steps import build_tasks, start_clock
from motcua.dossiers.services.validation import APPLICANT_FIELDS, validate_applicant, validate_form
from motcua.dossiers.workflow import Action, ensure_transition
from motcua.org.actors import Actor, signed_in
from motcua.org.models import Unit, UnitKind, User
from motcua.org.selectors import find_unit_in_text

INTAKE_ACCEPT, INTAKE_SUPPLEMENT, INTAKE_REFUSE = "accept", "supplement", "refuse"
COUNTER_OUTCOMES = {
    INTAKE_ACCEPT: Action.RECEIVE,
    INTAKE_SUPPLEMENT: Action.INTAKE_SUPPLEMENT,
    INTAKE_REFUSE: Action.REFUSE_RECEIPT,
}


def _agency_identifier(unit: Unit) -> str:
    return (
        unit.agency_identifier
        or f"000.00.{unit.code[-2:] if unit.code[-2:].isdigit() else '00'}.{settings.MOTCUA_AGENCY_SUFFIX}"
    )


def _new_dossier(
    *,
    procedure: Procedure,
    channel: str,
    receiving_unit: Unit,
    competent_unit: Unit | None,
    applicant: dict,
    form_data: dict,
    field_sources: dict | None,
    citizen: User | None = None,
    idempotency_key: str | None = None,
    notify_zalo: bool = False,
    catalog: CatalogSnapshot | None = None,
    paper_answers: dict[str, bool] | None = None,
    sighted_papers: list[int] | None = None,
) -> Dossier:
    """The new dossier, validated but NOT saved: `perform` inserts it in its final state (one INSERT)."""
    try:
        catalog_selectors.ensure_can_receive(procedure)
    except CatalogError as exc:
        raise DossierError("procedure", reason=exc.message) from exc
    data = validate_applicant(applicant)
    clean = validate_form(procedure, form_data or {}, catalog)
    problems = catalog_selectors.declaration_registry_problems(
        (catalog or catalog_snapshot(procedure)).form_fields(procedure), clean
    )
    if problems:
        raise DossierError("declaration", detail=" ".join(problems.values()))
    unit = competent_unit or route_competent_unit(procedure, receiving_unit, data["applicant_address"])
    sources = {k: v for k, v in (field_sources or {}).items() if v in ("registry", "typed", "account")}
    for key in APPLICANT_FIELDS:
        if data[key]:
            sources.setdefault(key, "typed")
    d = Dossier(
        procedure=procedure,
        channel=channel,
        receiving_unit=receiving_unit,
        unit=unit,
        citizen=citizen,
        form_data=clean,
        field_sources=sources,
        status=S.SUBMITTED,
        idempotency_key=idempotency_key or None,
        notify_zalo=notify_zalo,
        paper_answers=paper_answers or {},
        sighted_papers=sighted_papers or [],
        **data,
    )
    d._portal_last_seq = 0  # no portal message yet (saves the MAX(seq) query)
    return d


def _create(ctx: Context) -> CatalogSnapshot:
    """For an action that creates the dossier: its code and submission time, and its scans stored
    right after the row is written. Returns the catalog snapshot the action uses."""
    d, p = ctx.dossier, ctx.params
    catalog = p.get("catalog") or catalog_snapshot(d.procedure, d.unit.province_code)
    if d.pk is None:
        moment = clock.now()
        d.submitted_at = moment
        d.code = dossier_code(_agency_identifier(d.receiving_unit), timezone.localtime(moment).date())
        files = p.get("files") or {}
        ctx.then(lambda: records.store_papers(d, files, ctx.actor, catalog=catalog))
        ctx.then(lambda: records.store_persons(d, catalog))
    return catalog


# --- idempotency ------------------------------------------------------------------------------------
def _with_key(key: str | None, owns: Callable[[Dossier], bool], create: Callable[[], Dossier]) -> Dossier:
    """`create()` once per idempotency key: a replay, or a concurrent duplicate that lost the race on
    the unique key, returns the key's dossier (when `owns` it) instead of a second one, marked
    `replayed = True` (the API answers 200 instead of 201)."""
    if key:
        existing = Dossier.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _replay(existing, owns)
    try:
        return create()
    except IntegrityError:
        existing = Dossier.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return _replay(existing, owns)


def _replay(existing: Dossier, owns: Callable[[Dossier], bool]) -> Dossier:
    if not owns(existing):
        raise DossierError("idempotency_conflict")
    existing.replayed = True
    return existing


# --- staff intake -------------------------------------------------------------------------------------
def receive_at_counter(
    *,
    procedure: Procedure,
    receiving_unit: Unit,
    actor: Actor | None,
    applicant: dict,
    form_data: dict | None = None,
    files: dict | None = None,
    outcome: str = INTAKE_ACCEPT,
    missing: Iterable[str] = (),
    reason: str = "",
    field_sources: dict | None = None,
    channel: str = Channel.COUNTER,
    competent_unit: Unit | None = None,
    idempotency_key: str | None = None,
    notify_zalo: bool = False,
    intake_session: str = "",
    paper_answers: Mapping[str, bool] | None = None,
    sighted: Iterable[Any] = (),
) -> Dossier:
    """Counter (or post) intake: the officer's check ends in accept (form 01), a complete supplement
    request (form 02) or a refusal with reasons (form 03). One action, one transaction. The intake
    session the officer's registry look-up was bound to (`intake_session`) is linked to the dossier.

    `paper_answers` says, per conditional paper, whether the applicant's case needs it (the officer asks);
    `sighted` lists the shown papers (xuất trình) the officer has seen in the original."""
    action = COUNTER_OUTCOMES.get(outcome)
    if action is None:
        raise DossierError("bad_transition", action=outcome, status="")
    stub = Dossier(receiving_unit=receiving_unit, unit=competent_unit or receiving_unit)
    ensure_transition(stub, action, actor)  # refuse a caller without the right before reading anything

    def create() -> Dossier:
        if channel not in (Channel.COUNTER, Channel.POST):
            raise DossierError("channel", channel=channel)
        catalog = catalog_snapshot(procedure, receiving_unit.province_code)
        answers, seen = clean_paper_answers(procedure, paper_answers, sighted, catalog)
        lacking = missing_papers(procedure, files or {}, catalog, answers)
        items = [paper_line(r) for r in lacking] + [m.strip() for m in missing if m and m.strip()]
        d = _new_dossier(
            procedure=procedure,
            channel=channel,
            receiving_unit=receiving_unit,
            competent_unit=competent_unit,
            applicant=applicant,
            form_data=form_data or {},
            field_sources=field_sources,
            idempotency_key=idempotency_key,
            notify_zalo=notify_zalo,
            catalog=catalog,
            paper_answers=answers,
            sighted_papers=seen,
        )
        d = returned(
            Dossier, perform(d, action, actor, files=files or {}, catalog=catalog, items=items, reason=reason)
        )
        if intake_session:
            citizens.link_intake_session(
                intake_session, actor=actor, case_ref=d.code, personal_id=d.applicant_personal_id
            )
        return d

    return _with_key(idempotency_key, lambda e: e.receiving_unit_id == receiving_unit.pk, create)


def register_submission(
    *,
    procedure: Procedure,
    receiving_unit: Unit,
    actor: Actor | None,
    applicant: dict,
    form_data: dict | None = None,
    channel: str = Channel.POST,
    idempotency_key: str | None = None,
    competent_unit: Unit | None = None,
    field_sources: dict | None = None,
) -> Dossier:
    """Record a dossier that arrived by post or from another agency's system (status 1, papers follow)."""
    stub = Dossier(receiving_unit=receiving_unit, unit=competent_unit or receiving_unit)
    ensure_transition(stub, Action.SUBMIT, actor)

    def create() -> Dossier:
        if channel not in Channel.values:
            raise DossierError("channel", channel=channel)
        d = _new_dossier(
            procedure=procedure,
            channel=channel,
            receiving_unit=receiving_unit,
            competent_unit=competent_unit,
            applicant=applicant,
            form_data=form_data or {},
            field_sources=field_sources,
            idempotency_key=idempotency_key,
        )
        return returned(Dossier, perform(d, Action.SUBMIT, actor))

    return _with_key(idempotency_key, lambda e: e.receiving_unit_id == receiving_unit.pk, create)


# --- citizens: online and kiosk --------------------------------------------------------------------
def _default_unit() -> Unit | None:
    return Unit.objects.filter(
        province_code=settings.MOTCUA_PROVINCE_CODE, valid_to__isnull=True, kind=UnitKind.PROVINCE
    ).first()


def submit_online(
    *,
    procedure: Procedure,
    citizen_user: Actor | None,
    applicant: dict,
    form_data: dict,
    files: dict,
    channel: str = Channel.ONLINE,
    idempotency_key: str,
    receiving_unit: Unit | None = None,
    competent_unit: Unit | None = None,
    field_sources: dict | None = None,
    notify_zalo: bool = False,
    paper_answers: dict | None = None,
    result_delivery: str = "counter",
) -> Dossier:
    """A citizen files online or at a kiosk: the dossier waits for the desk's check (status 1), and the
    citizen's acknowledgement is queued in the same transaction.

    Without `receiving_unit` the dossier goes to the desk of the competent unit found from the
    applicant's address (routing by competence)."""
    if channel not in (Channel.ONLINE, Channel.KIOSK):
        raise DossierError("channel", channel=channel)
    if not signed_in(citizen_user):
        raise DossierError("not_allowed")
    if procedure.online_level == "none" and channel == Channel.ONLINE:
        raise DossierError("channel", channel=Channel(channel).label)

    def create() -> Dossier:
        catalog = catalog_snapshot(procedure, receiving_unit.province_code if receiving_unit else None)
        answers, _seen = clean_paper_answers(procedure, paper_answers, (), catalog)
        lacking = missing_papers(procedure, files or {}, catalog, answers)
        if lacking:
            raise DossierError("missing_papers", names="; ".join(paper_line(r) for r in lacking))
        desk = receiving_unit or competent_unit
        if desk is None:
            address = str(applicant.get("address") or applicant.get("applicant_address") or "")
            found = (find_unit_in_text(address) if address else None) or _default_unit()
            if found is None:
                raise RuntimeError("no province unit: load the units first (motcua load_units)")
            desk = route_competent_unit(procedure, found, "")
        d = _new_dossier(
            procedure=procedure,
            channel=channel,
            receiving_unit=desk,
            competent_unit=competent_unit,
            applicant=dict(applicant),
            form_data=form_data,
            field_sources=field_sources,
            citizen=citizen_user,
            idempotency_key=idempotency_key,
            notify_zalo=notify_zalo,
            catalog=catalog,
            paper_answers=answers,
        )
        if result_delivery in ("counter", "post", "online"):
            d.result_delivery = result_delivery
        return returned(Dossier, perform(d, Action.SUBMIT, citizen_user, files=files, catalog=catalog))

    return _with_key(idempotency_key, lambda e: e.citizen_id == citizen_user.pk, create)


def _acknowledge(d: Dossier) -> None:
    """The citizen's "we have your dossier" message (the appointment follows at the desk's receipt).
    The key is the one the portal used when it sent this message itself, so nothing is sent twice."""
    records.notify_applicant(
        d,
        "submitted",
        _(
            "Đã nhận hồ sơ trực tuyến %(code)s (%(procedure)s). Bộ phận Một cửa sẽ kiểm tra và báo ngày hẹn "
            "trả. Tra cứu: %(url)s"
        )
        % {"code": d.code, "procedure": d.procedure.name[:80], "url": records.public_url(d)},
        _("Xác nhận nộp hồ sơ trực tuyến %(code)s") % {"code": d.code},
        key=f"portal.submitted.{d.pk}.",
    )


# --- effects ----------------------------------------------------------------------------------------
@effect(Action.SUBMIT)
def _submit(ctx: Context) -> None:
    _create(ctx)
    d = ctx.dossier
    if d.citizen_id is not None and signed_in(ctx.actor) and d.citizen_id == ctx.actor.pk:
        ctx.then(lambda: _acknowledge(d))


@effect(Action.RECEIVE)
def _receive(ctx: Context) -> None:
    """Valid receipt: start the legal clock, generate the tasks, notify the citizen (form 01)."""
    d, actor = ctx.dossier, ctx.actor
    creating = d.pk is None
    catalog = _create(ctx)
    if creating:
        lacking = missing_papers(d.procedure, ctx.params.get("files") or {}, catalog, d.paper_answers)
    else:
        have = set(d.papers.exclude(requirement_id=None).values_list("requirement_id", flat=True))
        lacking = [r for r in required_papers(d.procedure, catalog, d.paper_answers) if r.pk not in have]
    if lacking:
        raise DossierError("missing_papers", names="; ".join(paper_line(r) for r in lacking))
    moment = clock.now()
    d.received_at = moment
    d.received_by = actor if signed_in(actor) and not actor.is_citizen else None
    start_clock(d, moment, catalog)
    d.original_due_at = d.due_at
    tasks = build_tasks(d, moment, catalog)
    ctx.data = {"due_at": d.due_at}
    ctx.then(lambda: Task.objects.bulk_create(tasks))
    ctx.then(lambda: _notify_received(d, moment))


def _notify_received(d: Dossier, moment: dt.datetime) -> None:
    records.notify_applicant(
        d,
        "received",
        _(
            "Hồ sơ %(code)s (%(proc)s) đã được tiếp nhận lúc %(at)s. Hẹn trả kết quả: %(due)s. "
            "Tra cứu: %(url)s"
        )
        % {
            "code": d.code,
            "proc": d.procedure.name[:80],
            "at": fmt(moment),
            "due": fmt(d.due_at),
            "url": records.public_url(d),
        },
        _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    )


def ask_supplement(ctx: Context, items: list[str]) -> None:
    """Form 02: one complete list of what is missing, sent to the applicant."""
    d = ctx.dossier
    if not items:
        raise DossierError("supplement_empty")
    d.supplement_items = items
    d.supplement_reason = str(ctx.params.get("reason") or "").strip()
    d.supplement_requested_at = clock.now()
    ctx.note = "; ".join(items)
    ctx.data = {"items": items}
    ctx.then(
        lambda: records.notify_applicant(
            d,
            "supplement",
            _("Hồ sơ %(code)s cần bổ sung: %(items)s.") % {"code": d.code, "items": "; ".join(items)},
            _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        )
    )


def clean_items(items: Iterable[str] | str | None) -> list[str]:
    lines = items.splitlines() if isinstance(items, str) else (items or [])
    return [str(i).strip() for i in lines if i and str(i).strip()]


@effect(Action.INTAKE_SUPPLEMENT)
def _intake_supplement(ctx: Context) -> None:
    _create(ctx)
    ask_supplement(ctx, clean_items(ctx.params.get("items")))


def required_reason(ctx: Context, name: str = "reason") -> str:
    reason = str(ctx.params.get(name) or "").strip()
    if not reason:
        raise DossierError("reason_required")
    return reason


@effect(Action.REFUSE_RECEIPT)
def _refuse_receipt(ctx: Context) -> None:
    reason = required_reason(ctx)
    _create(ctx)
    ctx.dossier.refusal_reason = ctx.note = reason


@effect(Action.ADD_PAPER)
def _add_paper(ctx: Context) -> None:
    """Attach a scan to a dossier waiting for the desk's check or for the citizen's supplement."""
    d, requirement_id = ctx.dossier, ctx.params.get("requirement_id")
    if (
        requirement_id is not None
        and not catalog_selectors.papers(d.procedure).filter(pk=requirement_id).exists()
    ):
        raise NotFound(_("Thủ tục không có thành phần hồ sơ này."))
    key = requirement_id if requirement_id is not None else "x"
    supplement = d.status == S.SUPPLEMENT_REQUESTED
    (paper,) = records.store_papers(d, {key: ctx.params["file"]}, ctx.actor, supplement=supplement)
    ctx.result = paper
    ctx.note, ctx.public = paper.name, False
    ctx.data = {"paper": paper.name, "sha256": paper.sha256}


def add_paper(
    dossier: Dossier, *, actor: Actor | None, requirement_id: int | None, file: Any
) -> DossierPaper:
    return returned(
        DossierPaper, perform(dossier, Action.ADD_PAPER, actor, requirement_id=requirement_id, file=file)
    )


def receive(dossier: Dossier, *, actor: Actor | None, expected_version: int | None = None) -> Dossier:
    """The desk accepts an online/kiosk dossier after checking it: valid receipt, form 01."""
    return returned(Dossier, perform(dossier, Action.RECEIVE, actor, expected_version=expected_version))


def request_supplement_at_intake(
    dossier: Dossier,
    *,
    actor: Actor | None,
    items: Iterable[str],
    reason: str = "",
    expected_version: int | None = None,
) -> Dossier:
    return returned(
        Dossier,
        perform(
            dossier,
            Action.INTAKE_SUPPLEMENT,
            actor,
            expected_version=expected_version,
            items=items,
            reason=reason,
        ),
    )


def refuse_receipt(
    dossier: Dossier, *, actor: Actor | None, reason: str, expected_version: int | None = None
) -> Dossier:
    return returned(
        Dossier,
        perform(dossier, Action.REFUSE_RECEIPT, actor, expected_version=expected_version, reason=reason),
    )
