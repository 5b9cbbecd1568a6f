"""The fixed top of the page tree: Home, the products index and the producers index."""

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.url_routing import RouteResult

from .base import CataloguePage
from .producers import ProducerPage
from .products import ProductPage

PAGE_SIZE = 24


class HomePage(CataloguePage):
    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = CataloguePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "catalogue.ProductsIndexPage",
        "catalogue.ProducersIndexPage",
        "catalogue.InfoPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("trang chủ")

    def route(self, request, path_components):
        """Product pages in one query instead of two per tree level (six).

        Products always sit three levels below home (index → producer → product: see the
        page types' parent_page_types), so a three-part path is looked up directly, with
        what the product page shows about its producer and category joined in.
        """
        if len(path_components) == 3:
            page = (
                ProductPage.objects.filter(
                    slug=path_components[-1],
                    url_path=f"{self.url_path}{'/'.join(path_components)}/",
                    live=True,
                )
                .select_related("producer__commune__province", "ocop_category")
                .first()
            )
            if page is not None:
                return RouteResult(page)
        return super().route(request, path_components)


class ProductsIndexPage(CataloguePage):
    """The storefront listing (`/san-pham/`): search, filters with counts, sorting, pages.

    Everything is in the query string, so any view of the catalogue is a shareable link.
    """

    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = CataloguePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["catalogue.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("danh mục sản phẩm")

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if response.context_data["listing"].errors:
            response.status_code = 400  # the page explains; crawlers should not index it
        return response


class ProducersIndexPage(CataloguePage):
    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = CataloguePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["catalogue.HomePage"]
    subpage_types = ["catalogue.ProducerPage"]
    max_count = 1

    class Meta:
        verbose_name = _("danh sách chủ thể OCOP")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        producers = (
            ProducerPage.objects.live()
            .public()
            .select_related("commune__province", "logo")
            .order_by("title")
        )
        context["producers"] = Paginator(producers, PAGE_SIZE).get_page(request.GET.get("page"))
        return context


__all__ = ["HomePage", "ProducersIndexPage", "ProductsIndexPage"]
