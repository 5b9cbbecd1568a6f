"""Signed HTTP calls to Shopee v2, with the envelope turned into the engine's errors.

Shopee reports most failures in the JSON body (`error` non-empty), whatever the HTTP
status; the status only matters when there is no envelope (a proxy's 5xx, a 429).
"""

import logging
import time
from typing import Any

import requests

from connectors.base import (
    AuthError,
    MarketplaceError,
    PermanentError,
    TransientError,
    UnknownOutcome,
)

from . import spec
from .signing import sign

logger = logging.getLogger(__name__)

# From the `error_list` and `common_error_list` of Shopee's specifications (spec/*.json):
# - a refused token: "invalid_acceess_token" (sic), "refresh_token_expired", and
#   "error_auth" when its message is "Invalid access_token." (a refresh cures it) or
#   "Invalid refresh_token." (the seller must authorise again); every other
#   "error_auth" ("No permission to current api.", "Invalid partner_id or shopid.", "The
#   App is deleted…", "App developer's permissions … restricted") is a standing refusal,
#   and refreshing for it would spend the single-use refresh token for nothing;
TOKEN_ERRORS = frozenset({"invalid_acceess_token", "invalid_access_token", "refresh_token_expired"})
# - worth trying again later: the server side, and the daily call cap ("error_limit",
#   reset at 00:00 UTC+8); "error_inner" only when its message says so ("System error,
#   please try again later…", "Our system is taking some time to respond…"), for it also
#   carries refusals ("Update item failed …", "Invalid stock location ID").
SERVER_ERRORS = frozenset(
    {"error_server", "error_system_busy", "error_network", "error_busy", "internal_error"}
)
LATER = ("try again", "try later", "taking some time")
PUBLIC_PATHS = spec.public_paths()


class ShopeeClient:
    """One shop's signed calls over one `requests.Session`. `access_token` may be replaced
    after a refresh."""

    def __init__(
        self,
        base_url: str,
        partner_id: int,
        partner_key: str,
        shop_id: int,
        access_token: str = "",
        timeout: float = 10.0,
        session: requests.Session | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.partner_id, self.shop_id = int(partner_id), int(shop_id)
        self.access_token = access_token
        self.timeout = timeout
        self.session = session or requests.Session()
        self._partner_key = partner_key

    def get(self, path: str, params: dict[str, Any]) -> dict:
        """A read: business parameters go in the query; answers `response`."""
        return self.call("GET", path, params=params).get("response") or {}

    def post(self, path: str, body: dict[str, Any]) -> dict:
        """A write with a JSON body; answers `response`."""
        return self.call("POST", path, body=body).get("response") or {}

    def call(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> dict:
        """The whole envelope (token calls answer at the top level), or a MarketplaceError."""
        query = {**(params or {}), **self._common_params(path)}
        write = method != "GET"
        try:
            reply = self.session.request(
                method,
                self.base_url + path,
                params=query,
                json=body if files is None else None,
                files=files,
                timeout=self.timeout,
            )
        # `from None`: the requests error names the URL, whose query holds token and sign.
        except requests.ConnectTimeout:  # never reached the server
            error = TransientError("Shopee: connection timed out.", "timeout")
            raise self._log(path, error) from None
        except (requests.Timeout, requests.ConnectionError):
            kind = UnknownOutcome if write else TransientError
            error = kind("Shopee: no answer (timeout or dropped).", "timeout")
            raise self._log(path, error) from None
        return self._envelope(path, reply, write)

    def _common_params(self, path: str) -> dict[str, Any]:
        """Public APIs are signed (and sent) without token and shop."""
        timestamp = int(time.time())
        if path in PUBLIC_PATHS:
            identity: dict[str, Any] = {}
        else:
            identity = {"access_token": self.access_token, "shop_id": self.shop_id}
        return {
            "partner_id": self.partner_id,
            "timestamp": timestamp,
            **identity,
            "sign": sign(self._partner_key, self.partner_id, path, timestamp, **identity),
        }

    def _envelope(self, path: str, reply: requests.Response, write: bool) -> dict:
        try:
            data = reply.json()
        except ValueError:
            data = None
        data = data if isinstance(data, dict) else {}
        code, status = str(data.get("error") or ""), reply.status_code
        if not code and status == 200:
            return data
        short = code.rsplit(".", 1)[-1]  # "product.error_param" → "error_param"
        message = str(data.get("message") or code or f"HTTP {status}")
        said = message.lower()
        error: MarketplaceError
        said_token = said.replace(" token", "_token")
        if short in TOKEN_ERRORS or (
            short == "error_auth"
            and ("invalid access_token" in said_token or "invalid refresh_token" in said_token)
        ):
            error = AuthError(message, code)
        elif short == "error_rate_limit" or status == 429:
            error = TransientError(message, code or "error_rate_limit", _retry_after(reply))
        elif short == "error_limit":
            error = TransientError(message, code)  # the daily cap: the next passes try again
        elif (
            status >= 500
            or short in SERVER_ERRORS
            or (short in ("error_inner", "error_auth") and any(w in said for w in LATER))
        ):
            # The call reached the server: a write may have been done.
            error = (UnknownOutcome if write else TransientError)(message, code or f"http_{status}")
        else:
            error = PermanentError(message, code or f"http_{status}")
        raise self._log(path, error)

    @staticmethod
    def _log(path: str, error: MarketplaceError) -> MarketplaceError:
        """Path and code only: the query carries the token and the signature."""
        logger.warning("shopee %s: %s %s", path, type(error).__name__, error.code)
        return error


def _retry_after(reply: requests.Response) -> float | None:
    try:
        return float(reply.headers["Retry-After"])
    except (KeyError, ValueError):
        return None
