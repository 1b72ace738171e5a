"""Invite citizens by SMS to rate dossiers returned recently (idempotent: one invitation per dossier)."""

from __future__ import annotations

from django_tasks import task

from motcua.surveys import services


@task()
def invite_recent() -> int:
    return services.invite_recent()


PERIODIC = [(invite_recent, 600)]
