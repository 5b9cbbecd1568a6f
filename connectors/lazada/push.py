"""Lazada's push notifications, from `lazada-push-mechanism.md` and
`webhook-api-trade-order-notifications.md` (Lazada Open Platform guides, mirrored in
lazykern/ecommerce-api-docs):

- `Authorization` = HEX(HMAC-SHA256) of `{app_key} + {message body}` with the app
  secret (the guide's Java sample, whose worked example is a test here);
- "ack with Http status code 200 with in 500ms", or it is sent again every 30 min,
  up to 12 times;
- trade order messages are `message_type` 0, one per order line (`trade_order_line_id`),
  with `order_status` and `status_update_time`; reverse (return, refund) messages carry
  a `reverse_order_line_id` too. "Duplicate message pushed for same order? ... Message
  design is 'at least once push'. Idempotently consuming is required."
- Recommended use: the message, then /order/get, with a low-frequency pull kept "to
  protect from missing"."""

import hashlib
import hmac
from collections.abc import Mapping

from connectors.push import Notice, Receiver, content_key

TRADE_ORDER = 0


def sign(app_key: str, app_secret: str, body: bytes) -> str:
    return hmac.new(app_secret.encode(), app_key.encode() + body, hashlib.sha256).hexdigest()


def verify(url: str, body: bytes, headers: Mapping[str, str], secrets: Mapping[str, str]) -> bool:
    given = headers.get("authorization", "").strip().lower()
    key, secret = secrets.get("app_key", ""), secrets.get("app_secret", "")
    return bool(given and key and secret) and hmac.compare_digest(
        given.encode(), sign(key, secret, body).encode()
    )


def read(message: dict) -> Notice:
    """A trade order message (type 0, reverse orders included) asks for an order pull;
    other types are noted. Lazada keys duplicates by `trade_order_line_id`, which the
    content key includes."""
    return Notice(
        key=content_key(message),
        orders=int(message["message_type"]) == TRADE_ORDER,
        account=str(message.get("seller_id", "")),
    )


RECEIVER = Receiver(
    verify=verify,
    read=read,
    app_secret="app_key",
    console="Message Service của ứng dụng trên open.lazada.com",
)
