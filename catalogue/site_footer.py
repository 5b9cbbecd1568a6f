"""Every storefront page's footer: the operator's particulars and the legal pages
(catalogue/models/legal.py). Kept in the cache for a few minutes, so a page costs no
query for it; an edit shows within FOOTER_SECONDS."""

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from wagtail.models import Site

from catalogue.models import InfoPage, SiteOperator

FOOTER_SECONDS = 300


@dataclass(frozen=True)
class Footer:
    name: str
    address: str
    phone: str
    email: str
    licence: str
    moit_url: str
    links: tuple[tuple[str, str], ...]  # (title, url) of each live legal page


def _build(site: Site | None) -> Footer:
    operator = SiteOperator.for_site(site) if site is not None else SiteOperator()
    pages = InfoPage.objects.live().public().order_by("path").only("title", "url_path")
    return Footer(
        name=operator.name,
        address=operator.address,
        phone=operator.phone,
        email=operator.email,
        licence=operator.licence,
        moit_url=operator.moit_url,
        links=tuple((page.title, page.get_url(None, current_site=site)) for page in pages),
    )


def footer_for(request: HttpRequest) -> Footer:
    site = Site.find_for_request(request)
    key = f"catalogue:footer:{site.pk if site else 0}:{get_language()}"
    footer = cache.get(key)
    if footer is None:
        footer = _build(site)
        cache.set(key, footer, FOOTER_SECONDS)
    return footer


def footer(request: HttpRequest) -> dict:
    """Context processor; evaluated only by templates that show the footer."""
    return {"site_footer": SimpleLazyObject(lambda: footer_for(request))}
