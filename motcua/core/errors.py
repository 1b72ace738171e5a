"""Coded errors: one base class for every app's business refusals, one API error shape.

Each app declares its codes once, as a `TextChoices` whose value is the stable machine code and whose label
is the Vietnamese message (the one place to translate), and subclasses `MotcuaError` with that enum and the
HTTP status of the codes that are not a rule refusal (409). The DRF exception handler in `core.openapi`
turns any `MotcuaError` that escapes a view into the one API error body: `code`, `detail`, `errors`.

    class DossierErrorCode(models.TextChoices):
        NOT_ALLOWED = "not_allowed", _("Bạn không có quyền thực hiện thao tác này với hồ sơ.")

    class DossierError(MotcuaError):
        codes = DossierErrorCode
        statuses = {DossierErrorCode.NOT_ALLOWED: 403}

    raise DossierError(DossierErrorCode.NOT_ALLOWED)

Message templates take their parameters either as `{name}` (str.format) or `%(name)s` (printf style); the
base class recognises which.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db import models

CONFLICT = 409


def format_message(template: str, params: Mapping[str, Any]) -> str:
    """Fill `template` with `params`; a template missing a parameter is shown unfilled, never a 500."""
    if not params:
        return template
    try:
        if "%(" in template:
            return template % params
        return template.format(**params)
    except (KeyError, IndexError, TypeError, ValueError):
        return template


class MotcuaError(Exception):
    """A business rule refused the action. `.code` is stable, `.message` is Vietnamese, `.status` is HTTP."""

    codes: ClassVar[type[models.TextChoices] | None] = None
    statuses: ClassVar[Mapping[str, int]] = {}
    default_status: ClassVar[int] = CONFLICT
    # The code whose message is shown for a code the enum does not know (None: the code itself).
    fallback: ClassVar[str | None] = None

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = str(code)
        self.params = params
        super().__init__(self.message)

    @classmethod
    def template(cls, code: str) -> str:
        """The Vietnamese message template of `code` (translated at call time)."""
        if cls.codes is not None:
            labels = dict(cls.codes.choices)
            if code in labels:
                return str(labels[code])
            if cls.fallback is not None and cls.fallback in labels:
                return str(labels[cls.fallback])
        return code

    @property
    def message(self) -> str:
        return format_message(self.template(self.code), self.params)

    @property
    def status(self) -> int:
        return self.statuses.get(self.code, self.default_status)

    def body(self, errors: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The API error shape for this refusal."""
        return error_body(self.code, self.message, errors=errors)

    def __str__(self) -> str:
        return self.message


def error_body(code: str, detail: object, *, errors: Mapping[str, Any] | None = None, **extra: Any) -> dict:
    """The one API error shape: `code` (machine), `detail` (Vietnamese), `errors` (per field, if any)."""
    body: dict[str, Any] = {"code": str(code), "detail": str(detail)}
    if errors:
        body["errors"] = dict(errors)
    body.update(extra)
    return body
