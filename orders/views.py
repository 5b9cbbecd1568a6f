"""Shopper pages: cart, checkout (address → review → place), card payment, the order
page and lookup. Everything works as plain forms; JavaScript only fills the commune list
and runs Stripe's card form."""

import logging
from urllib.parse import urlsplit

import stripe
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from catalogue import stock
from catalogue.models import Commune, Province
from catalogue.numbers import int_or_none
from orders import checkout, consent, lookup_limit, payments
from orders.cart import Cart, by_producer
from orders.forms import (
    CONSENT_NEEDED,
    AddressForm,
    AddToCartForm,
    LookupForm,
    PlaceOrderForm,
)
from orders.models import Order, PaymentMethod

logger = logging.getLogger(__name__)

ADDRESS_KEY = "checkout_address"
MY_ORDERS_KEY = "my_orders"


def _remember(request: HttpRequest, order: Order) -> None:
    """This browser placed or looked up the order: it may see the order page."""
    numbers = request.session.get(MY_ORDERS_KEY, [])
    if order.number not in numbers:
        request.session[MY_ORDERS_KEY] = [*numbers, order.number][-20:]


def _may_see(request: HttpRequest, order: Order) -> bool:
    if order.number in request.session.get(MY_ORDERS_KEY, []):
        return True
    return request.user.is_authenticated and order.user_id == request.user.pk


# Cart


def cart_view(request: HttpRequest) -> HttpResponse:
    cart = Cart(request.session)
    if request.method == "POST":
        for key, value in request.POST.items():
            if key.startswith("qty-"):
                sku = key.removeprefix("qty-")
                quantity = int_or_none(value)
                if quantity is None:
                    messages.error(request, _("Số lượng phải là số nguyên, ví dụ 2."))
                    continue
                if sku in cart.items and quantity != cart.items[sku]:
                    result = cart.update(sku, quantity)
                    if result and 0 < result[0] < quantity:
                        messages.warning(
                            request, _("%(sku)s chỉ còn %(n)s.") % {"sku": sku, "n": result[1]}
                        )
        if "remove" in request.POST:
            cart.remove(request.POST["remove"])
        return redirect("orders_cart")
    lines = cart.lines()
    return render(
        request,
        "orders/cart.html",
        {
            "groups": by_producer(lines),
            "items_total": sum(line.line_total for line in lines),
            "has_short": any(line.short for line in lines),
        },
    )


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = AddToCartForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("orders_cart")
    if not form.is_valid():
        messages.error(request, _("Số lượng không hợp lệ (1–99)."))
        return redirect(back)
    sku, wanted = form.cleaned_data["sku"], form.cleaned_data["quantity"]
    result = Cart(request.session).add(sku, wanted)
    if result is None:
        messages.error(request, _("Sản phẩm này hiện không bán trực tuyến."))
    elif result[0] == 0:
        messages.error(request, _("Sản phẩm này đã hết hàng."))
    else:
        in_cart, available = result
        messages.success(
            request,
            _("Đã thêm vào giỏ hàng (%(n)s trong giỏ).") % {"n": in_cart}
            if in_cart >= wanted or available > in_cart
            else _("Chỉ còn %(n)s sản phẩm; giỏ hàng có %(n)s.") % {"n": available},
        )
    return redirect(back)


# Checkout


def checkout_address(request: HttpRequest) -> HttpResponse:
    if not Cart(request.session).items:
        return redirect("orders_cart")
    saved = request.session.get(ADDRESS_KEY)
    if request.method == "POST":
        form = AddressForm(request.POST)
        if "choose_province" not in request.POST and form.is_valid():
            request.session[ADDRESS_KEY] = form.as_session()
            return redirect("orders_checkout_review")
        if "choose_province" in request.POST:
            form = AddressForm(initial=request.POST.dict())
    else:
        form = AddressForm(initial=saved)
    return render(request, "orders/checkout_address.html", {"form": form})


def _saved_address(request: HttpRequest) -> checkout.Address | None:
    saved = request.session.get(ADDRESS_KEY)
    if not saved:
        return None
    commune = (
        Commune.objects.select_related("province")
        .filter(pk=saved["commune"], province_id=saved["province"])
        .first()
    )
    if commune is None:
        return None
    return checkout.Address(
        name=saved["name"],
        phone=saved["phone"],
        email=saved["email"],
        province=commune.province,
        commune=commune,
        street=saved["street"],
        note=saved["note"],
    )


def checkout_review(request: HttpRequest) -> HttpResponse:
    cart = Cart(request.session)
    address = _saved_address(request)
    if not cart.items:
        return redirect("orders_cart")
    if address is None:
        return redirect("orders_checkout")
    card_enabled = payments.card_payments_enabled()
    form = PlaceOrderForm(request.POST or None, card_enabled=card_enabled)
    if request.method == "POST" and form.is_valid():
        method = form.cleaned_data["payment_method"]
        try:
            with transaction.atomic():  # no order without its consent record
                order = checkout.place_order(
                    dict(cart.items),
                    address,
                    method,
                    form.cleaned_data["expected_total"],
                    user=request.user,
                )
                consent.record_for_order(order)
        except checkout.CheckoutError as error:
            messages.error(request, str(error))
            return redirect("orders_checkout_review")
        cart.clear()
        _remember(request, order)
        if method == PaymentMethod.CARD:
            return redirect("orders_pay", number=order.number)
        return redirect("orders_order", number=order.number)
    if request.method == "POST" and "consent" in form.errors:
        messages.error(request, CONSENT_NEEDED)
    elif request.method == "POST":
        messages.error(request, _("Hãy chọn một hình thức thanh toán có trong danh sách."))
    lines = cart.lines()
    quote = checkout.quote(lines, address.province)
    form = PlaceOrderForm(
        card_enabled=card_enabled,
        initial={"expected_total": quote.total, "payment_method": PaymentMethod.COD},
    )
    return render(
        request,
        "orders/checkout_review.html",
        {
            "address": address,
            "quote": quote,
            "form": form,
            "short": [line for line in lines if line.short],
            "privacy": consent.notice_page(),
        },
    )


# Card payment


def order_pay(request: HttpRequest, number: str) -> HttpResponse:
    order = get_object_or_404(Order, number=number, payment_method=PaymentMethod.CARD)
    if not _may_see(request, order):
        return redirect("orders_lookup")
    if request.method == "POST":  # try again after a failed card or an expired hold
        try:
            payments.hold_again(order)
        except stock.StockShortage:
            messages.error(request, _("Rất tiếc, hàng trong đơn đã hết; chưa thu tiền của bạn."))
            return redirect("orders_order", number=number)
        return redirect("orders_pay", number=number)
    if order.status != Order.Status.AWAITING_PAYMENT:
        return redirect("orders_order", number=number)
    try:
        client_secret = payments.create_intent(order)
    except payments.PaymentError as error:
        messages.error(request, str(error))
        return redirect("orders_order", number=number)
    response = render(
        request,
        "orders/pay.html",
        {
            "order": order,
            "client_secret": client_secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "stripe_js_url": settings.STRIPE_JS_URL,
            "return_url": request.build_absolute_uri(reverse("orders_order", args=[number])),
            "confirm_url": reverse("orders_pay_confirm", args=[number]),
            "hold_minutes": settings.ORDERS_HOLD_MINUTES,
        },
    )
    return _allow_stripe(response)


# Stripe.js frames and calls Stripe's hosts: https://docs.stripe.com/security/guide#content-security-policy
STRIPE_SCRIPTS = ["https://js.stripe.com", "https://*.js.stripe.com"]
STRIPE_FRAMES = [*STRIPE_SCRIPTS, "https://hooks.stripe.com"]
STRIPE_CALLS = ["https://api.stripe.com"]


def _allow_stripe(response: HttpResponse) -> HttpResponse:
    """Add Stripe.js from STRIPE_JS_URL (a test server's in tests) to this page's
    Content-Security-Policy (ocop_site/csp.py); django-csp reads `_csp_update`."""
    parts = urlsplit(settings.STRIPE_JS_URL)
    js = f"{parts.scheme}://{parts.netloc}"
    response._csp_update = {  # type: ignore[attr-defined]
        "script-src": [js, *STRIPE_SCRIPTS],
        "frame-src": [js, *STRIPE_FRAMES],
        "connect-src": [js, *STRIPE_CALLS],
    }
    return response


@require_POST
def order_pay_confirm(request: HttpRequest, number: str) -> JsonResponse:
    """Server-side confirmation of the order's intent with the browser's card (pay.js,
    for Stripe.js builds without `confirmPayment`)."""
    order = get_object_or_404(Order, number=number, payment_method=PaymentMethod.CARD)
    payment_method = request.POST.get("payment_method", "")
    if not _may_see(request, order) or not payment_method or not order.payment_intent_id:
        return JsonResponse({"error": _("Yêu cầu không hợp lệ.")}, status=400)
    if order.status == Order.Status.PAID:  # a second tap, or the webhook came first
        return JsonResponse({"status": "succeeded", "message": _("Đơn này đã thanh toán.")})
    if order.status not in payments.SETTLED_BY_PAYMENT:
        return JsonResponse({"error": _("Đơn này không còn chờ thanh toán.")}, status=409)
    try:
        payments.hold_again(order)  # after a refused card the hold was given back
        status, refused = payments.confirm_on_server(order, payment_method)
    except stock.StockShortage:
        return JsonResponse({"error": _("Rất tiếc, hàng trong đơn đã hết.")}, status=409)
    except payments.PaymentError as error:
        return JsonResponse({"error": str(error)}, status=502)
    if refused:
        return JsonResponse({"error": refused, "status": status})
    return JsonResponse({"status": status})


def _follow_intent(order: Order) -> None:
    """On the shopper's return from the card form, ask Stripe whether the payment went
    through rather than wait for the webhook; both end in the same idempotent step. A
    refused card is left to the webhook: the intent keeps its last error after the
    shopper tries again, so it cannot tell an old refusal from a new one."""
    if order.status not in payments.SETTLED_BY_PAYMENT or not order.payment_intent_id:
        return
    try:
        intent = payments.retrieve_intent(order.payment_intent_id)
    except stripe.StripeError:
        logger.warning("Stripe PaymentIntent retrieve failed for %s", order.number)
        return
    if intent.status == "succeeded":
        payments.mark_paid(order.pk, intent.amount, intent.currency)


def order_view(request: HttpRequest, number: str) -> HttpResponse:
    order = Order.objects.filter(number=number).first()
    if order is None or not _may_see(request, order):
        return redirect(reverse("orders_lookup") + f"?number={number}")
    _follow_intent(order)
    order = Order.objects.select_related("province", "commune").get(pk=order.pk)
    sub_orders = order.sub_orders.select_related("producer").prefetch_related("lines")
    return render(request, "orders/order.html", {"order": order, "sub_orders": sub_orders})


def order_lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None, initial={"number": request.GET.get("number", "")})
    if request.method == "POST" and form.is_valid():
        number, phone = form.cleaned_data["number"], form.cleaned_data["phone"]
        try:
            order = lookup_limit.look_up(
                number, phone, Order.objects.filter(number=number, phone=phone).first
            )
        except lookup_limit.TooManyTries:
            messages.error(request, _("Bạn đã thử quá nhiều lần. Hãy thử lại sau 10 phút."))
        else:
            if order is not None:
                _remember(request, order)
                return redirect("orders_order", number=order.number)
            messages.error(request, _("Không tìm thấy đơn hàng với số đơn và số điện thoại này."))
    return render(request, "orders/lookup.html", {"form": form})


# Stripe webhook


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Verified with Stripe's own library: a forged, altered or stale (over 5 minutes)
    signature gets 400 and changes nothing."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        logger.warning("Stripe webhook refused: STRIPE_WEBHOOK_SECRET is not set")
        return HttpResponseBadRequest("webhook not configured")
    try:
        event = stripe.Webhook.construct_event(
            request.body,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
        )
    except (ValueError, stripe.SignatureVerificationError):
        logger.warning("Stripe webhook refused: bad payload or signature")
        return HttpResponseBadRequest("invalid signature")
    outcome = payments.handle_event(event)
    return JsonResponse({"received": True, "outcome": outcome})


# Dependent select


@require_GET
def communes_json(request: HttpRequest) -> JsonResponse:
    province = int_or_none(request.GET.get("province"))
    if province is None or not Province.objects.filter(pk=province).exists():
        raise Http404
    communes = Commune.objects.filter(province_id=province, retired=False).order_by("name")
    return JsonResponse(
        {"communes": [{"id": c.pk, "name": c.full_name} for c in communes.only("full_name")]}
    )
