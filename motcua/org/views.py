from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from motcua.core import audit
from motcua.core.codes import qr_svg
from motcua.org import home, services
from motcua.org.forms import StaffLoginForm
from motcua.org.gates import staff_required


class StaffLoginView(auth_views.LoginView):
    template_name = "org/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)
        audit.record("org.staff_login", actor=form.get_user(), obj=form.get_user())
        return response


@staff_required()
def staff_home(request):
    """Each role's own work (`org.home`: sections registered by the apps)."""
    return render(request, "org/home.html", home.context(request.user))


@staff_required()
@require_http_methods(["GET", "POST"])
def totp_setup(request):
    """Enrol (or confirm) a TOTP authenticator for the signed-in officer.

    GET only reads: enrolment starts with a POST (a cross-site GET must not create a device), and the
    seed is shown only while the enrolment is pending, never once the authenticator is on."""
    device = services.totp_device(request.user)
    if request.method == "POST":
        if device is None:
            device = services.start_totp_enrolment(request.user)
        elif not device.confirmed and "token" in request.POST:
            if services.confirm_totp(request.user, request.POST.get("token", "")):
                messages.success(request, _("Đã bật xác thực hai lớp."))
                return redirect("staff-home")
            messages.error(request, _("Mã xác thực không đúng, vui lòng thử lại."))
    context: dict[str, object] = {"device": device}
    if device is not None and not device.confirmed:
        context["secret"] = base64.b32encode(device.bin_key).decode().rstrip("=")
        context["qr"] = qr_svg(device.config_url, scale=4)
    return render(request, "org/totp.html", context)
