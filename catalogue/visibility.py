"""What an editor may see of pages, images and documents that are not theirs: a page
when it is live and not private (anyone may link to it) or when they may edit it (staff
may edit the whole site); an image or document when their collections let them choose it.

Imported by the page form, so it reads no catalogue model."""

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.models import PageViewRestriction
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

User = AbstractUser | AnonymousUser


def shown_pages(pages: QuerySet, user: User) -> QuerySet:
    """`pages` narrowed to those `user` may see in a chooser."""
    private = Q()
    for path in PageViewRestriction.objects.values_list("page__path", flat=True):
        private |= Q(path__startswith=path)
    public = Q(live=True) & ~private if private else Q(live=True)
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return pages.filter(public | Q(pk__in=editable.values("pk")))


def choosable(model, user: User) -> QuerySet:
    """Images or documents `user` may choose (their collections' choose permission)."""
    return policy_registry.get_by_type(model).instances_user_has_permission_for(user, "choose")
