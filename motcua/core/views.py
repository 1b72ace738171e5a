from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from motcua.core.models import DemoPhoneMessage, OutboundMessage
from motcua.core.notify import demo_number_labels, is_demo_number
from motcua.core.scoping import ALL, scope_for
from motcua.core.validation import InvalidPhone, normalise_phone


# Error pages: Vietnamese, in the site's layout (handlers in motcua/urls.py, CSRF_FAILURE_VIEW in settings).
@requires_csrf_token
def bad_request(request: HttpRequest, exception: object = None) -> HttpResponse:
    return render(request, "core/error.html", {"code": 400}, status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: object = None) -> HttpResponse:
    return render(request, "core/error.html", {"code": 403}, status=403)


@requires_csrf_token
def not_found(request: HttpRequest, exception: object = None) -> HttpResponse:
    return render(request, "core/error.html", {"code": 404}, status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was older than the browser's session (signed in or out in another tab, or left open)."""
    message = _(
        "Trang đã hết hiệu lực, thường do bạn vừa đăng nhập hoặc đăng xuất ở một thẻ khác. "
        "Vui lòng tải lại trang rồi thực hiện lại thao tác."
    )
    back = request.path if request.method == "POST" else "/"
    return render(request, "core/error.html", {"code": 403, "message": message, "back": back}, status=403)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that could fail again: the plain template with the request only.
    template = loader.get_template("core/error.html")
    return HttpResponse(template.render({"code": 500, "request": request}), status=500)


def demo_phone(request: HttpRequest) -> HttpResponse:
    """The demo's phone: the SMS and Zalo messages a demo number received (one-time codes included).

    Exists only while MOTCUA_DEMO_PHONE is on (refused in production, motcua.E003), and shows only the
    numbers of MOTCUA_DEMO_PHONE_NUMBERS: a real citizen's messages never appear here.
    """
    if not settings.MOTCUA_DEMO_PHONE:
        raise Http404
    raw = request.GET.get("so", "")
    phone, error = "", ""
    try:
        phone = normalise_phone(raw, mobile=True)
    except InvalidPhone:
        error = _("Số điện thoại không hợp lệ.")
    if phone and not is_demo_number(phone):
        error = _("Số %(phone)s không phải số điện thoại trình diễn: tin nhắn tới số này không hiển thị ở đây.") % {
            "phone": phone
        }
    inbox = DemoPhoneMessage.objects.filter(recipient=phone)[:20] if phone and not error else []
    return render(
        request,
        "core/demo_phone.html",
        {
            "phone": phone or raw,
            "inbox": inbox,
            "error": error,
            "numbers": demo_number_labels(),
        },
        status=400 if error else 200,
    )


def outbox(request):
    """The local outbox viewer: messages the demo's gateways would have sent (staff only, unit-scoped).

    Bodies are shown as stored, that is with every secret masked (`notify.SECRET_MASK`): no role, not even
    a superuser, reads a citizen's one-time code or signed link here.
    """
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scope = scope_for(request.user, personal=True)
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
