from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import match_token, user_has_device


class StaffLoginForm(AuthenticationForm):
    """Username + password, then the TOTP code when the officer has enrolled a device."""

    otp_token = forms.CharField(
        label=_("Mã xác thực (nếu đã bật xác thực hai lớp)"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản đã bị khóa."),
        "otp_required": _("Tài khoản này bật xác thực hai lớp: nhập mã 6 số từ ứng dụng xác thực."),
        "otp_invalid": _("Mã xác thực không đúng hoặc đã hết hạn."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")
        self.otp_device = None

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.kind != "staff" and not user.is_superuser:
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        if user_has_device(user):
            token = (self.cleaned_data.get("otp_token") or "").strip()
            if not token:
                raise forms.ValidationError(self.error_messages["otp_required"], code="otp_required")
            device = match_token(user, token)
            if device is None:
                raise forms.ValidationError(self.error_messages["otp_invalid"], code="otp_invalid")
            self.otp_device = device
