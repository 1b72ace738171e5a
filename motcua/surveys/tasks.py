"""Invite citizens by SMS to rate dossiers returned recently (idempotent: one invitation per dossier)."""

from __future__ import annotations

from django_tasks import task


@task()
def invite_recent() -> int:
    from motcua.surveys import services

    return services.invite_recent()


PERIODIC = [(invite_recent, 600)]
