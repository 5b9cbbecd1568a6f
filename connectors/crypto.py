"""Marketplace secrets at rest: Fernet (AES-128-CBC + HMAC) with a key from settings.

`CONNECTORS_ENCRYPTION_KEY` (a Fernet key, `Fernet.generate_key()`) should be set in
production and kept outside the database backup; without it a key is derived from
SECRET_KEY so a fresh install works. Rotating either makes stored secrets unreadable:
re-enter them (`channel_add`)."""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SecretsUnreadable(Exception):
    """The stored secrets were encrypted with another key."""


def _fernet() -> Fernet:
    key = settings.CONNECTORS_ENCRYPTION_KEY
    if not key:
        digest = hashlib.sha256(b"ocop-connectors:" + settings.SECRET_KEY.encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


def encrypt(values: dict[str, str]) -> str:
    return _fernet().encrypt(json.dumps(values, sort_keys=True).encode()).decode()


def decrypt(token: str) -> dict[str, str]:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        raise SecretsUnreadable(
            "Không đọc được khoá bí mật của kênh (khoá mã hoá đã đổi): hãy nhập lại."
        ) from None


def mask(value: str) -> str:
    """Enough to recognise a secret, never enough to use it: "••••3f9a"."""
    return "••••" + value[-4:] if len(value) > 8 else "••••"
