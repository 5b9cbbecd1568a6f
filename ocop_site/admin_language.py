"""The admin speaks Vietnamese whatever the phone's language: producers, helpers and
province staff often have phones set to English, and LocaleMiddleware would follow the
browser's Accept-Language. The storefront still follows the shopper's choice."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation

ADMIN_LANGUAGE = "vi"


class AdminInVietnamese:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(reverse("wagtailadmin_home")):
            translation.activate(ADMIN_LANGUAGE)
            request.LANGUAGE_CODE = ADMIN_LANGUAGE
        return self.get_response(request)
