from django.conf import settings
from django_tasks import task

from motcua.core import audit, notify, taskhealth


@task()
def deliver_message(message_id: int) -> str:
    return notify.deliver(message_id)


@task()
def retry_pending_messages() -> int:
    return notify.retry_pending()


@task()
def audit_checkpoint() -> str:
    """Anchor the audit chain heads outside the database (docs/security.md)."""
    return str(audit.checkpoint())


@task()
def reap_stuck_tasks() -> int:
    """Tasks left RUNNING by a worker that died (kill -9, OOM, host lost): marked failed after their lease."""
    return taskhealth.reap_stuck()


PERIODIC = [
    (retry_pending_messages, 120),
    (audit_checkpoint, settings.MOTCUA_AUDIT_CHECKPOINT_SECONDS),
    (reap_stuck_tasks, 300),
]
