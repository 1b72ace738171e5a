"""Officer pages: the hand-over queue, resolving a hand-over (which teaches the assistant), the most
handed-over questions, conversation search and the published figures."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.assistant import engine, selectors, services
from motcua.assistant.errors import AssistantError
from motcua.assistant.models import GuideEntry
from motcua.org.gates import staff_required
from motcua.org.models import Role

ROLES = (Role.DESK_OFFICER, Role.HOTLINE_OPERATOR, Role.UNIT_LEADER, Role.UNIT_ADMIN, Role.PROVINCE_ADMIN)
READ_ROLES = (*ROLES, Role.AUDITOR)


@staff_required(*READ_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assistant/queue.html",
        {
            "handovers": selectors.open_handovers(request.user)[:100],
            "top": selectors.most_handed_over(request.user),
            "figures": selectors.figures(request.user),
        },
    )


@staff_required(*READ_ROLES)
@require_http_methods(["GET", "POST"])
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.handover_for(request.user, pk)
    if item is None:
        raise Http404
    error = ""
    if request.method == "POST":
        guide_id = request.POST.get("guide", "")
        guide = GuideEntry.objects.filter(pk=guide_id, active=True).first() if guide_id.isdigit() else None
        try:
            services.resolve_handover(
                item,
                actor=request.user,
                reply=request.POST.get("reply", ""),
                procedure_code=request.POST.get("procedure", "").strip()[:20],
                guide=guide,
            )
        except AssistantError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã trả lời; câu hỏi này từ nay được trợ lý trả lời tự động."))
            return redirect("assistant:queue")
    suggestions = engine.procedures_named(item.question.procedure_codes or [])
    return render(
        request,
        "assistant/handover.html",
        {
            "item": item,
            "transcript": selectors.transcript(item.conversation),
            "suggestions": suggestions,
            "guides": selectors.active_guides(),
            "error": error,
            "form": request.POST if request.method == "POST" else {},
        },
        status=400 if error else 200,
    )


@staff_required(*READ_ROLES)
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "assistant/search.html",
        {"q": query, "conversations": selectors.search_conversations(request.user, query) if query else []},
    )


@staff_required(*READ_ROLES)
def conversation(request: HttpRequest, public_id: str) -> HttpResponse:
    found = selectors.conversation_for(request.user, public_id)
    if found is None:
        raise Http404
    return render(
        request,
        "assistant/conversation.html",
        {"conversation": found, "transcript": selectors.transcript(found)},
    )
