"""robots.txt; the sitemap itself is Wagtail's view (live, public pages only)."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

DISALLOWED = ("/admin/", "/django-admin/")


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in DISALLOWED),
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('catalogue_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
