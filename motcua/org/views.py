from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from motcua.core import audit
from motcua.core.codes import qr_svg
from motcua.org import services
from motcua.org.forms import StaffLoginForm


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


@login_required
def staff_home(request):
    if request.user.kind != "staff" and not request.user.is_superuser:
        return redirect("home")
    return render(request, "org/home.html", {"roles": request.user._active_roles()})


@login_required
@require_http_methods(["GET", "POST"])
def totp_setup(request):
    """Enrol (or confirm) a TOTP authenticator for the signed-in officer."""
    device = services.totp_device(request.user)
    if request.method == "POST":
        if services.confirm_totp(request.user, request.POST.get("token", "")):
            messages.success(request, _("Đã bật xác thực hai lớp."))
            return redirect("staff-home")
        messages.error(request, _("Mã xác thực không đúng, vui lòng thử lại."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "org/totp.html",
        {"device": device, "secret": secret, "qr": qr_svg(device.config_url, scale=4)},
    )
