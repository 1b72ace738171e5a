"""Reads of the assistant for officer pages, other apps and the ward's published figures (scoped)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from motcua.assistant.models import (
    Conversation,
    GuideEntry,
    Handover,
    HandoverStatus,
    Intent,
    Message,
    Sender,
)
from motcua.org.selectors import fold


def open_handovers(user: Any) -> QuerySet[Handover]:
    return (
        Handover.objects.visible_to(user)
        .filter(status=HandoverStatus.OPEN)
        .select_related("conversation", "question", "unit")
        .order_by("created_at", "id")
    )


def handover_for(user: Any, pk: int) -> Handover | None:
    return (
        Handover.objects.visible_to(user)
        .select_related("conversation", "question", "unit", "resolved_by", "guide")
        .filter(pk=pk)
        .first()
    )


def most_handed_over(user: Any, days: int = 30, limit: int = 10) -> list[dict[str, Any]]:
    """The questions handed over most often (same words, diacritics ignored), newest period first."""
    since = timezone.now() - dt.timedelta(days=days)
    rows = (
        Handover.objects.visible_to(user)
        .filter(created_at__gte=since)
        .values("folded")
        .annotate(
            count=Count("id"), last=Max("created_at"), open=Count("id", filter=Q(status=HandoverStatus.OPEN))
        )
        .order_by("-count", "-last")[:limit]
    )
    return [dict(row) for row in rows]


def search_conversations(user: Any, query: str, limit: int = 50) -> list[Conversation]:
    folded = fold(query)[:100]
    conversations = Conversation.objects.visible_to(user)
    if folded:
        ids = (
            Message.objects.visible_to(user)
            .filter(
                Q(folded__contains=folded)
                | Q(dossier_code__iexact=query.strip())
                | Q(feedback_code__iexact=query.strip())
            )
            .values("conversation_id")
        )
        conversations = conversations.filter(pk__in=ids)
    return list(conversations.order_by("-updated_at")[:limit])


def conversation_for(user: Any, public_id: str) -> Conversation | None:
    return Conversation.objects.visible_to(user).filter(public_id=str(public_id)[:32]).first()


def transcript(conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.select_related("guide").order_by("created_at", "id")


def active_guides() -> QuerySet[GuideEntry]:
    return GuideEntry.objects.filter(active=True).order_by("title")


def figures(user: Any, *, since: dt.date | None = None) -> dict[str, int]:
    """The ward's published figures: questions answered by the assistant or an officer, complaints taken."""
    messages = Message.objects.visible_to(user).filter(sender=Sender.CITIZEN)
    handovers = Handover.objects.visible_to(user)
    if since is not None:
        messages = messages.filter(created_at__date__gte=since)
        handovers = handovers.filter(created_at__date__gte=since)
    by_intent = dict(messages.values_list("intent").annotate(n=Count("id")))
    resolved = handovers.filter(status=HandoverStatus.RESOLVED).count()
    answered = by_intent.get(Intent.PROCEDURE, 0) + by_intent.get(Intent.STATUS, 0)
    return {
        "questions": sum(by_intent.values()),
        "answered": answered + resolved,
        "answered_by_assistant": answered,
        "handed_over": handovers.count(),
        "answered_by_officers": resolved,
        "complaints": by_intent.get(Intent.FEEDBACK, 0),
        "conversations": Conversation.objects.visible_to(user).count(),
    }
