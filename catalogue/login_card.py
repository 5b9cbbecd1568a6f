"""A producer's printable login card (A6): name, username, phone, the password when it was
just set, and a QR code that opens the admin's sign-in page with the username filled in."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from catalogue import qr
from catalogue.models import ProducerLogin

QR_SCALE = 4  # the print CSS sizes it in millimetres


@dataclass
class LoginCard:
    login: ProducerLogin
    login_url: str
    qr_svg: str
    password: str | None  # only on the response to the request that set it

    @property
    def phone(self) -> str:
        """ "0912345678" as people read it: "0912 345 678"."""
        phone = self.login.phone or ""
        return f"{phone[:4]} {phone[4:7]} {phone[7:]}" if phone else ""


def login_url(request: HttpRequest, username: str) -> str:
    """The sign-in page with the username filled in (catalogue.login_form reads it)."""
    page = request.build_absolute_uri(reverse("wagtailadmin_login"))
    return f"{page}?{urlencode({'username': username})}"


def login_card(request: HttpRequest, login: ProducerLogin, password: str | None) -> LoginCard:
    url = login_url(request, login.user.get_username())
    title = _("Mã QR đăng nhập của %(name)s") % {"name": login.producer.title}
    return LoginCard(login, url, qr.qr_svg(url, scale=QR_SCALE, title=title), password)
