"""The local OpenID Connect provider that stands in for VNeID in development and tests.

django-oauth-toolkit speaks the protocol (authorize, token, userinfo, JWKS, discovery at /o/); this
module adds the VNeID claims (name, phone_number, personal_id), a Vietnamese consent page, and the
provider's own sign-in page (the identity holder's password, as VNeID would ask for its own credentials).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oauth2_provider import views as oauth_views
from oauth2_provider.oauth2_validators import OAuth2Validator

from motcua.org.models import User, UserKind
from motcua.portal import demo


class VNeIDValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "personal_id": "profile", "phone_number": "phone"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "name": user.full_name or user.get_username(),
            "personal_id": user.personal_id or "",
            "phone_number": user.phone or "",
        }


class VNeIDAuthorizationView(oauth_views.AuthorizationView):
    validator_class = VNeIDValidator
    template_name = "portal/vneid_authorize.html"
    login_url = "/o/dang-nhap/"


class VNeIDTokenView(oauth_views.TokenView):
    validator_class = VNeIDValidator


class VNeIDUserInfoView(oauth_views.UserInfoView):
    validator_class = VNeIDValidator


class IdentityLoginForm(forms.Form):
    identifier = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân hoặc tên đăng nhập"), max_length=150
    )
    password = forms.CharField(label=gettext_lazy("Mật khẩu"), widget=forms.PasswordInput)


def identity_login(request):
    """The identity provider's own sign-in (demo: the `congdan` identity, password motcua-demo)."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    form = IdentityLoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        ident = form.cleaned_data["identifier"].strip()
        holder = User.objects.filter(kind=UserKind.CITIZEN, is_active=True, personal_id=ident).first()
        username = holder.get_username() if holder else ident
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is not None and user.kind == UserKind.CITIZEN:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url)
        error = _("Số định danh hoặc mật khẩu không đúng.")
    return render(
        request,
        "portal/vneid_login.html",
        {"form": form, "next": next_url, "error": error, "demo_identities": demo.demo_identities()},
    )
