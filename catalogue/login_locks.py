"""Province staff see which logins are paused after too many wrong passwords and open
them again (an elderly producer who forgot the password should not wait out the pause).
The attempts are django-axes' records (ocop_site/login_throttle.py)."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages

from catalogue.scope import scope_for


def _check(request: HttpRequest) -> None:
    if not scope_for(request.user).all_producers:
        raise PermissionDenied


def locked_attempts():
    """Paused logins: as many failures as the limit, within the pause."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")


def login_locks_view(request: HttpRequest) -> HttpResponse:
    _check(request)
    if request.method == "POST":
        attempt = locked_attempts().filter(pk=request.POST.get("attempt", "")).first()
        if attempt is None:
            messages.error(request, _("Lượt khoá này đã hết hoặc đã được mở."))
        else:
            reset(username=attempt.username or None, ip=attempt.ip_address or None)
            messages.success(
                request, _("Đã mở khoá đăng nhập cho %(name)s.") % {"name": attempt.username}
            )
        return redirect("catalogue_login_locks")
    return TemplateResponse(
        request,
        "catalogue/admin/login_locks.html",
        {
            "page_title": _("Đăng nhập bị tạm khoá"),
            "header_icon": "lock",
            "attempts": locked_attempts(),
            "minutes": settings.LOGIN_LOCK_MINUTES,
        },
    )
