"""The admin's sign-in form (WAGTAILADMIN_USER_LOGIN_FORM): a producer types its username
or its mobile number however it writes it, "remember me" starts ticked (a producer signs in
on its own phone and should not have to again), and the QR of a login card fills the
username in with ?username=."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

from catalogue.logins import username_for

# What Django's username validator accepts (ours are ASCII slugs); anything else in the
# query string is ignored rather than shown.
_USERNAME = re.compile(r"[\w.@+-]{1,150}", re.ASCII)


class PhoneOrUsernameLoginForm(LoginForm):
    username = forms.CharField(
        label=_("Tên đăng nhập hoặc số điện thoại"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    remember = forms.BooleanField(label=_("Ghi nhớ đăng nhập"), required=False, initial=True)

    error_messages = {
        **LoginForm.error_messages,
        "invalid_login": _(
            "Sai tên đăng nhập (hoặc số điện thoại) hoặc mật khẩu. Hãy kiểm tra và thử lại."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs["placeholder"] = _("Ví dụ 0912 345 678")
        self.fields["password"].widget.attrs["placeholder"] = _("Nhập mật khẩu")
        prefilled = request.GET.get("username", "") if request is not None else ""
        if not self.is_bound and _USERNAME.fullmatch(prefilled):
            self.initial["username"] = prefilled
            del self.fields["username"].widget.attrs["autofocus"]
            self.fields["password"].widget.attrs["autofocus"] = ""

    def clean(self):
        typed = self.cleaned_data.get("username")
        if typed:
            self.cleaned_data["username"] = username_for(typed)
        return super().clean()
