from django_tasks import task

from motcua.feedback import mailbox, services


@task()
def escalate_feedback() -> int:
    """Raise reports whose reply deadline is near (unit leader) or passed (the city). Idempotent."""
    return services.escalate_due()


@task()
def fetch_feedback_mail() -> int:
    """Turn new messages in the feedback mailbox into reports (no-op without FEEDBACK_MAILBOX_URL)."""
    return mailbox.fetch()


PERIODIC = [(escalate_feedback, 900), (fetch_feedback_mail, 60)]
