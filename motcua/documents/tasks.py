from django_tasks import task

from motcua.documents import exchange, services


@task()
def ocr_document(document_id: int) -> str:
    """OCR one registered document (idempotent: only while its OCR is pending)."""
    return services.run_ocr(document_id)


@task()
def deliver_exchange(message_id: int) -> bool:
    """Send one status message back to the sender over the exchange (sends once)."""
    return exchange.deliver(message_id)


@task()
def remind_documents() -> int:
    """Remind assignees before a task's deadline and escalate to the leader after it. Idempotent."""
    return services.remind_and_escalate()


PERIODIC = [(remind_documents, 900)]
