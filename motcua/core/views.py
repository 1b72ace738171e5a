from django.core.paginator import Paginator
from django.shortcuts import render

from motcua.core.models import OutboundMessage
from motcua.core.scoping import ALL, scope_for


def permission_denied(request, exception=None):
    return render(request, "core/error.html", {"code": 403}, status=403)


def not_found(request, exception=None):
    return render(request, "core/error.html", {"code": 404}, status=404)


def outbox(request):
    """The local outbox viewer: messages the demo's gateways would have sent (staff only, unit-scoped).

    Bodies are shown as stored, that is with every secret masked (`notify.SECRET_MASK`): no role, not even
    a superuser, reads a citizen's one-time code or signed link here.
    """
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scope = scope_for(request.user)
    if scope == ():
        raise PermissionDenied
    messages = OutboundMessage.objects.all()
    if scope is not ALL:
        messages = messages.filter(unit_id__in=scope)
    page = Paginator(messages, 50).get_page(request.GET.get("page"))
    return render(request, "core/outbox.html", {"page": page})


def favicon(request):
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("motcua/favicon.svg"))
