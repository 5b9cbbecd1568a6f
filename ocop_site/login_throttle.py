"""Wrong passwords are limited per account and per address on every login form (the
admin's and the shopper's), by django-axes: its attempts live in the database, so every
web process counts together. A locked account opens again after AXES_COOLOFF_TIME, or
when province staff unlock it (catalogue/login_locks.py)."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class ThrottledLogins(AxesStandaloneBackend):
    """Axes refuses an authenticate() call without a request; code that signs in
    without HTTP (tests' client.login, management commands) has nothing to throttle."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    context = {"minutes": settings.LOGIN_LOCK_MINUTES}
    return render(request, "login_locked.html", context, status=429)


def client_address(request: HttpRequest) -> str:
    """The shopper's address: the connection's, or behind PROXY_COUNT reverse proxies the
    one the outermost of them saw (X-Forwarded-For entries left of it can be forged)."""
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if settings.PROXY_COUNT and len(hops) >= settings.PROXY_COUNT and hops[-1]:
        return hops[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")
