"""Background work of the dossier app: outbox delivery, national-portal pushes and the overdue sweep.

Every task is idempotent: a message is sent only while pending, a portal message only while pending.
"""

import logging

from django_tasks import task

from motcua.core import notify
from motcua.dossiers import portal
from motcua.dossiers.services import flag_overdue

logger = logging.getLogger(__name__)


@task()
def deliver_outbox(dossier_id: int, message_ids: list[int], push_portal: bool = False) -> int:
    """What one dossier transaction left in its outboxes, enqueued once on commit: the citizen's
    messages, then the national-portal push. A failure is logged and left to the periodic sweeps
    (`retry_pending_messages`, `retry_portal_sync`); it does not stop the other deliveries."""
    done = 0
    for message_id in message_ids:
        try:
            notify.deliver(message_id)
            done += 1
        except Exception:  # noqa: BLE001 - the sweep retries; keep delivering the rest
            logger.exception("delivery of message %s failed", message_id)
    if push_portal:
        done += portal.push(dossier_id)
    return done


@task()
def push_portal(dossier_id: int) -> int:
    return portal.push(dossier_id)


@task()
def retry_portal_sync() -> int:
    return portal.retry_pending()


@task()
def flag_overdue_dossiers() -> int:
    return flag_overdue()


PERIODIC = [(flag_overdue_dossiers, 300), (retry_portal_sync, 60)]
