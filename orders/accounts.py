"""Optional shopper accounts: sign up, sign in, and the orders placed while signed in.
Nobody needs one to buy."""

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from orders.models import Order


def signup(request: HttpRequest) -> HttpResponse:
    form: UserCreationForm[User] = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.save())
        return redirect("orders_my_orders")
    return render(request, "orders/account/signup.html", {"form": form})


@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    assert request.user.is_authenticated  # login_required
    orders = Order.objects.filter(user=request.user).prefetch_related("sub_orders__producer")
    return render(request, "orders/account/orders.html", {"orders": orders})
