"""Signed calls to the Lazop REST API, with the answer turned into data or a typed error.

GET parameters travel in the query and POST parameters as a form body (files as
multipart), as the official Python SDK sends them. Lazada reports errors in the JSON body
(`code` other than "0"), mostly with HTTP 200, so the body decides, not the status.
"""

import logging
import re
import time
from typing import Any

import requests

from connectors.base import AuthError, PermanentError, TransientError, UnknownOutcome
from connectors.lazada.signing import sign

log = logging.getLogger(__name__)

RATE_LIMIT_CODES = frozenset({"ApiCallLimit", "E901", "901"})
UNKNOWN_OUTCOME_CODES = frozenset({"ServiceTimeout"})  # the backend may have done it
AUTH_CODES = frozenset({"IllegalAccessToken", "IllegalRefreshToken"})
_BAN = re.compile(r"ban will last (\d+(?:\.\d+)?) second")


class DetailedError(PermanentError):
    """A refusal that names what it concerns: `detail` is Lazada's list of
    `{field, message, seller_sku}`, e.g. the SKUs of a price/stock batch that failed."""

    def __init__(self, message: str, code: str, detail: list[dict[str, Any]]):
        super().__init__(message, code)
        self.detail = detail


class LazadaClient:
    """One seller's API access. The app secret and tokens never reach a log line or an
    exception (a requests error would carry the query, so it is not chained)."""

    def __init__(
        self,
        base_url: str,
        app_key: str,
        app_secret: str,
        access_token: str = "",
        timeout: float = 10.0,
        session: requests.Session | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.app_key, self._app_secret = app_key, app_secret
        self.access_token = access_token
        self.timeout = timeout
        self.session = session or requests.Session()

    def call(
        self,
        api_path: str,
        params: dict[str, str] | None = None,
        *,
        method: str = "GET",
        files: dict[str, tuple[str, bytes]] | None = None,
        with_token: bool = True,
    ) -> dict[str, Any]:
        """The whole answer (`data` and friends) of a call that Lazada accepted."""
        signed = {
            "app_key": self.app_key,
            "timestamp": str(int(time.time() * 1000)),
            "sign_method": "sha256",
            **({"access_token": self.access_token} if with_token else {}),
            **(params or {}),
        }
        signed["sign"] = sign(self._app_secret, api_path, signed)
        url = self.base_url + api_path
        try:
            if method == "GET":
                response = self.session.get(url, params=signed, timeout=self.timeout)
            else:
                response = self.session.post(url, data=signed, files=files, timeout=self.timeout)
        except (requests.Timeout, requests.ConnectionError) as exc:
            log.warning("lazada %s %s: no answer (%s)", method, api_path, type(exc).__name__)
            raise UnknownOutcome(f"Lazada did not answer {api_path}.", "no_answer") from None
        return self._answer(api_path, response)

    def _answer(self, api_path: str, response: requests.Response) -> dict[str, Any]:
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            body = {}
        code = str(body.get("code", ""))
        message = str(body.get("message") or f"Lazada answered HTTP {status}.")
        log.debug("lazada %s: HTTP %s code %r", api_path, status, code)
        if status == 429 or code in RATE_LIMIT_CODES:
            retry_after = _seconds(response.headers.get("Retry-After")) or _ban_seconds(message)
            raise TransientError(message, code or "429", retry_after)
        if status >= 500 or code in UNKNOWN_OUTCOME_CODES:
            retry_after = _seconds(response.headers.get("Retry-After"))
            raise UnknownOutcome(message, code or str(status), retry_after)
        if code == "0":
            return body
        log.info("lazada %s refused: %s %s", api_path, code, message)
        if code in AUTH_CODES:
            raise AuthError(message, code)
        if isinstance(body.get("detail"), list) and body["detail"]:
            raise DetailedError(message, code, body["detail"])
        raise PermanentError(message, code or str(status))


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None  # an HTTP date: rare enough to fall back on the message


def _ban_seconds(message: str) -> float | None:
    match = _BAN.search(message)
    return float(match.group(1)) if match else None
