"""Optional shopper accounts: sign up, sign in, and the orders placed while signed in.
Nobody needs one to buy."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from orders import consent, personal_data
from orders.forms import SignupForm
from orders.models import Order


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            consent.record_for_account(user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("orders_my_orders")
    return render(
        request, "orders/account/signup.html", {"form": form, "privacy": consent.notice_page()}
    )


@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    assert request.user.is_authenticated  # login_required
    orders = Order.objects.filter(user=request.user).prefetch_related("sub_orders__producer")
    return render(request, "orders/account/orders.html", {"orders": orders})


class EraseForm(forms.Form):
    """Deleting an account cannot be undone: the password is asked again."""

    password = forms.CharField(label=gettext_lazy("Mật khẩu"), widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mật khẩu không đúng."))
        return password


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """What the shop holds about the shopper: download it, or delete the account."""
    user = request.user
    assert user.is_authenticated  # login_required
    admin_account = personal_data.is_admin_account(user)
    form = EraseForm(user, request.POST or None)
    if request.method == "POST" and not admin_account and form.is_valid():
        waiting = personal_data.erase_account(user, timezone.now())
        logout(request)
        messages.success(request, _("Đã xoá tài khoản của bạn."))
        if waiting:
            messages.info(
                request,
                _(
                    "%(count)s đơn hàng gần đây sẽ được xoá thông tin cá nhân sau %(days)s ngày"
                    " kể từ ngày đặt, khi đã hết thời hạn đổi trả."
                )
                % {"count": waiting, "days": settings.ERASURE_HOLD_DAYS},
            )
        return redirect("/")
    context = {
        "form": form,
        "admin_account": admin_account,
        "privacy": consent.notice_page(),
        "hold_days": settings.ERASURE_HOLD_DAYS,
        "retention_years": settings.PERSONAL_DATA_RETENTION_DAYS // 365,
    }
    return render(request, "orders/account/data.html", context)


@login_required
@require_POST
def my_data_download(request: HttpRequest) -> HttpResponse:
    assert request.user.is_authenticated  # login_required
    body = json.dumps(personal_data.export(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="du-lieu-ca-nhan.json"'
    return response
