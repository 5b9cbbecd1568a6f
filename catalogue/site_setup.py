"""The fixed skeleton of the site: Home, products index, producers index, the legal pages,
staff role."""

from dataclasses import dataclass

from django.db import transaction
from wagtail.models import Page, Site

from catalogue.legal_pages import ensure_legal_pages
from catalogue.models import HomePage, ProducersIndexPage, ProductsIndexPage
from catalogue.roles import ensure_province_staff

PRODUCTS_SLUG = "san-pham"
PRODUCERS_SLUG = "chu-the-ocop"


@dataclass
class SiteStructure:
    home: HomePage
    products_index: ProductsIndexPage
    producers_index: ProducersIndexPage


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _ensure_home() -> HomePage:
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    # Wagtail's install leaves a plain "Welcome" page at /home/; our home replaces it.
    for welcome in root.get_children().filter(slug="home").exact_type(Page):
        Site.objects.filter(root_page=welcome).delete()
        welcome.delete()
    home = _publish(
        root,
        HomePage(
            title="Sản phẩm OCOP",
            slug="home",
            intro="<p>Sản phẩm OCOP và đặc sản địa phương, mua trực tiếp từ hợp tác xã.</p>",
        ),
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": home.title},
    )
    return home


@transaction.atomic
def ensure_site_structure() -> SiteStructure:
    """Create whatever of the skeleton is missing; safe to call any number of times."""
    home = _ensure_home()
    products = ProductsIndexPage.objects.first() or _publish(
        home, ProductsIndexPage(title="Sản phẩm", slug=PRODUCTS_SLUG)
    )
    producers = ProducersIndexPage.objects.first() or _publish(
        home, ProducersIndexPage(title="Chủ thể OCOP", slug=PRODUCERS_SLUG)
    )
    ensure_legal_pages(home)
    ensure_province_staff(home, producers)
    return SiteStructure(home=home, products_index=products, producers_index=producers)
