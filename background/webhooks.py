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
    push.Outcome.TOO_BIG: (413, "Thông báo quá lớn."),
    push.Outcome.NO_SECRETS: (503, "Chưa kiểm tra được chữ ký: khoá của kênh không đọc được."),
}


@csrf_exempt
@require_POST
def marketplace_push(request: HttpRequest, slug: str) -> HttpResponse:
    channel = get_object_or_404(Channel, slug=slug)
    receiver = descriptor(channel.kind).push
    if receiver is None:
        return HttpResponse(status=404)
    # Shopee signs the callback URL as registered: the site's public address (behind a
    # proxy), or failing that the address as the request reached us. Either way only a
    # holder of the channel's key can sign it.
    urls = [settings.WAGTAILADMIN_BASE_URL.rstrip("/") + request.get_full_path()]
    urls.append(request.build_absolute_uri())
    with transaction.atomic():
        received = push.receive(channel, receiver, urls, request.body, request.headers)
        for target in received.channels:
            tasks.orders_now(target)
    if received.outcome in REFUSED:
        status, message = REFUSED[received.outcome]
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(status=200)  # Shopee: "a status code of 2xx" and "an empty body"
