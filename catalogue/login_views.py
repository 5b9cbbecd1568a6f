"""Admin screens for producers' logins: staff create a producer with its first login, staff
and a producer's helpers print its login card and give it a new password. A new password
is shown only in the response to the request that set it (never stored in clear, put in a
URL or the session, or logged), and that response is not cached."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from catalogue.login_card import login_card
from catalogue.logins import is_producer_login, set_new_password
from catalogue.models import ProducerLogin
from catalogue.new_producer_form import NewProducerForm
from catalogue.producers import create_producer
from catalogue.scope import scope_for, signed_in_user


def refused_with_403(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A plain 403 page instead of Wagtail's redirect to the dashboard: a helper who taps
    a card they may not open should read why, where they tapped."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            context = {"page_title": _("Không được phép"), "reason": str(refusal)}
            return TemplateResponse(request, "catalogue/admin/refused.html", context, status=403)

    return wrapped


def managed_login(request: HttpRequest, producer_id: int) -> ProducerLogin:
    """The producer's login if this user may handle it: staff for every producer, a helper
    for the producers it helps. A producer may not (403), even its own: a new password is
    for when it has forgotten it. Another producer's login is not found (404)."""
    user = signed_in_user(request)
    scope = scope_for(user)
    if not scope.all_producers and is_producer_login(user):
        raise PermissionDenied(
            _(
                "Chỉ cán bộ OCOP tỉnh và người hỗ trợ của chủ thể mới làm được việc này. "
                "Khi quên mật khẩu, hãy nhờ họ đặt mật khẩu mới."
            )
        )
    login = (
        ProducerLogin.objects.filter(producer_id=producer_id)
        .select_related("user", "producer")
        .order_by("pk")
        .first()
    )
    if login is None or not scope.includes(producer_id):
        raise Http404
    return login


def _card(request: HttpRequest, login: ProducerLogin, password: str | None) -> HttpResponse:
    context = {"card": login_card(request, login, password), "page_title": _("Thẻ đăng nhập")}
    return TemplateResponse(request, "catalogue/admin/login_card.html", context)


@never_cache
@refused_with_403
def new_producer_view(request: HttpRequest) -> HttpResponse:
    if not scope_for(signed_in_user(request)).all_producers:
        raise PermissionDenied(_("Chỉ cán bộ OCOP tỉnh tạo được chủ thể mới."))
    form = NewProducerForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = create_producer(
                title=data["title"],
                commune=data["commune"],
                producer_type=data["producer_type"],
                phone=data["phone"],
            )
        except ValidationError as error:  # the name or the number is taken
            by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for field, messages in by_field.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return _card(request, created.login, created.password)
    context = {"form": form, "page_title": _("Tạo chủ thể OCOP")}
    return TemplateResponse(request, "catalogue/admin/new_producer.html", context)


@refused_with_403
def login_card_view(request: HttpRequest, producer_id: int) -> HttpResponse:
    return _card(request, managed_login(request, producer_id), None)


@never_cache
@require_POST
@refused_with_403
def new_password_view(request: HttpRequest, producer_id: int) -> HttpResponse:
    login = managed_login(request, producer_id)
    return _card(request, login, set_new_password(login, signed_in_user(request)))
