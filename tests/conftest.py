import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection, connections
from django.test.utils import setup_databases, teardown_databases
from django.urls import reverse
from pytest_django.fixtures import _get_databases_for_setup

from catalogue import stock
from catalogue.demo import load_demo
from catalogue.models import Commune, OcopCategory, ProductPage, ProductVariant
from catalogue.producers import create_producer
from catalogue.roles import PROVINCE_STAFF_GROUP
from catalogue.site_setup import ensure_site_structure
from catalogue.storefront import reference
from catalogue.text import slugify_vi
from orders import checkout
from orders.checkout import Address
from orders.models import PaymentMethod
from tests import database
from tests.localstripe_server import localstripe_server

pytest_plugins = ["tests.markets"]  # the `market` fixture

PASSWORD = "test-pass-1234"


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """pytest-django's database set-up, from a copy of a migrated template instead of
    running every migration again (tests/database.py); `migrate` on the copy finds
    nothing to do. The copy is dropped at the end. (--reuse-db and --create-db have no
    effect: a copy is always fresh and takes under a second.)"""
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        for alias in aliases:
            database.name_per_process(connections[alias].settings_dict)
            database.clone_template(connections[alias].settings_dict)
        config = setup_databases(
            verbosity=0,
            interactive=False,
            keepdb=True,
            aliases=aliases,  # type: ignore[arg-type]  # a set, as Django uses it (the stub says Mapping)
            serialized_aliases=serialized_aliases,
        )
    yield
    with django_db_blocker.unblock():
        database.close_connections()
        try:
            teardown_databases(config, verbosity=0, keepdb=False)
        except Exception as error:  # noqa: BLE001 - as pytest-django: a warning, not a failure
            request.node.warn(pytest.PytestWarning(f"Test database not dropped: {error!r}"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The storefront caches reference data and its version; the database is rolled back
    after every test, so the caches must be too."""
    forget_caches()
    yield
    forget_caches()


def forget_caches() -> None:
    cache.clear()
    reference.forget()


def _restore(django_db_blocker, snapshot: str | None = None) -> None:
    """The test database as the snapshot (None: freshly migrated), committed."""
    with django_db_blocker.unblock():
        database.restore(connection.settings_dict, snapshot)
    forget_caches()


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker):
    """The demo catalogue loaded once per process and kept as a snapshot (see
    committed_demo)."""
    with django_db_blocker.unblock():
        database.restore(connection.settings_dict)
        load_demo()
        database.snapshot(connection.settings_dict, "demo")
    yield
    with django_db_blocker.unblock():
        database.drop_snapshot(connection.settings_dict, "demo")


@pytest.fixture(scope="module")
def demo_catalogue(_demo_snapshot, django_db_blocker):
    """The demo catalogue (36 real OCOP products) for a whole test module: the snapshot
    is restored (committed) before the module and the migrated database after it; each
    test still runs in its own rolled-back transaction (tests in it still need `db`)."""
    _restore(django_db_blocker, "demo")
    yield
    _restore(django_db_blocker)


@pytest.fixture
def committed_demo(_demo_snapshot, django_db_blocker):
    """The demo catalogue, committed and untouched by earlier tests, for a test whose live
    server or worker processes read the data (they cannot see a test's transaction).
    Mark the test `django_db(transaction=True)`; no serialized rollback is needed, since
    the next such test starts from the snapshot again."""
    _restore(django_db_blocker, "demo")


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    """A freshly migrated database, as committed_demo but without the demo."""
    _restore(django_db_blocker)


@pytest.fixture
def structure(db):
    return ensure_site_structure()


@pytest.fixture
def make_producer(structure):
    def make(title="HTX Chè Hảo Đạt", commune_code="05977", **fields):
        return create_producer(
            title=title,
            commune=Commune.objects.get(code=commune_code),
            username=slugify_vi(title),
            password=PASSWORD,
            **fields,
        )

    return make


@pytest.fixture
def make_product():
    def make(producer_page, title="Chè Đinh Tân Cương", category="I.5a", variants=None):
        page = ProductPage(
            title=title,
            ocop_category=OcopCategory.objects.get(code=category),
            variants=[
                ProductVariant(name=name, price=price, weight_grams=300)
                for name, price in (variants or [("Hộp 200 g", 150_000), ("Hộp 500 g", 350_000)])
            ],
        )
        producer_page.add_child(instance=page)
        page.save_revision().publish()
        return ProductPage.objects.get(pk=page.pk)

    return make


@pytest.fixture
def coop(make_producer):
    return make_producer()


@pytest.fixture
def other_coop(make_producer):
    return make_producer(title="HTX Miến Việt Cường", commune_code="05983")


@pytest.fixture
def shop(coop, other_coop, make_product):
    """Two producers with one product each, every variant stocked with 10 units."""
    tea = make_product(coop.page)
    noodles = make_product(
        other_coop.page,
        title="Miến dong Việt Cường",
        category="I.1a",
        variants=[("Gói 500 g", 60_000)],
    )
    for product in (tea, noodles):
        for variant in product.variants.all():
            stock.set_on_hand(variant.sku, 10)
    return {"tea": tea, "noodles": noodles}


@pytest.fixture
def address(db):
    commune = Commune.objects.select_related("province").get(code="05983")
    return Address(
        name="Nguyễn Thị Lan",
        phone="0912345678",
        email="lan@example.vn",
        province=commune.province,
        commune=commune,
        street="12 Lê Lợi",
    )


@pytest.fixture
def place(address):
    """Place an order for {sku: quantity} at today's prices (COD unless told)."""

    def place_order(quantities, method=PaymentMethod.COD, to=None, user=None):
        lines = checkout.fresh_lines(quantities)
        total = checkout.quote(lines, (to or address).province).total
        return checkout.place_order(quantities, to or address, method, total, user=user)

    return place_order


@pytest.fixture(scope="session")
def localstripe():
    """A fake Stripe server (localstripe) on 127.0.0.1 for the whole test session."""
    with localstripe_server() as url:
        yield url


def admin_denied(response) -> bool:
    """Wagtail answers a denied admin request with a redirect to the dashboard and a
    message (and 403 to XHR); either way nothing of the page is shown."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


@pytest.fixture
def staff(django_user_model, structure):
    """A province OCOP staff member."""
    user = django_user_model.objects.create_user("canbo", password=PASSWORD)
    user.groups.add(Group.objects.get(name=PROVINCE_STAFF_GROUP))
    return user


@pytest.fixture
def as_staff(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def as_coop(client, coop):
    assert client.login(username=coop.user.username, password=PASSWORD)
    return client
