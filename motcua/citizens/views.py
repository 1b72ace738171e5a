"""Staff pages: a citizen's registry data (for staff handling one of their dossiers), the look-up log and
the connector's metrics (auditors)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from motcua.citizens import selectors, services
from motcua.citizens.validation import validate_personal_id
from motcua.org.gates import staff_required


@staff_required()
@require_GET
def index(request):
    user = request.user
    auditor = selectors.is_auditor(user) or user.is_superuser
    return render(
        request,
        "citizens/index.html",
        {
            "auditor": auditor,
            "metrics": selectors.metrics() if auditor else [],
            "services": services.allowed_services(user),
            "review_sessions": selectors.sees_intake_sessions(user),
            "unlinked_sessions": selectors.intake_sessions_without_case(user),
        },
    )


@staff_required()
@require_GET
def message_log(request):
    user = request.user
    if not (selectors.is_auditor(user) or user.is_superuser):
        raise PermissionDenied
    qs = selectors.messages_for_auditor(
        user,
        subject_id=request.GET.get("id", ""),
        actor=request.GET.get("actor", ""),
        dossier_code=request.GET.get("dossier", ""),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "citizens/log.html", {"page": page, "q": request.GET})


@staff_required()
@require_http_methods(["GET", "POST"])
def person(request):
    """A citizen's data from the registry, for an officer handling one of the citizen's dossiers.

    A GET (a link from a dossier) only fills the form: the registry is asked, and the look-up logged and
    counted, on the officer's POST, so a link followed cross-site never makes a look-up in their name."""
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    personal_id = (source.get("id") or "").strip()
    dossier_code = (source.get("dossier") or "").strip()
    context = {"personal_id": personal_id, "dossier_code": dossier_code, "result": None, "error": ""}
    if personal_id:
        try:
            validate_personal_id(personal_id)
        except Exception as exc:  # noqa: BLE001 - ValidationError
            context["error"] = " ".join(getattr(exc, "messages", [str(exc)]))
            return render(request, "citizens/person.html", context, status=400)
        if not selectors.can_view_citizen(user, personal_id, dossier_code):
            raise PermissionDenied
        if request.method != "POST":
            return render(request, "citizens/person.html", context)
        dossier = selectors.dossier_for_staff(dossier_code, user)
        procedure = getattr(getattr(dossier, "procedure", None), "code", "") or ""
        result = services.lookup_person(
            personal_id, actor=user, procedure_code=procedure, dossier_code=dossier_code
        )
        context["result"] = result
        context["rows"] = [
            (label, selectors.display_value(name, result.fields.get(name, "")))
            for name, label in selectors.SHARED_FIELDS
        ]
    return render(request, "citizens/person.html", context)


def person_url(personal_id: str, dossier_code: str) -> str:
    return reverse("citizens:person") + "?" + urlencode({"id": personal_id, "dossier": dossier_code})


@staff_required()
def home_redirect(request):
    return redirect("citizens:index")
