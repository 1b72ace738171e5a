"""Portal housekeeping: drop abandoned submission drafts and spent one-time codes."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from motcua.portal import services


@task()
def cleanup_portal() -> dict:
    """Idempotent: removes drafts older than a day and one-time codes older than a day."""
    return services.cleanup(older_than=dt.timedelta(days=1))


PERIODIC = [(cleanup_portal, 3600)]
