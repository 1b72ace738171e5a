from django_tasks import task

from motcua.core import notify


@task()
def deliver_message(message_id: int) -> str:
    return notify.deliver(message_id)


@task()
def retry_pending_messages() -> int:
    return notify.retry_pending()


PERIODIC = [(retry_pending_messages, 120)]
