"""Every write of the assistant: one function per action, one transaction, audited.

- `ask`: store the citizen's message, understand it, answer from stored facts; a complaint becomes a
  feedback report (feedback service, receipt code); low confidence opens a hand-over in the unit's queue.
- `resolve_handover`: an officer picks the right procedure or guide entry and replies; the question becomes
  a learned example, so the same question is answered next time.
- `ask_from_zalo`: the Zalo OA channel (the reply leaves through the outbox, once).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.assistant import engine
from motcua.assistant.errors import AssistantError
from motcua.assistant.index import clear_cache
from motcua.assistant.models import (
    Conversation,
    ConversationChannel,
    Example,
    GuideEntry,
    Handover,
    HandoverStatus,
    Intent,
    Message,
    Sender,
)
from motcua.catalog import selectors as catalog
from motcua.core import audit
from motcua.core.middleware import ILL_FORMED
from motcua.core.notify import queue_message
from motcua.feedback import selectors as feedback_selectors
from motcua.feedback import services as feedback
from motcua.feedback.errors import FeedbackError
from motcua.org.models import Unit
from motcua.org.selectors import fold, unit_by_code

MAX_MESSAGE = 2000
FEEDBACK_CHANNEL = "chat"  # feedback.models.Channel.CHAT


@dataclass
class Answer:
    conversation: Conversation
    question: Message
    reply: Message
    understanding: engine.Understanding
    procedures: list[dict[str, str]]
    handover: Handover | None = None


def assistant_unit() -> Unit:
    unit = unit_by_code(settings.ASSISTANT_UNIT_CODE)
    if unit is None:  # units not loaded, or ASSISTANT_UNIT_CODE names no unit
        raise AssistantError("not_ready")
    return unit


def clean_message(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise AssistantError("message_required")
    if ILL_FORMED.search(text):
        raise AssistantError("message_required")
    text = " ".join(text.split())
    if len(text) > MAX_MESSAGE:
        raise AssistantError("message_too_long")
    return text


def _conversation(public_id: str | None, channel: str, external_user: str = "") -> Conversation:
    if public_id:
        found = Conversation.objects.select_for_update().filter(public_id=str(public_id)[:32]).first()
        if found is None:
            raise AssistantError("unknown_conversation")
        return found
    if external_user:
        found = (
            Conversation.objects.select_for_update()
            .filter(channel=channel, external_user=external_user)
            .order_by("-updated_at")
            .first()
        )
        if found is not None:
            return found
    return Conversation.objects.create(channel=channel, external_user=external_user, unit=assistant_unit())


def _file_feedback(conversation: Conversation, question: Message) -> tuple[str, str]:
    """(reply, report code). The complaint goes to the feedback service like any chat report."""
    categories = feedback_selectors.suggest_categories(question.text, limit=1)
    try:
        report, _created = feedback.submit_or_get(
            actor=None,
            channel=FEEDBACK_CHANNEL,
            external_id=f"assistant:{question.pk}",
            description=question.text,
            category_code=categories[0].code if categories else None,
            address=question.text[:300],
        )
    except FeedbackError as exc:
        return f"Chưa ghi nhận được phản ánh: {exc.message}", ""
    category = f" (lĩnh vực: {categories[0].name})" if categories else ""
    place = f" Nơi xử lý: {report.unit.name}." if report.unit_id else ""
    reply = (
        f"Đã ghi nhận phản ánh của bạn{category}, mã tiếp nhận {report.code}.{place} "
        f"Hạn trả lời: {report.deadline:%d/%m/%Y}. Tra cứu bằng mã tiếp nhận tại mục Phản ánh của Cổng."
    )
    return reply, report.code


def _answer(
    conversation: Conversation, question: Message, understanding: engine.Understanding
) -> tuple[str, Handover | None]:
    """The reply text for an understanding (stored facts only), opening a hand-over when needed."""
    handover: Handover | None = None
    if understanding.intent == Intent.STATUS:
        text, _found = engine.status_reply(understanding.dossier_code)
        question.dossier_code = understanding.dossier_code or ""
        return text, None
    if understanding.intent == Intent.FEEDBACK:
        text, code = _file_feedback(conversation, question)
        question.feedback_code = code
        return text, None
    if understanding.intent == Intent.PROCEDURE and understanding.guide_id:
        entry = GuideEntry.objects.filter(pk=understanding.guide_id, active=True).first()
        if entry is not None:
            conversation.last_guide = entry
            question.guide = entry
            return engine.guide_reply(entry), None
    if understanding.intent == Intent.PROCEDURE and understanding.procedure_codes:
        procedure = catalog.get_procedure(understanding.procedure_codes[0])
        if procedure is not None:
            conversation.last_procedure_code = procedure.code
            return engine.procedure_reply(procedure, understanding.facets), None
    understanding.intent = Intent.HANDOVER
    understanding.reason = understanding.reason or "no_fact"
    handover = Handover.objects.create(
        conversation=conversation,
        question=question,
        unit=conversation.unit,
        folded=fold(question.text)[:300],
        reason=understanding.reason,
    )
    audit.record(
        "assistant.handover_opened",
        actor="assistant",
        obj=handover,
        after={"conversation": conversation.public_id, "reason": understanding.reason},
    )
    return engine.HANDOVER_REPLY, handover


@transaction.atomic
def ask(
    text: Any,
    *,
    conversation: str | None = None,
    channel: str = ConversationChannel.API,
    external_user: str = "",
    external_id: str = "",
) -> Answer:
    """Answer one citizen message. Raises AssistantError for an empty, ill-formed or too long message."""
    message_text = clean_message(text)
    convo = _conversation(conversation, channel, external_user)
    question = Message.objects.create(
        conversation=convo, sender=Sender.CITIZEN, text=message_text, external_id=external_id[:100]
    )
    context = engine.Context(procedure_code=convo.last_procedure_code, guide_id=convo.last_guide_id)
    understanding = engine.understand(message_text, context)
    reply_text, handover = _answer(convo, question, understanding)
    question.intent = understanding.intent
    question.procedure_codes = understanding.procedure_codes
    question.score = understanding.score
    question.save()
    reply = Message.objects.create(
        conversation=convo,
        sender=Sender.ASSISTANT,
        text=reply_text,
        intent=understanding.intent,
        procedure_codes=understanding.procedure_codes if understanding.intent == Intent.PROCEDURE else [],
        guide=question.guide,
        dossier_code=question.dossier_code,
        feedback_code=question.feedback_code,
    )
    convo.save()
    procedures = (
        engine.procedures_named(understanding.procedure_codes[:3])
        if understanding.intent == Intent.PROCEDURE and not question.guide_id
        else []
    )
    return Answer(convo, question, reply, understanding, procedures, handover)


def _check_officer(handover: Handover, actor: Any) -> None:
    if not Handover.objects.editable_by(actor).filter(pk=handover.pk).exists():
        raise AssistantError("forbidden")


@transaction.atomic
def resolve_handover(
    handover: Handover,
    *,
    actor: Any,
    reply: str,
    procedure_code: str = "",
    guide: GuideEntry | None = None,
    learn: bool = True,
) -> Handover:
    """An officer answers a handed-over question; the question becomes an example of its answer."""
    handover = (
        Handover.objects.select_for_update().select_related("conversation", "question").get(pk=handover.pk)
    )
    _check_officer(handover, actor)
    if handover.status != HandoverStatus.OPEN:
        raise AssistantError("already_resolved")
    reply = " ".join((reply or "").split()) if isinstance(reply, str) else ""
    if not reply or ILL_FORMED.search(reply):
        raise AssistantError("reply_required")
    procedure = None
    if procedure_code:
        procedure = catalog.get_procedure(procedure_code)
        if procedure is None:
            raise AssistantError("unknown_procedure")
    if procedure is None and guide is None:
        raise AssistantError("target_required")
    handover.status = HandoverStatus.RESOLVED
    handover.procedure_code = procedure.code if procedure else ""
    handover.guide = guide
    handover.reply = reply[:MAX_MESSAGE]
    handover.resolved_by = actor
    handover.resolved_at = timezone.now()
    handover.save()
    conversation = handover.conversation
    source = f"mã {procedure.code}" if procedure else f"hướng dẫn «{guide.title}»" if guide else ""
    answer = Message.objects.create(
        conversation=conversation,
        sender=Sender.OFFICER,
        text=f"{handover.reply}\nNguồn: {source}.",
        intent=Intent.PROCEDURE,
        procedure_codes=[procedure.code] if procedure else [],
        guide=guide,
    )
    if procedure:
        conversation.last_procedure_code = procedure.code
    conversation.save()
    example = None
    if learn:
        example = Example.objects.create(
            text=handover.question.text,
            procedure_code=procedure.code if procedure else "",
            guide=guide if procedure is None else None,
            created_by=actor,
        )
    audit.record(
        "assistant.handover_resolved",
        actor=actor,
        obj=handover,
        after={
            "procedure": handover.procedure_code,
            "guide": guide.pk if guide else None,
            "example": example.pk if example else None,
        },
    )
    if conversation.channel == ConversationChannel.ZALO:
        send_zalo(conversation, answer)
    # This process answers with the new example at once; others see it at their next stamp check.
    clear_cache()
    transaction.on_commit(clear_cache)
    return handover


def send_zalo(conversation: Conversation, message: Message) -> None:
    """Queue a reply to a Zalo user through the outbox (delivered once, retried while Zalo is down)."""
    queue_message(
        key=f"assistant:zalo:{message.pk}",
        channel="zalo",
        recipient=f"zalo-uid:{conversation.external_user}",
        body=message.text,
        unit_id=conversation.unit_id,
        obj=message,
    )


@transaction.atomic
def ask_from_zalo(user_id: str, text: str, message_id: str) -> Answer | None:
    """A Zalo OA `user_send_text` event: answer it and queue the reply. The same Zalo message id twice
    is answered once (Zalo retries webhooks)."""
    if (
        message_id
        and Message.objects.filter(
            conversation__channel=ConversationChannel.ZALO, external_id=message_id[:100]
        ).exists()
    ):
        return None
    try:
        answer = ask(
            text, channel=ConversationChannel.ZALO, external_user=user_id[:100], external_id=message_id
        )
    except AssistantError:
        return None
    send_zalo(answer.conversation, answer.reply)
    return answer
