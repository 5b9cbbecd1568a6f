"""Shopee v2 request signature (the reference's vectors S1–S4)."""

import hashlib
import hmac


def sign(
    partner_key: str,
    partner_id: int | str,
    path: str,
    timestamp: int | str,
    access_token: str = "",
    shop_id: int | str = "",
) -> str:
    """Lower-case hex HMAC-SHA256 of `partner_id + path + timestamp + access_token +
    shop_id`, no separators. Public APIs (auth, shop authorisation) leave out the token
    and shop; the body is never signed."""
    base = f"{partner_id}{path}{timestamp}{access_token}{shop_id}"
    return hmac.new(partner_key.encode(), base.encode(), hashlib.sha256).hexdigest()
