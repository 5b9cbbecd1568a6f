"""What Wagtail 8.0's own admin views show without asking: each view below answers a GET
with titles of pages, images, documents or certificates whatever the user's rights
(found by trying them as one cooperative against another). `AdminReadGuard` asks before
the view runs and answers 403. The page choosers and the admin API are narrowed by the
hooks in wagtail_hooks.py and catalogue/admin_api.py, with the querysets of
catalogue/visibility.py (what may be shown at all).
"""

from collections.abc import Callable

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permissions import policy_registry

from catalogue.numbers import int_or_none
from catalogue.scope import scope_for
from catalogue.visibility import shown_pages


def _ids(request: HttpRequest) -> list[int] | None:
    """The ?id= values, or None when one is not a number."""
    ids = [int_or_none(value) for value in request.GET.getlist("id")]
    return None if None in ids else [i for i in ids if i is not None]


def _may_move(request: HttpRequest, kwargs: dict) -> bool:
    page = Page.objects.filter(pk=kwargs["page_to_move_id"]).first()
    destination = Page.objects.filter(pk=kwargs["destination_id"]).first()
    if page is None or destination is None:
        return True  # Wagtail answers 404
    return page.permissions_for_user(request.user).can_move_to(destination)


def _may_act_on(request: HttpRequest, kwargs: dict) -> bool:
    """Every object of a bulk action must be one the user may change: Wagtail lists the
    others by title as 'no access'."""
    model = {
        ("wagtailcore", "page"): Page,
        ("wagtailimages", "image"): get_image_model(),
        ("wagtaildocs", "document"): get_document_model(),
    }.get((kwargs["app_label"].lower(), kwargs["model_name"].lower()))
    if model is None or scope_for(request.user).all_producers:
        return True
    if "all" in request.GET.getlist("id"):
        if model is not Page:
            return True  # Wagtail's own listing query keeps to changeable ones
        parent = Page.objects.filter(pk=int_or_none(request.GET.get("childOf"))).first()
        return parent is not None and parent.permissions_for_user(request.user).can_edit()
    ids = _ids(request)
    if ids is None:
        return False
    policy = policy_registry.get_by_type(model)  # Wagtail's page policy for Page
    editable = policy.instances_user_has_permission_for(request.user, "change")
    return editable.filter(pk__in=ids).count() == len(set(ids))


def _may_browse(request: HttpRequest, kwargs: dict) -> bool:
    """The chooser shows the parent page's title: a parent the user may not see is
    refused (its children are narrowed by the construct_page_chooser_queryset hook)."""
    pages = Page.objects.filter(pk=kwargs["parent_page_id"])
    if not pages.exists():
        return True  # Wagtail answers 404
    explorable = policy_registry.get_by_type(Page).explorable_instances(request.user)
    return (
        shown_pages(pages, request.user).exists()
        or explorable.filter(pk=kwargs["parent_page_id"]).exists()
    )


def _may_choose(request: HttpRequest, kwargs: dict) -> bool:
    ids = _ids(request)
    if ids is None:
        return False
    return shown_pages(Page.objects.filter(pk__in=ids), request.user).count() == len(set(ids))


def _may_see_snippets(namespace: str) -> Callable[[HttpRequest, dict], bool]:
    """Wagtail names a snippet's chooser "wagtailsnippetchoosers_<app>_<model>"."""
    model = next(
        (m for m in apps.get_models() if f"{m._meta.app_label}_{m._meta.model_name}" == namespace),
        None,
    )

    def check(request: HttpRequest, kwargs: dict) -> bool:
        if model is None or scope_for(request.user).all_producers:
            return scope_for(request.user).all_producers
        return any(
            request.user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")
            for action in ("view", "change", "add", "delete")
        )

    return check


def _is_staff(request: HttpRequest, kwargs: dict) -> bool:
    return scope_for(request.user).all_producers


GUARDS: dict[str, Callable[[HttpRequest, dict], bool]] = {
    "wagtailadmin_pages:move_confirm": _may_move,
    "wagtail_bulk_action": _may_act_on,
    "wagtailadmin_choose_page_child": _may_browse,
    "wagtailadmin_choose_page_chosen_multiple": _may_choose,
    # Lists every page type with the last page edited, private ones included.
    "wagtailadmin_reports:page_types_usage": _is_staff,
}
SNIPPET_CHOOSERS = "wagtailsnippetchoosers_"


def _guard_for(view_name: str) -> Callable[[HttpRequest, dict], bool] | None:
    if view_name.startswith(SNIPPET_CHOOSERS):
        return _may_see_snippets(view_name.removeprefix(SNIPPET_CHOOSERS).split(":")[0])
    return GUARDS.get(view_name)


class AdminReadGuard:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        guard = _guard_for(match.view_name) if match is not None else None
        if guard is not None and request.user.is_authenticated and not guard(request, view_kwargs):
            raise PermissionDenied
