"""Results: the result papers, handing the result over, and the on-time classification."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.uploads import check_upload
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Channel, Dossier, Outcome, ResultPaper
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.services import clock, records
from motcua.dossiers.services.engine import Context, effect, perform, returned
from motcua.dossiers.workflow import Action
from motcua.org.actors import Actor


@effect(Action.ATTACH_RESULT)
def _attach_result(ctx: Context) -> None:
    d, file = ctx.dossier, ctx.params["file"]
    content_type, ext, size, digest = check_upload(file, error=DossierError)
    paper = ResultPaper(
        dossier=d,
        name=(ctx.params.get("name") or getattr(file, "name", "") or _("Kết quả"))[:300],
        content_type=content_type,
        size=size,
        sha256=digest,
        uploaded_by=records.saved_by(ctx.actor),
    )
    file.seek(0)
    paper.file.save(f"{d.code}-result-{digest[:8]}.{ext}", ContentFile(file.read()), save=False)
    paper.save()
    ctx.note, ctx.public, ctx.result = paper.name, False, paper
    ctx.data = {"result": paper.name, "sha256": digest}


def attach_result(dossier: Dossier, *, actor: Actor | None, file: Any, name: str) -> ResultPaper:
    return returned(ResultPaper, perform(dossier, Action.ATTACH_RESULT, actor, file=file, name=name))


def classify(result_at: dt.datetime, due_at: dt.datetime) -> str:
    """Early: finished before the due day; on time: by the due time; late: after it."""
    if result_at > due_at:
        return Outcome.LATE
    if timezone.localtime(result_at).date() < timezone.localtime(due_at).date():
        return Outcome.EARLY
    return Outcome.ON_TIME


@effect(Action.RETURN_RESULT)
def _return_result(ctx: Context) -> None:
    """Hand the result over (counter, post or online; early return allowed); classify the outcome."""
    d, channel = ctx.dossier, ctx.params.get("channel") or Channel.COUNTER
    if d.status == S.RESULT_READY and not d.results.exists():
        raise DossierError("no_result")
    if channel not in Channel.values:
        raise DossierError("channel", channel=channel)
    d.returned_at = clock.now()
    d.return_channel = channel
    # Lateness is judged against the legal due time; an apology's new date does not erase it.
    d.outcome = classify(d.result_ready_at or d.returned_at, d.original_due_at or d.due_at or d.returned_at)
    d.overdue = False
    ctx.data = {"channel": channel, "outcome": d.outcome}


def return_result(
    dossier: Dossier,
    *,
    actor: Actor | None,
    channel: str = Channel.COUNTER,
    expected_version: int | None = None,
) -> Dossier:
    return returned(
        Dossier,
        perform(dossier, Action.RETURN_RESULT, actor, expected_version=expected_version, channel=channel),
    )
