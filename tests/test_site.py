"""Public pages, the demo loader and the management commands."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import CommandError, call_command
from django.test import override_settings

from catalogue import stock
from catalogue.demo import _demo_hasher, _set_password
from catalogue.models import Certificate, Commune, ProducerPage, ProductPage, StockItem
from catalogue.producers import create_producer


def test_public_pages_render(coop, make_product, client):
    product = make_product(coop.page)
    stock.set_on_hand(product.variants.first().sku, 3)
    for url in ["/", "/san-pham/", "/chu-the-ocop/", coop.page.url, product.url]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(product.url).content.decode()
    assert "150.000\u00a0₫" in page
    assert "Đặc sản địa phương" in page  # no certificate yet: no stars
    assert "OCOP 5★" not in page
    assert "Chè Đinh Tân Cương" in client.get("/san-pham/").content.decode()


def test_draft_products_are_not_listed(coop, make_product, client):
    product = make_product(coop.page)
    product.unpublish()
    assert "Chè Đinh Tân Cương" not in client.get("/san-pham/").content.decode()


def test_listing_query_count_does_not_grow_with_products(
    coop, make_product, client, django_assert_max_num_queries
):
    for n in range(12):
        make_product(coop.page, title=f"Sản phẩm {n}")
    with django_assert_max_num_queries(17):  # 2 of them the footer's, on a cold cache
        assert client.get("/san-pham/").status_code == 200


def test_english_is_available(client, structure):
    response = client.get("/san-pham/", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


@pytest.mark.slow
@override_settings(DEBUG=True)
def test_load_demo_is_idempotent(structure, capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "admin" in first and "canbo.tinh" in first
    counts = (ProductPage.objects.count(), ProducerPage.objects.count(), StockItem.objects.count())
    assert counts[0] == 36
    call_command("load_demo")
    assert "0 producers and 0 products created" in capsys.readouterr().out
    assert counts == (
        ProductPage.objects.count(),
        ProducerPage.objects.count(),
        StockItem.objects.count(),
    )
    statuses = set(Certificate.objects.values_list("status", flat=True))
    assert statuses == {"valid", "expired"}  # both cases are shown
    tan_cuong = ProductPage.objects.get(title="Chè Đinh Tân Cương")
    assert tan_cuong.producer.commune.full_name == "Xã Tân Cương"
    assert ProductPage.objects.get(title="Na Cai Kinh").producer.commune.name == "Cai Kinh"


def test_load_demo_refuses_on_a_production_site(structure):
    with pytest.raises(CommandError):
        call_command("load_demo")


def test_create_producer_command_sets_up_everything(structure, capsys):
    call_command(
        "create_producer",
        "HTX Quảng Lạc",
        "--commune",
        "05977",
        "--username",
        "quanglac",
        "--phone",
        "0912 345 678",
    )
    out = capsys.readouterr().out
    producer = ProducerPage.objects.get(title="HTX Quảng Lạc")
    assert producer.live and producer.slug == "htx-quang-lac"
    assert producer.editors_group.user_set.filter(username="quanglac").exists()
    assert producer.collection.name == "HTX Quảng Lạc"
    assert "quanglac / " in out
    with pytest.raises(CommandError, match="quanglac"):
        call_command("create_producer", "HTX Khác", "--commune", "05977", "--username", "quanglac")
    assert not ProducerPage.objects.filter(title="HTX Khác").exists()
    with pytest.raises(CommandError, match="HTX Quảng Lạc"):
        call_command("create_producer", "HTX Quảng Lạc", "--commune", "05977", "--username", "x")


def test_generate_catalogue_writes_a_valid_tree(structure, client):
    from wagtail.models import Page

    from catalogue.synthetic import generate_catalogue

    result = generate_catalogue(250, per_producer=100)
    assert (result.producers, result.products, result.variants) == (3, 250, 750)
    assert Page.find_problems() == ([], [], [], [], [])
    product = ProductPage.objects.live().order_by("-pk").first()
    assert client.get(product.url).status_code == 200
    assert product.variants.count() == 3
    assert StockItem.objects.filter(sku__startswith=product.product_code).count() == 3
    codes = ProductPage.objects.values_list("product_code", flat=True)
    assert len(set(codes)) == 250


PBKDF2 = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def test_demo_accounts_are_hashed_quickly_and_rehashed_in_full_at_first_login(
    structure, settings, client
):
    settings.PASSWORD_HASHERS, settings.DEBUG = PBKDF2, True
    full = PBKDF2PasswordHasher.iterations
    _set_password("canbo.tinh", "mat-khau-demo")
    create_producer(
        title="HTX Demo",
        commune=Commune.objects.get(code="05977"),
        username="htx-demo",
        password="mat-khau-htx",
        password_hasher=_demo_hasher(),
    )
    users = get_user_model().objects
    for username in ("canbo.tinh", "htx-demo"):
        assert users.get(username=username).password.startswith(f"pbkdf2_sha256${full // 10}$")
    assert client.login(username="htx-demo", password="mat-khau-htx")
    assert users.get(username="htx-demo").password.startswith(f"pbkdf2_sha256${full}$")
    assert not client.login(username="canbo.tinh", password="sai")
    settings.DEBUG = False  # production (load_demo --force): hashed in full
    _set_password("canbo.tinh", "mat-khau-moi")
    assert users.get(username="canbo.tinh").password.startswith(f"pbkdf2_sha256${full}$")
