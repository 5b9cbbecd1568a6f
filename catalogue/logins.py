"""Producers' logins: usernames made from the name, mobile numbers to sign in with, and
new passwords that staff or a helper read out or print. Passwords are only ever returned
to the caller that shows them once; they are stored hashed and never logged."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from wagtail.log_actions import log

from catalogue.models import ProducerLogin
from catalogue.text import slugify_vi
from catalogue.validators import normalize_mobile_vn, validate_mobile_vn

USERNAME_LENGTH = 40  # of the name part; a suffix "-2", "-3", … may follow
NEW_PASSWORD_ACTION = "catalogue.new_password"  # in the producer page's history


def generate_password() -> str:
    """Readable over the phone to an elderly producer: no look-alike characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


def login_phone(value: str) -> str | None:
    """The one form a mobile number is stored and looked up in ("+84 912 345 678",
    "84912345678" and "0912 345 678" → "0912345678"); None if it is not a mobile number."""
    try:
        validate_mobile_vn(value)
    except ValidationError:
        return None
    return normalize_mobile_vn(value)


def check_phone_free(phone: str | None) -> None:
    """Raises ValidationError if another login already signs in with this number."""
    if phone is not None and ProducerLogin.objects.filter(phone=phone).exists():
        raise ValidationError(
            {"phone": f"Số điện thoại {phone} đã dùng để đăng nhập cho một chủ thể khác."}
        )


def unique_username(title: str) -> str:
    """ "HTX Chè Đinh" → "htx-che-dinh", or "htx-che-dinh-2" if that is taken."""
    base = slugify_vi(title)[:USERNAME_LENGTH].rstrip("-") or "chu-the"
    taken = set(
        get_user_model()
        .objects.filter(username__startswith=base)
        .values_list("username", flat=True)
    )
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def username_for(typed: str) -> str:
    """What the login form authenticates: the username of the login with this mobile
    number, else what was typed (a username)."""
    phone = login_phone(typed)
    if phone is not None:
        login = ProducerLogin.objects.filter(phone=phone).select_related("user").first()
        if login is not None:
            return login.user.get_username()
    return typed.strip()


def is_producer_login(user: AbstractBaseUser) -> bool:
    """The producer itself, not one of its helpers (who may reset its password)."""
    return ProducerLogin.objects.filter(user_id=user.pk).exists()


def set_new_password(login: ProducerLogin, by: AbstractBaseUser) -> str:
    """A fresh password for the producer's login, returned once for the screen that shows
    it; the producer's other sessions end (Django checks the password hash). Who did it
    and when goes in the producer page's history, the password does not."""
    password = generate_password()
    login.user.set_password(password)
    login.user.save(update_fields=["password"])
    log(login.producer, NEW_PASSWORD_ACTION, user=by, data={"username": login.user.username})
    return password
