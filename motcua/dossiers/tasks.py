"""Background work of the dossier app: national-portal pushes and the overdue sweep (idempotent)."""

from django_tasks import task

from motcua.dossiers import portal


@task()
def push_portal(dossier_id: int) -> int:
    return portal.push(dossier_id)


@task()
def retry_portal_sync() -> int:
    return portal.retry_pending()


@task()
def flag_overdue_dossiers() -> int:
    from motcua.dossiers.services import flag_overdue

    return flag_overdue()


PERIODIC = [(flag_overdue_dossiers, 300), (retry_portal_sync, 60)]
