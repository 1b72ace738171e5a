"""The services' notion of "now": the real clock, or a moment set for imports and demo data."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_clock: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("dossier_clock", default=None)


def now() -> dt.datetime:
    """Every action reads the time through `clock.now()` (module attribute), so a test can replace it
    for the live server's threads too."""
    return _clock.get() or timezone.now()


@contextlib.contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """Run services as if at `moment` (importing historical dossiers, demo data)."""
    token = _clock.set(moment)
    try:
        yield
    finally:
        _clock.reset(token)


def fmt(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""
