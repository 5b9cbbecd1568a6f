"""Optional shopper accounts: sign up, sign in, and the orders placed while signed in.
Nobody needs one to buy."""

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from orders import consent
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
