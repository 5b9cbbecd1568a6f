"""The webhook a marketplace pushes to, one per channel (`/webhooks/<channel>/`): checked
and recorded by `connectors.push`, and an order change starts the channel's order pull
at once. Answers are fast and bodiless (Shopee wants a 2xx with an empty body, Lazada a
200 within 500 ms); the pull itself runs on a worker."""

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from background import tasks
from connectors import push
from connectors.models import Channel
from connectors.registry import descriptor

REFUSED = {
    push.Outcome.FORGED: (401, "Chữ ký không hợp lệ: thông báo không được ghi nhận."),
    push.Outcome.UNREADABLE: (400, "Không đọc được nội dung thông báo."),
}


@csrf_exempt
@require_POST
def marketplace_push(request: HttpRequest, slug: str) -> HttpResponse:
    channel = get_object_or_404(Channel, slug=slug)
    receiver = descriptor(channel.kind).push
    if receiver is None:
        return HttpResponse(status=404)
    # As registered in the marketplace's console, and as this request reached us.
    urls = [settings.WAGTAILADMIN_BASE_URL.rstrip("/") + request.get_full_path()]
    urls.append(request.build_absolute_uri())
    with transaction.atomic():
        outcome = push.receive(channel, receiver, urls, request.body, request.headers)
        if outcome is push.Outcome.ORDERS:
            tasks.orders_now(channel)
    if outcome in REFUSED:
        status, message = REFUSED[outcome]
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(status=200)
