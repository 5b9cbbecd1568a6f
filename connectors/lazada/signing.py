"""Lazop request signing (official `signature-algorithm.md`, `lazop_sdk/base.py::sign`)."""

import hashlib
import hmac
from collections.abc import Mapping


def sign(app_secret: str, api_path: str, params: Mapping[str, str]) -> str:
    """UPPER-case hex HMAC-SHA256 of the API path followed by every parameter as
    `key+value`, sorted by name. `sign` itself is left out; file parameters are never
    passed in here (they are not signed)."""
    base = api_path + "".join(f"{key}{params[key]}" for key in sorted(params) if key != "sign")
    return hmac.new(app_secret.encode(), base.encode(), hashlib.sha256).hexdigest().upper()
