"""The Lazada connector against its signing vectors and a real sandbox over HTTP."""

import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from connectors.base import (
    AuthError,
    ListingPayload,
    PermanentError,
    SkuChange,
    SkuPayload,
    TransientError,
    UnknownOutcome,
)
from connectors.lazada.adapter import BATCH_LIMIT, LazadaAdapter, auth_url, parse_time
from connectors.lazada.client import LazadaClient
from connectors.lazada.sandbox import DEFAULT_APP_KEY, DEFAULT_APP_SECRET, LazadaSandbox
from connectors.lazada.signing import sign
from connectors.sandbox.server import serve

PRICE_QUANTITY = "/rest/product/price_quantity/update"
SELLABLE = "/rest/product/stock/sellable/update"

# Signing: vectors L1–L3 of /work/shared/reference/marketplaces.md

L2_PARAMS = {
    "app_key": "123456",
    "timestamp": "1517820392000",
    "sign_method": "sha256",
    "access_token": "50000601c30atpedfgu3LVvik87Ixlsvle3mSoB7701ceb156fPunYZ43GBg",
    "filter": "live",
    "limit": "10",
    "offset": "0",
}


def test_sign_l1_doc_example():
    params = {"foo": "1", "bar": "2", "foo_bar": "3", "foobar": "4"}
    expected = "BD011266EC150C787B2201495AA2D6F326BB6910DE77E84EA28F5215DCD7FA5E"
    assert sign("helloworld", "/test/api", params) == expected


def test_sign_l2_products_get():
    expected = "3B63BAAE230BFD6220C505BFCFF234F164F0686765BDA73CD1E17A1FAF2A9765"
    assert sign("test_secret", "/products/get", L2_PARAMS) == expected


def test_sign_l3_with_sdk_partner_id_and_sign_left_out():
    params = {**L2_PARAMS, "partner_id": "lazop-sdk-python-20181207", "sign": "ignored"}
    expected = "F9FEA97BACA6E38F727D244FEBDF35EF5DC977F75EAFF0B92BAE95C91949ED89"
    assert sign("test_secret", "/products/get", params) == expected


# A real sandbox on 127.0.0.1


@dataclass
class Running:
    sandbox: LazadaSandbox
    server: ThreadingHTTPServer
    url: str
    token: str
    refresh_token: str

    def adapter(self, token: str | None = None, **options) -> LazadaAdapter:
        options = {"app_secret": DEFAULT_APP_SECRET, **options}
        return LazadaAdapter(
            self.url + "/rest", DEFAULT_APP_KEY, access_token=token or self.token, **options
        )

    def control(self, path: str, body: dict | None = None) -> dict:
        method = "POST" if body is not None else "GET"
        response = requests.request(method, self.url + path, json=body, timeout=5)
        response.raise_for_status()
        return response.json()


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[[], Running]]:
    """Starts a sandbox on the test's state file (again: a restart); all stop afterwards."""
    servers = []

    def run() -> Running:
        sandbox = LazadaSandbox(state_file=tmp_path / "lazada.json")
        server = serve(sandbox, 0)
        poll = {"poll_interval": 0.05}  # a quick shutdown
        threading.Thread(target=server.serve_forever, kwargs=poll, daemon=True).start()
        servers.append(server)
        with sandbox.state.lock:
            tokens = sandbox.state.data["tokens"]
        if tokens:
            access, token = next(iter(tokens.items()))
            pair = {"access_token": access, "refresh_token": token["refresh_token"]}
        else:
            pair = sandbox.issue_tokens()
        url = f"http://127.0.0.1:{server.server_port}"
        return Running(sandbox, server, url, pair["access_token"], pair["refresh_token"])

    yield run
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def lazada(start: Callable[[], Running]) -> Running:
    return start()


def listing(code: str, variants: int, image: str, **attributes: str) -> ListingPayload:
    return ListingPayload(
        product_code=code,
        title=f"Chè Thái Nguyên {code}",
        description="Chè búp khô, hái tay.",
        category_id="10002019",
        attributes={"brand_id": "30768", **attributes},
        image_ids=[image],
        skus=[
            SkuPayload(f"{code}-{n}", f"Hộp {n * 100} g", 50_000 + n * 1000, 10 + n, 100 * n)
            for n in range(1, variants + 1)
        ],
    )


@pytest.fixture
def image(lazada: Running) -> str:
    return lazada.adapter().upload_image(b"\x89PNG fake image bytes", "che.png")


def stock_changes(items, value: int) -> list[SkuChange]:
    return [
        SkuChange(item.external_id, sku.external_id, sku.seller_sku, value)
        for item in items
        for sku in item.skus
    ]


def test_upload_image_gives_a_lazada_url(image: str):
    assert image.startswith("https://") and "slatic.net" in image


def test_create_multi_variant_then_find_item(lazada: Running, image: str):
    adapter = lazada.adapter()
    created = adapter.create_item(
        listing("19-00001", 3, image, brand="HTX Tân Cương", brand_id="7")
    )
    assert [sku.seller_sku for sku in created.skus] == ["19-00001-1", "19-00001-2", "19-00001-3"]

    found = adapter.find_item("19-00001", ["19-00001-2"])
    assert found is not None and found.external_id == created.external_id
    assert {(s.seller_sku, s.external_id) for s in found.skus} == {
        (s.seller_sku, s.external_id) for s in created.skus
    }
    assert found.skus[0].price == 51_000 and found.skus[0].stock == 11
    stored = lazada.control("/_sandbox/state")["items"][created.external_id]
    # "brand" is deprecated for brand_id (create-a-product.md), so only the id is sent.
    assert stored["attributes"]["brand_id"] == "7" and "brand" not in stored["attributes"]
    assert stored["skus"][1]["package"]["package_weight"] == "0.2"
    assert adapter.find_item("19-99999", ["19-99999-1"]) is None


def test_create_refusals_are_permanent_and_clear(lazada: Running, image: str):
    adapter = lazada.adapter()
    adapter.create_item(listing("19-00002", 1, image))
    with pytest.raises(PermanentError, match="19-00002-1 already exists"):
        adapter.create_item(listing("19-00002", 1, image))
    bad = listing("19-00003", 1, "https://example.com/a.jpg", package_height="0")
    with pytest.raises(PermanentError) as refused:
        adapter.create_item(bad)
    assert "not a Lazada image URL" in refused.value.message
    assert "package_height must be positive" in refused.value.message


def test_stock_for_120_skus_takes_three_calls(lazada: Running, image: str):
    adapter = lazada.adapter()
    items = [adapter.create_item(listing(f"20-0000{n}", 30, image)) for n in range(4)]
    calls_before = lazada.control("/_sandbox/calls").get(SELLABLE, 0)

    outcomes = adapter.update_stock(stock_changes(items, 7))

    assert BATCH_LIMIT == 50
    assert lazada.control("/_sandbox/calls")[SELLABLE] - calls_before == 3
    assert len(outcomes) == 120 and all(outcome.error is None for outcome in outcomes)
    assert {sku.stock for item in adapter.items() for sku in item.skus} == {7}


def test_partial_failure_fails_only_the_bad_skus(lazada: Running, image: str):
    adapter = lazada.adapter()
    item = adapter.create_item(listing("21-00001", 3, image))
    first, second, third = item.skus
    changes = [
        SkuChange(item.external_id, first.external_id, first.seller_sku, 40),
        SkuChange(item.external_id, "999999", "21-00001-9", 5),
        SkuChange(item.external_id, third.external_id, third.seller_sku, 0),
    ]

    outcomes = {o.seller_sku: o.error for o in adapter.update_stock(changes)}

    assert outcomes["21-00001-1"] is None and outcomes["21-00001-3"] is None
    assert outcomes["21-00001-9"] is not None
    assert "not in this shop" in outcomes["21-00001-9"].message
    found = adapter.find_item("", ["21-00001-1"])
    assert found is not None
    stocks = {s.seller_sku: s.stock for s in found.skus}
    assert stocks == {"21-00001-1": 40, "21-00001-2": 12, "21-00001-3": 0}

    negative = [SkuChange(item.external_id, second.external_id, second.seller_sku, -1)]
    [outcome] = adapter.update_stock(negative)
    assert isinstance(outcome.error, PermanentError) and outcome.error.code == "InvalidParameter"
    assert "SellableQuantity must be at least 0" in outcome.error.message


def test_prices_update_and_read_back(lazada: Running, image: str):
    adapter = lazada.adapter()
    item = adapter.create_item(listing("22-00001", 2, image))
    outcomes = adapter.update_prices(stock_changes([item], 89_000))
    assert [o.error for o in outcomes] == [None, None]
    assert [sku.price for sku in next(adapter.items()).skus] == [89_000, 89_000]


def test_update_item_changes_content_and_adds_a_sku(lazada: Running, image: str):
    adapter = lazada.adapter()
    item = adapter.create_item(listing("23-00001", 1, image))
    bigger = listing("23-00001", 2, image)
    adapter.update_item(item, replace(bigger, title="Chè mới"))
    found = adapter.find_item("23-00001", ["23-00001-1"])
    assert found is not None
    assert found.external_id == item.external_id
    assert [s.seller_sku for s in found.skus] == ["23-00001-1", "23-00001-2"]
    assert lazada.control("/_sandbox/state")["items"][item.external_id]["name"] == "Chè mới"


def test_delist_deactivates_the_item(lazada: Running, image: str):
    adapter = lazada.adapter()
    item = adapter.create_item(listing("24-00001", 1, image))
    adapter.delist(item)
    assert [i.status for i in adapter.items()] == ["InActive"]


def test_items_pages_through_the_shop(lazada: Running, image: str):
    adapter = lazada.adapter()
    for n in range(52):
        adapter.create_item(listing(f"25-{n:05}", 1, image))
    assert len({item.external_id for item in adapter.items()}) == 52


def test_sandbox_enforces_the_documented_limits(lazada: Running):
    client = LazadaClient(lazada.url + "/rest", DEFAULT_APP_KEY, DEFAULT_APP_SECRET, lazada.token)
    sku = "<Sku><SellerSku>x</SellerSku><Quantity>1</Quantity></Sku>"
    payload = f"<Request><Product><Skus>{sku * 51}</Skus></Product></Request>"
    with pytest.raises(PermanentError) as too_many:
        client.call(PRICE_QUANTITY.removeprefix("/rest"), {"payload": payload}, method="POST")
    assert (too_many.value.code, too_many.value.message) == (
        "InvalidParameter",
        "The specified parameter is not valid: Request.Product.Skus.Sku takes at most 50"
        " entries, not 51",
    )
    with pytest.raises(PermanentError) as too_long:
        client.call("/products/get", {"filter": "all", "limit": "51"})
    assert too_long.value.message.endswith("limit must be at most 50")
    with pytest.raises(PermanentError) as no_filter:
        client.call("/products/get", {"limit": "5"})
    assert no_filter.value.code == "MissingParameter"


def test_forged_signature_is_refused(lazada: Running):
    with pytest.raises(PermanentError) as refused:
        list(lazada.adapter(app_secret="not-the-secret").items())
    assert refused.value.code == "IncompleteSignature"


def test_expired_token_is_an_auth_error(lazada: Running):
    expired = lazada.control("/_sandbox/tokens", {"expires_in": -1})["access_token"]
    with pytest.raises(AuthError):
        list(lazada.adapter(token=expired).items())


def test_refresh_rotates_the_token_pair(lazada: Running):
    adapter = lazada.adapter()
    with lazada.sandbox.state.lock:
        [issued] = lazada.sandbox.state.data["tokens"].values()
    tokens = adapter.refresh(lazada.refresh_token)
    assert tokens.access_token != lazada.token and tokens.refresh_token != lazada.refresh_token
    # "the duration of the refresh token will not be reset" (seller-authorization-introduction)
    assert tokens.authorisation_expires_at is not None
    assert abs(tokens.authorisation_expires_at - issued["refresh_expires_at"]) < 2
    assert list(adapter.items()) == []  # the adapter now uses the new token
    with pytest.raises(AuthError):
        list(lazada.adapter(token=lazada.token).items())
    with pytest.raises(AuthError):
        adapter.refresh(lazada.refresh_token)


def test_rate_limit_is_transient_with_retry_after(lazada: Running, image: str):
    adapter = lazada.adapter()
    item = adapter.create_item(listing("26-00001", 1, image))
    lazada.control("/_sandbox/faults", {"rate_limit": 1, "retry_after": 2})
    with pytest.raises(TransientError) as limited:
        for _ in range(5):
            list(adapter.items())
    assert limited.value.code == "ApiCallLimit" and limited.value.retry_after == 2
    for _ in range(5):
        outcomes = adapter.update_stock(stock_changes([item], 3))
        if outcomes[0].error:
            break
    assert isinstance(outcomes[0].error, TransientError) and outcomes[0].error.retry_after == 2


def test_injected_server_error_is_transient(lazada: Running, image: str):
    adapter = lazada.adapter()
    item = adapter.create_item(listing("27-00001", 2, image))
    lazada.control("/_sandbox/faults", {"error_rate": 1})
    with pytest.raises(TransientError):
        list(adapter.items())
    outcomes = adapter.update_stock(stock_changes([item], 3))
    assert all(isinstance(o.error, TransientError) for o in outcomes)


def test_lost_create_is_unknown_and_then_found(lazada: Running, image: str):
    lazada.control("/_sandbox/faults", {"lost_create_rate": 1})
    adapter = lazada.adapter()
    with pytest.raises(UnknownOutcome):
        adapter.create_item(listing("27-00002", 1, image))
    assert adapter.find_item("27-00002", ["27-00002-1"]) is not None


def test_timeout_is_an_unknown_outcome(lazada: Running):
    lazada.control("/_sandbox/faults", {"timeout_rate": 1, "timeout_seconds": 1})
    with pytest.raises(UnknownOutcome):
        list(lazada.adapter(timeout=0.2).items())


def test_secrets_stay_out_of_logs_and_errors(lazada: Running, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG, logger="connectors.lazada")
    adapter = lazada.adapter(timeout=0.2)
    list(adapter.items())
    with pytest.raises(PermanentError):
        adapter.client.call("/products/get", {"limit": "99"})
    lazada.control("/_sandbox/faults", {"timeout_rate": 1, "timeout_seconds": 1})
    with pytest.raises(UnknownOutcome) as timed_out:
        list(adapter.items())
    assert timed_out.value.__cause__ is None and timed_out.value.__suppress_context__
    assert caplog.records
    for secret in (lazada.token, DEFAULT_APP_SECRET, "sign="):
        assert secret not in caplog.text and secret not in str(timed_out.value)


def test_orders_since_sees_new_then_cancelled_orders(lazada: Running, image: str):
    adapter = lazada.adapter()
    adapter.create_item(listing("28-00001", 2, image))
    lines = [
        {"seller_sku": "28-00001-1", "quantity": 2},
        {"seller_sku": "28-00001-2", "quantity": 1},
    ]
    order_id = lazada.control("/_sandbox/orders", {"lines": lines})["order_id"]

    orders, cursor = adapter.orders_since("")
    assert [(o.external_id, o.state) for o in orders] == [(order_id, "open")]
    assert {(line.seller_sku, line.quantity) for line in orders[0].lines} == {
        ("28-00001-1", 2),
        ("28-00001-2", 1),
    }
    assert [sku.stock for sku in next(adapter.items()).skus] == [9, 11]

    lazada.control(f"/_sandbox/orders/{order_id}/cancelled", {})
    orders, cursor = adapter.orders_since(cursor)
    assert [(o.external_id, o.state) for o in orders] == [(order_id, "cancelled")]
    assert [sku.stock for sku in next(adapter.items()).skus] == [11, 12]

    shipped_id = lazada.control("/_sandbox/orders", {"lines": lines[:1]})["order_id"]
    lazada.control(f"/_sandbox/orders/{shipped_id}/shipped", {})
    orders, _ = adapter.orders_since(cursor)
    assert (shipped_id, "shipped") in {(o.external_id, o.state) for o in orders}


def test_state_survives_a_restart(start: Callable[[], Running], image: str, lazada: Running):
    item = lazada.adapter().create_item(listing("29-00001", 1, image))
    lazada.server.shutdown()
    lazada.server.server_close()
    lazada.sandbox.state.flush()  # what a stopping sandbox does (marketplace_sandbox, running)
    again = start()
    assert again.token == lazada.token
    found = again.adapter().find_item("29-00001", ["29-00001-1"])
    assert found is not None and found.external_id == item.external_id


def test_page_lists_items(lazada: Running, image: str):
    lazada.adapter().create_item(listing("30-00001", 1, image))
    page = requests.get(lazada.url + "/", timeout=5).text
    assert "Chè Thái Nguyên 30-00001" in page and "30-00001-1" in page


def test_token_refresh_goes_to_the_auth_host_not_the_api_host(lazada: Running):
    assert auth_url("https://api.lazada.vn/rest") == "https://auth.lazada.com/rest"
    assert auth_url(lazada.url + "/rest") == lazada.url + "/auth/rest"
    api_host = LazadaClient(lazada.url + "/rest", DEFAULT_APP_KEY, DEFAULT_APP_SECRET)
    with pytest.raises(PermanentError) as refused:
        api_host.call(
            "/auth/token/refresh", {"refresh_token": lazada.refresh_token}, with_token=False
        )
    assert refused.value.code == "InvalidApiPath"


@pytest.mark.parametrize(
    "text",
    ["2018-02-09T22:44:30+08:00", "2018-02-09 22:44:30 +0800", "1518187470000"],
)
def test_every_documented_order_time_is_read(text: str):
    assert parse_time(text).timestamp() == 1518187470


def test_stock_is_pushed_as_sellable_while_a_lazada_order_holds_units(lazada: Running, image: str):
    """Our available has already subtracted the units a Lazada order holds; pushed as the
    total (price_quantity's Quantity) Lazada would subtract them again."""
    adapter = lazada.adapter()
    item = adapter.create_item(listing("29-00001", 1, image))
    [sku] = item.skus
    lazada.sandbox.create_order([{"seller_sku": sku.seller_sku, "quantity": 2}])
    # Here, 11 on hand less the 2 the order holds: 9 available, pushed as is.
    adapter.update_stock([SkuChange(item.external_id, sku.external_id, sku.seller_sku, 9)])
    with lazada.sandbox.state.lock:
        stored = lazada.sandbox.state.data["items"][item.external_id]["skus"][0]
    assert (stored["stock"], stored["occupied"]) == (9, 2)  # sellable 9, total 11
    found = adapter.find_item("", [sku.seller_sku])
    assert found is not None and found.skus[0].stock == 9


def test_a_sale_property_must_be_declared_under_variation(lazada: Running, image: str):
    client = LazadaClient(lazada.url + "/rest", DEFAULT_APP_KEY, DEFAULT_APP_SECRET, lazada.token)
    sku = {
        "SellerSku": "30-00001-1",
        "price": "50000",
        "quantity": "3",
        "saleProp": {"Phân loại": "Hộp 100 g"},
        **{f"package_{f}": "1" for f in ("weight", "length", "width", "height")},
    }
    product = {
        "PrimaryCategory": "10002019",
        "Images": {"Image": [image]},
        "Attributes": {"name": "Chè", "brand_id": "30768"},
        "Skus": {"Sku": [sku]},
    }
    payload = json.dumps({"Request": {"Product": product}})
    with pytest.raises(PermanentError, match="BIZ_CHECK_SALEPROP_ATTRIBUTE_INVALID"):
        client.call("/product/create", {"payload": payload}, method="POST")
