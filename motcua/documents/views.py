"""Staff pages for incoming documents: the clerk's intake and register, the document page (fields to
confirm, the leader's directive with a handwritten overlay, progress, reply, completion), queues, reports."""

from __future__ import annotations

import io
import json
from typing import Any

import pypdfium2
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.exports import xlsx_response
from motcua.documents import reports, selectors, services, storage
from motcua.documents.errors import DocumentError
from motcua.documents.models import Document, FileKind, ReceivedVia, Secrecy, Urgency
from motcua.documents.workflow import TRANSITIONS, Action, may_act, perform
from motcua.org.gates import staff_required
from motcua.org.models import Role, Unit, User, UserKind


def _document(request: HttpRequest, pk: int, what: str = "read") -> Document:
    try:
        return services.read(request.user, pk, what=what)
    except DocumentError as exc:
        raise Http404(exc.message) from exc


@staff_required()
def index(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    query = request.GET.get("q", "").strip()[:200]
    documents = services.search(user, query) if query else services.readable(user)
    page = Paginator(
        selectors.queue(documents) if not query else documents.order_by("-arrival_at"), 30
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/index.html",
        {
            "page": page,
            "query": query,
            "tasks": selectors.my_tasks(user)[:50],
            "can_register": user.has_role(Role.CLERK),
            "vias": ReceivedVia.choices,
            "urgencies": Urgency.choices,
            "secrecies": Secrecy.choices,
        },
    )


@staff_required(Role.CLERK)
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    readers = [r.strip() for r in request.POST.get("readers", "").split(",") if r.strip()][:50]
    try:
        document = services.register_upload(
            request.user,
            request.FILES.getlist("file"),
            received_via=request.POST.get("received_via", ""),
            urgency=request.POST.get("urgency", ""),
            secrecy=request.POST.get("secrecy", ""),
            readers=readers,
        )
    except DocumentError as exc:
        messages.error(request, exc.message)
        return redirect("documents:index")
    if getattr(document, "duplicate", False):
        messages.warning(
            request,
            _("Tệp này đã vào sổ với số đến %(n)s: không cấp số mới.") % {"n": document.arrival_number},
        )
    else:
        messages.success(request, _("Đã vào sổ văn bản đến số %(n)s.") % {"n": document.arrival_number})
    return redirect("documents:detail", pk=document.pk)


@staff_required()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    user = request.user
    allowed = {str(a): may_act(document, a, user) for a in TRANSITIONS if a != Action.REGISTER}
    # people of the unit (a connected system holding roles there is not someone a leader assigns work to)
    colleagues = User.objects.filter(
        roles__unit=document.unit, roles__active=True, is_active=True, kind=UserKind.STAFF
    ).distinct()
    directive = document.directives.order_by("-pk").first()
    original = (
        document.files.filter(kind__in=[FileKind.SEARCHABLE, FileKind.ORIGINAL, FileKind.ATTACHMENT])
        .order_by("-kind", "pk")
        .first()
    )
    return render(
        request,
        "documents/detail.html",
        {
            "d": document,
            "allowed": allowed,
            "colleagues": colleagues,
            "units": Unit.objects.current().filter(parent=document.unit.parent).order_by("name")[:200],
            "directive": directive,
            "overlays_json": json.dumps(directive.overlays if directive else []),
            "tasks": document.tasks.select_related("unit", "assignee").order_by("pk"),
            "notes": document.notes.select_related("author").order_by("pk"),
            "replies": document.replies.order_by("pk"),
            "files": document.files.order_by("pk"),
            "page_file": original if original and original.content_type == "application/pdf" else None,
            "proposed": document.proposed,
        },
    )


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _pk(value: str) -> int:
    """A primary key from a form field; 0 (matches nothing) when it is not one."""
    return int(value) if value.isdigit() and len(value) < 12 else 0


def _officer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # the staff gate let only signed-in officers through
        raise Http404
    return user


def _params(request: HttpRequest, document: Document, action: str) -> dict[str, Any]:
    post = request.POST
    if action == Action.CONFIRM_FIELDS:
        return {k: post.get(k, "") for k in ("issuer", "number_notation", "issued_on", "doc_type", "summary")}
    if action == Action.PRESENT:
        handler = User.objects.filter(pk=_pk(post.get("handler", ""))).first()
        return {"handler": handler}
    if action == Action.DIRECT:
        try:
            overlays = json.loads(post.get("overlays") or "[]")
        except ValueError as exc:
            raise DocumentError("bad_overlay") from exc
        return {
            "text": post.get("text", ""),
            "lead_person": User.objects.filter(pk=_pk(post.get("lead_person", ""))).first(),
            "lead_unit": Unit.objects.filter(pk=_pk(post.get("lead_unit", ""))).first(),
            "co_units": list(
                Unit.objects.filter(pk__in=[i for i in map(_int, post.getlist("co_units")) if i])[:20]
            ),
            "co_people": list(
                User.objects.filter(pk__in=[i for i in map(_int, post.getlist("co_people")) if i])[:20]
            ),
            "working_days": post.get("working_days", ""),
            "overlays": overlays,
        }
    if action in (Action.NOTE, Action.COMPLETE):
        return {"text": post.get("text", "")}
    if action == Action.LINK_REPLY:
        return {k: post.get(k, "") for k in ("number_notation", "issued_on", "summary")}
    return {}


@staff_required()
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in Action.values or action == Action.REGISTER:
        raise Http404
    document = _document(request, pk, what=action)
    try:
        perform(document, action, request.user, **_params(request, document, action))
    except DocumentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã lưu: %(action)s.") % {"action": Action(action).label})
    return redirect("documents:detail", pk=document.pk)


@staff_required()
def download(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    document = _document(request, pk, what="download")
    stored = document.files.filter(pk=file_id).first()
    if stored is None:
        raise Http404
    response = HttpResponse(storage.read(stored), content_type=stored.content_type)
    response["Content-Disposition"] = (
        f'inline; filename="van-ban-{document.arrival_number}-{stored.pk}.{stored.path.rsplit(".", 1)[-1]}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required()
def page_image(request: HttpRequest, pk: int, file_id: int, number: int) -> HttpResponse:
    """One page of a PDF as PNG, under the leader's drawing canvas."""
    document = _document(request, pk, what="page")
    stored = document.files.filter(pk=file_id, content_type="application/pdf").first()
    if stored is None:
        raise Http404
    pdf = pypdfium2.PdfDocument(storage.read(stored))
    if not 1 <= number <= len(pdf):
        raise Http404
    image = pdf[number - 1].render(scale=1.4).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return HttpResponse(buffer.getvalue(), content_type="image/png")


@staff_required()
def slip(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk, what="slip")
    response = HttpResponse(reports.slip_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-giai-quyet-{document.arrival_number}.pdf"'
    return response


def _unit_documents(request: HttpRequest) -> Any:
    documents = services.readable(request.user)
    year = _int(request.GET.get("year", ""))
    if year:
        documents = documents.filter(year=year)
    return documents


@staff_required(Role.CLERK, Role.UNIT_LEADER, Role.SPECIALIST)
def register_report(request: HttpRequest, fmt: str) -> HttpResponse:
    documents = _unit_documents(request)
    unit = _officer(request).primary_unit
    name = unit.name if unit else ""
    if fmt == "pdf":
        response = HttpResponse(reports.register_pdf(documents, name), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="so-van-ban-den.pdf"'
        return response
    return xlsx_response("so-van-ban-den.xlsx", reports.register_xlsx(documents))


@staff_required(Role.CLERK, Role.UNIT_LEADER, Role.SPECIALIST)
def status_report(request: HttpRequest, fmt: str) -> HttpResponse:
    documents = _unit_documents(request)
    unit = _officer(request).primary_unit
    name = unit.name if unit else ""
    if fmt == "pdf":
        response = HttpResponse(reports.status_pdf(documents, name), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="tinh-hinh-giai-quyet.pdf"'
        return response
    return xlsx_response("tinh-hinh-giai-quyet.xlsx", reports.status_xlsx(documents))
