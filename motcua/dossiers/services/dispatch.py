"""Run a dossier action by its name with the request's values: the one dispatcher behind the officer
screens (`views.act`) and the API (`api.DossierTransition`).

Both hand over the same keys (the API's transition body; the screens' forms post the same names):
`version`, `task` (id; default the step in progress), `assignee` (user name), `to_unit` (unit code),
`items`, `reason`, `note`, `decision`, `new_due_date`, `hours`, `channel`, `name`, and uploaded files.
A reference to nothing raises `NotFound` (404); every rule refusal is a DossierError whose HTTP status
`http_status()` gives, the same for both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.dates import parse_date
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import ACTIVE_TASK, Dossier, Task, Transfer
from motcua.dossiers.services.engine import perform
from motcua.dossiers.workflow import Action
from motcua.org.actors import Actor
from motcua.org.models import Unit, User


def http_status(exc: DossierError) -> int:
    """The HTTP status of a refusal: declared once with the codes (`dossiers.errors`)."""
    return exc.status


class NotFound(DossierError):
    """A well-formed reference (step, officer, unit) that names nothing: 404 with what was missing."""

    def __init__(self, message: str) -> None:
        self._detail = str(message)
        super().__init__("not_found")

    @property
    def message(self) -> str:
        return self._detail


def _int(value: Any) -> int | None:
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and len(text) < 19 else None


def _task(d: Dossier, v: Mapping[str, Any]) -> Task:
    if v.get("task") not in (None, ""):
        pk = _int(v["task"])
        task = Task.objects.filter(pk=pk, dossier=d).first() if pk is not None else None
        if task is None:
            raise NotFound(_("Hồ sơ không có bước xử lý này."))
        return task
    task = d.tasks.filter(status__in=ACTIVE_TASK).order_by("order", "id").first()
    if task is None:
        raise DossierError("task_not_active")
    return task


def _assignee(v: Mapping[str, Any]) -> User:
    user = User.objects.filter(username=str(v.get("assignee") or "").strip()).first()
    if user is None:
        raise NotFound(_("Không tìm thấy cán bộ có tên đăng nhập này."))
    return user


def _to_unit(v: Mapping[str, Any]) -> Unit:
    code = str(v.get("to_unit") or "").strip()
    unit = Unit.objects.filter(code=code, valid_to__isnull=True).first() if code else None
    if unit is None:
        raise NotFound(_("Không tìm thấy cơ quan phối hợp có mã này."))
    return unit


def _open_transfer(d: Dossier) -> Transfer:
    transfer = Transfer.objects.filter(dossier=d, returned_at__isnull=True).first()
    if transfer is None:
        raise DossierError("task_not_active")
    return transfer


def _date(value: Any) -> dt.date:
    try:
        return parse_date(value)  # dd/mm/yyyy from the screens, ISO from API clients
    except ValueError:
        raise DossierError("apology_date") from None


def _hours(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def _upload(files: Mapping[str, Any]) -> Any:
    upload = files.get("file")
    if upload is None:
        raise DossierError("no_result")
    return upload


def _supplement_files(v: Mapping[str, Any], f: Mapping[str, Any]) -> dict[str, Any]:
    """The supplement's scans: all for one paper of the procedure when `requirement` names it."""
    uploads = list(f.get("files") or [])
    requirement = _int(v.get("requirement"))
    if requirement is not None:
        return {str(requirement): uploads}
    return {f"s{i}": upload for i, upload in enumerate(uploads)}


def _text(v: Mapping[str, Any], name: str) -> str:
    return str(v.get(name) or "")


Params = Callable[[Dossier, Mapping[str, Any], Mapping[str, Any]], dict[str, Any]]

# The parameters each action takes from a request. Actions that create a dossier or belong to the
# citizen (submit, add_paper, withdraw) have their own doors (intake, paper upload, portal).
PARAMS: dict[str, Params] = {
    Action.RECEIVE: lambda d, v, f: {},
    Action.INTAKE_SUPPLEMENT: lambda d, v, f: {"items": v.get("items"), "reason": _text(v, "reason")},
    Action.REFUSE_RECEIPT: lambda d, v, f: {"reason": _text(v, "reason")},
    Action.CLAIM: lambda d, v, f: {"task": _task(d, v)},
    Action.ASSIGN: lambda d, v, f: {"task": _task(d, v), "assignee": _assignee(v)},
    Action.COMPLETE_STEP: lambda d, v, f: {
        "task": _task(d, v),
        "note": _text(v, "note"),
        "decision": v.get("decision") or "approve",
    },
    Action.RETURN_STEP: lambda d, v, f: {"task": _task(d, v), "reason": _text(v, "reason")},
    Action.REQUEST_SUPPLEMENT: lambda d, v, f: {"items": v.get("items"), "reason": _text(v, "reason")},
    Action.SUPPLEMENT: lambda d, v, f: {"files": _supplement_files(v, f), "note": _text(v, "note")},
    Action.REQUEST_FEE: lambda d, v, f: {"note": _text(v, "note")},
    Action.FEE_PAID: lambda d, v, f: {"note": _text(v, "note")},
    Action.TRANSFER_OUT: lambda d, v, f: {
        "to_unit": _to_unit(v),
        "hours": _hours(v.get("hours")),
        "note": _text(v, "note"),
    },
    Action.TRANSFER_BACK: lambda d, v, f: {"transfer": _open_transfer(d), "reply": _text(v, "note")},
    Action.APOLOGISE: lambda d, v, f: {
        "new_due_date": _date(v.get("new_due_date")),
        "reason": _text(v, "reason"),
    },
    Action.ATTACH_RESULT: lambda d, v, f: {"file": _upload(f), "name": _text(v, "name")},
    Action.RETURN_RESULT: lambda d, v, f: {"channel": v.get("channel") or "counter"},
    Action.STOP: lambda d, v, f: {"reason": _text(v, "reason")},
}


def run(
    dossier: Dossier,
    name: str,
    actor: Actor | None,
    values: Mapping[str, Any],
    files: Mapping[str, Any] | None = None,
) -> Any:
    """Perform the action called `name` with the request's values; returns what perform returns."""
    params = PARAMS.get(name)
    if params is None:
        raise DossierError("unknown_action", action=name)
    version = values.get("version")
    version = version if isinstance(version, int) else _int(version)
    return perform(dossier, name, actor, expected_version=version, **params(dossier, values, files or {}))
