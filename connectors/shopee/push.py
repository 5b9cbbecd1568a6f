"""Shopee's push mechanism (webhooks), from `push-mechanism-notifications.md` (Shopee
Open Platform, getting-started guide, mirrored in lazykern/ecommerce-api-docs):

- "Use URL, |, response.content as the signature base string", HMAC-SHA256 with the
  partner key, hex: the `Authorization` header (vector S5 in the reference);
- answer "a status code of 2xx" with "an empty body", or Shopee sends it again;
- Order Status Update Push is code 3 ("all order status updates"); it only says that
  an order changed, "make a call to the corresponding API" for the order itself.
  Its data names the order (`ordersn`), its `status` and `update_time`."""

import hashlib
import hmac
from collections.abc import Mapping

from connectors.push import Notice, Receiver, content_key

ORDER_STATUS = 3


def sign(partner_key: str, url: str, body: bytes) -> str:
    base = url.encode() + b"|" + body
    return hmac.new(partner_key.encode(), base, hashlib.sha256).hexdigest()


def verify(url: str, body: bytes, headers: Mapping[str, str], secrets: Mapping[str, str]) -> bool:
    given = headers.get("authorization", "").strip().lower()
    key = secrets.get("partner_key", "")
    return bool(given and key) and hmac.compare_digest(
        given.encode(), sign(key, url, body).encode()
    )


def read(message: dict) -> Notice:
    """Order Status Update Push (code 3) asks for an order pull; other codes are noted."""
    return Notice(
        key=content_key(message),
        orders=int(message["code"]) == ORDER_STATUS,
        account=str(message.get("shop_id", "")),
    )


RECEIVER = Receiver(
    verify=verify,
    read=read,
    app_secret="partner_id",
    account_secret="shop_id",
    console="Push Mechanism của ứng dụng trên Shopee Open Platform Console",
)
