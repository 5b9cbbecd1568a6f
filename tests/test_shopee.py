"""The Shopee connector against the reference's signing vectors and, over real HTTP,
against the Shopee sandbox running in a thread of this process."""

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypedDict

import pytest
import requests

from connectors.base import (
    AuthError,
    ListingPayload,
    MarketplaceError,
    PermanentError,
    RemoteItem,
    SkuChange,
    SkuPayload,
    TransientError,
    UnknownOutcome,
)
from connectors.sandbox.server import running
from connectors.shopee import conformance, spec
from connectors.shopee.adapter import ShopeeAdapter
from connectors.shopee.sandbox import PARTNER_ID, PARTNER_KEY, SHOP_ID, ShopeeSandbox
from connectors.shopee.signing import sign
from tests.markets import Market, make_channel, sync


class SignBase(TypedDict):
    partner_key: str
    partner_id: int
    timestamp: int


class SignShop(TypedDict, total=False):
    access_token: str
    shop_id: int


# The reference's S1 inputs; S2–S4 change the path, S3–S4 leave out token and shop.
S1_BASE = SignBase(partner_key="test_partner_key", partner_id=2001887, timestamp=1655714431)
S1_SHOP = SignShop(access_token="59777174636562737266615546704c6d", shop_id=14701711)


@pytest.mark.parametrize(
    "path, shop, expected",
    [
        (
            "/api/v2/shop/get_shop_info",
            True,
            "9fdae5aeed86e753249982ec04aa54339280f12d3f456b9e3f7d8ee91e66a2b3",
        ),
        (
            "/api/v2/product/update_stock",
            True,
            "dd1a23a1caa7ade6e76dfabcc39a1776e9a01e4fc50572eaa0ccef70d9bf9abc",
        ),
        (
            "/api/v2/auth/token/get",
            False,
            "4347600f52b50a77f5ecee90bf489adf3cec2d59d3c2febe004674f37def5451",
        ),
        (
            "/api/v2/shop/auth_partner",
            False,
            "7aaf77cf2fb63bdf25623b6c3c2ad87ad51ccf4fe66e370b93b89f28bcafe45c",
        ),
    ],
    ids=["S1", "S2", "S3", "S4"],
)
def test_sign_matches_reference_vectors(path: str, shop: bool, expected: str) -> None:
    assert sign(path=path, **S1_BASE, **(S1_SHOP if shop else {})) == expected


# The sandbox over HTTP


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "shopee.json"


@pytest.fixture
def sandbox(state_file: Path) -> ShopeeSandbox:
    return ShopeeSandbox(state_file=state_file)


@pytest.fixture
def base_url(sandbox: ShopeeSandbox) -> Iterator[str]:
    with running(sandbox) as url:
        yield url


@pytest.fixture
def tokens(sandbox: ShopeeSandbox) -> dict:
    return sandbox.issue_tokens()


def make_adapter(base_url: str, token: str, **kwargs) -> ShopeeAdapter:
    options = {"partner_id": PARTNER_ID, "partner_key": PARTNER_KEY, "shop_id": SHOP_ID}
    return ShopeeAdapter(base_url, access_token=token, **{**options, **kwargs})


@pytest.fixture
def adapter(base_url: str, tokens: dict) -> ShopeeAdapter:
    return make_adapter(base_url, tokens["access_token"], timeout=5)


@pytest.fixture
def image_id(adapter: ShopeeAdapter) -> str:
    return adapter.upload_image(b"\x89PNG\r\n\x1a\n fake image bytes", "mat-ong.png")


def listing(code: str, image_id: str, count: int = 3, **changes) -> ListingPayload:
    skus = [
        SkuPayload(f"{code}-{n}", f"Hộp {100 * n} g", 50_000 + 1_000 * n, 10 + n, 100 * n)
        for n in range(1, count + 1)
    ]
    fields = dict(
        product_code=code,
        title=f"Mật ong rừng U Minh {code}",
        description="Mật ong nguyên chất, sản phẩm OCOP 4 sao.",
        category_id="100629",
        attributes={"100037": "Việt Nam"},
        image_ids=[image_id],
        skus=skus,
    )
    return ListingPayload(**{**fields, **changes})


def control(base_url: str, path: str, body: dict | None = None) -> dict:
    if body is None:
        return requests.get(base_url + path, timeout=5).json()
    return requests.post(base_url + path, json=body, timeout=5).json()


def stock_changes(item, values: dict[str, int]) -> list[SkuChange]:
    return [
        SkuChange(item.external_id, sku.external_id, sku.seller_sku, values[sku.seller_sku])
        for sku in item.skus
        if sku.seller_sku in values
    ]


def create(adapter: ShopeeAdapter, payload: ListingPayload) -> RemoteItem:
    """What the engine does: the item, then (after its wait) its variations."""
    item = adapter.create_item(payload)
    assert item.skus == []
    return replace(item, skus=adapter.add_variations(item.external_id, payload.skus))


def test_create_find_update_delist(adapter: ShopeeAdapter, image_id: str, base_url: str) -> None:
    created = create(adapter, listing("19-00001", image_id))
    assert [sku.seller_sku for sku in created.skus] == ["19-00001-1", "19-00001-2", "19-00001-3"]
    assert len({sku.external_id for sku in created.skus}) == 3

    found = adapter.find_item("19-00001", [])
    assert found is not None and found.external_id == created.external_id
    assert [(s.external_id, s.price, s.stock) for s in found.skus] == [
        (s.external_id, s.price, s.stock) for s in created.skus
    ]
    by_sku = adapter.find_item("renamed-code", ["19-00001-2"])
    assert by_sku is not None and by_sku.external_id == created.external_id
    assert adapter.find_item("19-99999", ["19-99999-1"]) is None

    adapter.update_item(created, listing("19-00001", image_id, title="Mật ong U Minh 500 g"))
    stored = control(base_url, "/_sandbox/state")["items"][created.external_id]
    assert stored["name"] == "Mật ong U Minh 500 g"
    assert stored["attribute_list"][0]["attribute_id"] == 100037
    assert stored["brand"] == {"brand_id": 0, "original_brand_name": "No brand"}

    adapter.delist(created)
    [item] = adapter.items()
    assert item.status == "UNLIST" and item.external_id == created.external_id
    assert {s.seller_sku: s.stock for s in item.skus} == {
        "19-00001-1": 11,
        "19-00001-2": 12,
        "19-00001-3": 13,
    }


def test_failed_variations_are_completed_by_update_item(
    adapter: ShopeeAdapter, image_id: str
) -> None:
    good = listing("19-00002", image_id, count=2)
    cheap = SkuPayload("19-00002-2", "Hộp 200 g", 500, 5, 200)  # below the sandbox minimum
    item = adapter.create_item(listing("19-00002", image_id, skus=[good.skus[0], cheap]))
    with pytest.raises(PermanentError):
        adapter.add_variations(item.external_id, [good.skus[0], cheap])

    half = adapter.find_item("19-00002", [s.seller_sku for s in good.skus])
    assert half is not None and [s.external_id for s in half.skus] == ["0"]
    adapter.update_item(half, good)
    whole = adapter.find_item("19-00002", [])
    assert whole is not None and whole.external_id == half.external_id
    assert [s.seller_sku for s in whole.skus] == ["19-00002-1", "19-00002-2"]


def test_sixty_models_take_one_call_per_item_and_fifty_models(
    adapter: ShopeeAdapter, image_id: str, base_url: str
) -> None:
    big = create(adapter, listing("19-00010", image_id, count=50))
    small = create(adapter, listing("19-00011", image_id, count=10))
    skus = [(item, sku) for item in (big, small) for sku in item.skus]
    assert len(skus) == 60

    stock = [SkuChange(i.external_id, s.external_id, s.seller_sku, 7) for i, s in skus]
    prices = [SkuChange(i.external_id, s.external_id, s.seller_sku, 99_000) for i, s in skus]
    assert [o.error for o in adapter.update_stock(stock)] == [None] * 60
    assert [o.error for o in adapter.update_prices(prices)] == [None] * 60

    calls = control(base_url, "/_sandbox/calls")
    assert calls["/api/v2/product/update_stock"] == 2
    assert calls["/api/v2/product/update_price"] == 2
    for item in adapter.items():
        assert {(s.price, s.stock) for s in item.skus} == {(99_000, 7)}


def test_one_refused_model_fails_alone(adapter: ShopeeAdapter, image_id: str) -> None:
    item = create(adapter, listing("19-00003", image_id))
    outcomes = adapter.update_stock(
        stock_changes(item, {"19-00003-1": 4, "19-00003-2": -1, "19-00003-3": 6})
    )
    assert [o.seller_sku for o in outcomes] == ["19-00003-1", "19-00003-2", "19-00003-3"]
    assert outcomes[0].error is None and outcomes[2].error is None
    assert isinstance(outcomes[1].error, PermanentError)
    assert "Invalid stock" in outcomes[1].error.message

    price = adapter.update_prices(stock_changes(item, {"19-00003-1": 10, "19-00003-3": 70_000}))
    assert isinstance(price[0].error, PermanentError) and price[1].error is None
    [remote] = adapter.items()
    assert [(s.price, s.stock) for s in remote.skus] == [(51_000, 4), (52_000, 12), (70_000, 6)]


def test_a_refused_call_fails_its_skus_without_raising(
    adapter: ShopeeAdapter, image_id: str, base_url: str
) -> None:
    item = create(adapter, listing("19-00004", image_id, count=2))
    missing = [SkuChange("424242", "1", "19-00009-1", 3)]
    [outcome] = adapter.update_stock(missing)
    assert isinstance(outcome.error, PermanentError)
    assert outcome.error.code == "error_item_not_found"

    control(base_url, "/_sandbox/faults", {"error_rate": 1})
    outcomes = adapter.update_stock(stock_changes(item, {"19-00004-1": 1, "19-00004-2": 2}))
    assert all(isinstance(o.error, TransientError) for o in outcomes)


def test_sandbox_enforces_batch_limits(adapter: ShopeeAdapter) -> None:
    too_many = [{"model_id": n, "seller_stock": [{"stock": 1}]} for n in range(51)]
    with pytest.raises(PermanentError, match="1 to 50") as refused:
        adapter.client.post("/api/v2/product/update_stock", {"item_id": 1, "stock_list": too_many})
    assert refused.value.code == "error_param"
    ids = ",".join(str(n) for n in range(51))
    with pytest.raises(PermanentError, match="0 to 50 entries"):
        adapter.client.get("/api/v2/product/get_item_base_info", {"item_id_list": ids})
    with pytest.raises(PermanentError, match="page_size"):
        adapter.client.get(
            "/api/v2/product/get_item_list",
            {"offset": 0, "page_size": 101, "item_status": "NORMAL"},
        )


def test_add_item_names_missing_fields(adapter: ShopeeAdapter, image_id: str) -> None:
    body = {
        "item_name": "Trà shan tuyết",
        "description": "Trà cổ thụ Hà Giang.",
        "category_id": 100629,
        "original_price": 120_000,
        "seller_stock": [{"stock": 5}],
        "weight": 0.2,
        "image": {"image_id_list": [image_id]},
        "logistic_info": [{"logistic_id": 50018, "enabled": True}],
    }
    for missing in ("item_name", "category_id", "image", "weight"):
        with pytest.raises(PermanentError, match=missing):
            adapter.client.post(
                "/api/v2/product/add_item", {k: v for k, v in body.items() if k != missing}
            )
    with pytest.raises(PermanentError, match="logistic_info"):
        adapter.client.post("/api/v2/product/add_item", {**body, "logistic_info": []})
    with pytest.raises(PermanentError, match="not uploaded"):
        adapter.client.post("/api/v2/product/add_item", {**body, "image": {"image_id_list": ["x"]}})


def test_forged_signature_and_stale_timestamp_are_refused(base_url: str, tokens: dict) -> None:
    forged = make_adapter(base_url, tokens["access_token"], partner_key="not-the-key")
    with pytest.raises(PermanentError) as refused:
        list(forged.items())
    assert refused.value.code == "error_sign"

    path, stale = "/api/v2/product/get_item_list", int(time.time()) - 600
    query = {
        "partner_id": PARTNER_ID,
        "timestamp": stale,
        "access_token": tokens["access_token"],
        "shop_id": SHOP_ID,
        "sign": sign(PARTNER_KEY, PARTNER_ID, path, stale, tokens["access_token"], SHOP_ID),
        "offset": 0,
        "page_size": 10,
        "item_status": "NORMAL",
    }
    answer = requests.get(base_url + path, params=query, timeout=5).json()
    assert (answer["error"], answer["message"]) == ("error_param", "Timestamp is expired.")


def test_expired_or_unknown_token_is_an_auth_error(sandbox: ShopeeSandbox, base_url: str) -> None:
    expired = sandbox.issue_tokens(access_ttl=-1)["access_token"]
    with pytest.raises(AuthError) as refused:
        list(make_adapter(base_url, expired).items())
    assert refused.value.code == "invalid_acceess_token"
    with pytest.raises(AuthError):
        list(make_adapter(base_url, "0" * 32).items())


def test_refresh_rotates_and_spends_the_refresh_token(
    sandbox: ShopeeSandbox, base_url: str
) -> None:
    first = sandbox.issue_tokens(access_ttl=-1)
    adapter = make_adapter(base_url, first["access_token"])
    fresh = adapter.refresh(first["refresh_token"])
    assert fresh.access_token != first["access_token"]
    assert fresh.refresh_token != first["refresh_token"]
    assert 14_000 < fresh.expires_at - time.time() <= 14_400
    assert list(adapter.items()) == []  # the adapter now calls with the new token

    with pytest.raises(AuthError):
        adapter.refresh(first["refresh_token"])
    assert adapter.refresh(fresh.refresh_token).refresh_token != fresh.refresh_token


def test_rate_limit_is_transient_with_retry_after(adapter: ShopeeAdapter, base_url: str) -> None:
    control(base_url, "/_sandbox/faults", {"rate_limit": 1, "retry_after": 2})
    with pytest.raises(TransientError) as limited:
        list(adapter.items())  # one get_item_list per status: the second is over the limit
    assert limited.value.retry_after == 2.0
    assert limited.value.code == "error_rate_limit"


def test_server_error_is_transient_and_unknown_for_writes(
    adapter: ShopeeAdapter, image_id: str, base_url: str
) -> None:
    control(base_url, "/_sandbox/faults", {"error_rate": 1})
    with pytest.raises(TransientError) as read:
        list(adapter.items())
    assert not isinstance(read.value, UnknownOutcome)
    with pytest.raises(UnknownOutcome):
        adapter.create_item(listing("19-00005", image_id))


def test_timeout_is_transient_and_unknown_for_writes(
    sandbox: ShopeeSandbox, base_url: str, tokens: dict
) -> None:
    control(base_url, "/_sandbox/faults", {"timeout_rate": 1, "timeout_seconds": 0.5})
    adapter = make_adapter(base_url, tokens["access_token"], timeout=0.1)
    with pytest.raises(TransientError) as read:
        list(adapter.items())
    assert not isinstance(read.value, UnknownOutcome)
    [outcome] = adapter.update_stock([SkuChange("1", "2", "19-00006-1", 3)])
    assert isinstance(outcome.error, UnknownOutcome)


def test_orders_since_sees_new_and_cancelled_orders(
    adapter: ShopeeAdapter, image_id: str, base_url: str
) -> None:
    create(adapter, listing("19-00007", image_id, count=2))
    lines = [
        {"seller_sku": "19-00007-1", "quantity": 2},
        {"seller_sku": "19-00007-2", "quantity": 1},
    ]
    order_id = control(base_url, "/_sandbox/orders", {"lines": lines})["order_id"]

    orders, cursor = adapter.orders_since("")
    [order] = orders
    assert (order.external_id, order.state) == (order_id, "open")
    assert [(line.seller_sku, line.quantity) for line in order.lines] == [
        ("19-00007-1", 2),
        ("19-00007-2", 1),
    ]
    assert cursor == str(int(order.updated_at))

    control(base_url, f"/_sandbox/orders/{order_id}/cancelled", {})
    orders, _ = adapter.orders_since(cursor)
    assert [(o.external_id, o.state) for o in orders] == [(order_id, "cancelled")]

    twenty_days_ago = str(int(time.time()) - 20 * 86400)  # two 15-day windows
    orders, _ = adapter.orders_since(twenty_days_ago)
    assert [o.external_id for o in orders] == [order_id]


def test_state_survives_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "restart.json"
    first = ShopeeSandbox(state_file=state_file)
    token = first.issue_tokens()["access_token"]
    with running(first) as url:
        adapter = make_adapter(url, token)
        created = create(adapter, listing("19-00008", adapter.upload_image(b"png", "a.png")))
    with running(ShopeeSandbox(state_file=state_file)) as url:
        found = make_adapter(url, token).find_item("19-00008", [])
    assert found is not None and found.external_id == created.external_id
    assert [s.external_id for s in found.skus] == [s.external_id for s in created.skus]


def test_html_page_lists_items(adapter: ShopeeAdapter, image_id: str, base_url: str) -> None:
    create(adapter, listing("19-00009", image_id, count=1))
    page = requests.get(base_url + "/", timeout=5)
    assert page.headers["content-type"].startswith("text/html")
    assert "Mật ong rừng U Minh 19-00009" in page.text
    assert "19-00009-1: 51.000 ₫ · kho 11" in page.text


def test_control_endpoint_issues_tokens(base_url: str) -> None:
    issued = control(base_url, "/_sandbox/tokens", {"access_ttl": 60})
    assert issued["expire_in"] == 60
    assert list(make_adapter(base_url, issued["access_token"]).items()) == []


def test_errors_are_logged_without_secrets(
    base_url: str, tokens: dict, caplog: pytest.LogCaptureFixture
) -> None:
    forged = make_adapter(base_url, tokens["access_token"], partner_key="not-the-key")
    with caplog.at_level("WARNING", logger="connectors.shopee"), pytest.raises(PermanentError):
        list(forged.items())
    assert "/api/v2/product/get_item_list" in caplog.text and "error_sign" in caplog.text
    for secret in (tokens["access_token"], "not-the-key", "sign="):
        assert secret not in caplog.text


# What Shopee's own specifications say (connectors/shopee/spec/)


@pytest.mark.parametrize("path", sorted(spec.apis()))
def test_the_client_signs_each_api_as_its_specification_says(path: str) -> None:
    """Public APIs (v2.media_space.upload_image, the token refresh) are signed and sent
    without access_token and shop_id; Shop APIs with both."""
    client = make_adapter("http://127.0.0.1:9", "token").client
    params = client._common_params(path)
    api = spec.apis()[path]
    assert ("access_token" in params and "shop_id" in params) is not api.public
    token, shop = ("", "") if api.public else ("token", SHOP_ID)
    expected = sign(PARTNER_KEY, PARTNER_ID, path, params["timestamp"], token, shop)
    assert params["sign"] == expected
    assert spec.apis()["/api/v2/media_space/upload_image"].public


@pytest.mark.parametrize(
    ("code", "message", "kind"),
    [
        ("error_auth", "Invalid access_token.", AuthError),
        ("invalid_acceess_token", "Invalid access_token, please have a check.", AuthError),
        # error_auth is also a standing refusal: no refresh (it would spend the token)
        ("error_auth", "No permission to current api.", PermanentError),
        ("error_auth", "Invalid partner_id or shopid.", PermanentError),
        ("error_auth", "System error, please try again later.", TransientError),
        (
            "error_inner",
            "System error, please try again later or contact the OpenAPI support team.",
            TransientError,
        ),
        ("error_inner", "Update item failed {{.error_info}}", PermanentError),
        (
            "error_system_busy",
            "Our system is taking some time to respond, please try later.",
            TransientError,
        ),
        (
            "error_limit",
            "The total API call number made by your APP has reached the daily API call limit, "
            "please try again after 00: 00 (UTC+08:00)",
            TransientError,
        ),
        (
            "shop_banned",
            "The\xa0shop account has been banned. Permissions for shop authorization and API calls "
            "have been suspended until the shop account is restored.",
            PermanentError,
        ),
    ],
)
def test_documented_errors_are_told_apart(
    adapter: ShopeeAdapter, base_url: str, code: str, message: str, kind: type
) -> None:
    control(base_url, "/_sandbox/answers", {"errors": [{"error": code, "message": message}]})
    with pytest.raises(MarketplaceError) as raised:
        list(adapter.items())
    assert type(raised.value) is kind and raised.value.code == code
    assert not isinstance(raised.value, UnknownOutcome)  # a read: nothing was written


def test_the_sandbox_answers_only_errors_the_api_documents(adapter, base_url) -> None:
    control(base_url, "/_sandbox/answers", {"errors": [{"error": "error_x", "message": "x"}]})
    reply = requests.get(base_url + "/api/v2/product/get_item_list", timeout=5)
    assert reply.status_code == 500
    assert reply.json()["message"] == "v2.product.get_item_list documents no error_x 'x'"


def test_an_order_to_return_was_shipped_not_cancelled(
    adapter: ShopeeAdapter, image_id: str, base_url: str
) -> None:
    """TO_RETURN: the buyer asks to send back a delivered parcel; its units left the shelf
    and come back only if the return is accepted and the seller restocks them."""
    create(adapter, listing("19-00010", image_id, count=1))
    lines = [{"seller_sku": "19-00010-1", "quantity": 1}]
    order_id = control(base_url, "/_sandbox/orders", {"lines": lines})["order_id"]
    control(base_url, f"/_sandbox/orders/{order_id}/shipped", {})
    control(base_url, f"/_sandbox/orders/{order_id}/to_return", {})
    orders, _ = adapter.orders_since("")
    assert [(o.external_id, o.state) for o in orders] == [(order_id, "shipped")]


def test_variations_use_standardise_tier_variation_not_the_deprecated_field(
    adapter: ShopeeAdapter, image_id: str, sandbox: ShopeeSandbox
) -> None:
    created = create(adapter, listing("19-00011", image_id, count=2))
    with sandbox.state.lock:
        tiers = sandbox.state.data["items"][created.external_id]["tier_variation"]
    assert tiers == [
        {"name": "Phân loại", "option_list": [{"option": "Hộp 100 g"}, {"option": "Hộp 200 g"}]}
    ]
    with pytest.raises(PermanentError, match="unknown field tier_variation"):
        adapter.client.post(
            "/api/v2/product/init_tier_variation",
            {"item_id": int(created.external_id), "tier_variation": tiers, "model": []},
        )


def test_a_content_update_keeps_each_models_own_weight(
    adapter: ShopeeAdapter, image_id: str, sandbox: ShopeeSandbox
) -> None:
    """update_item with `weight` "will overwrite the weight of all models" (its spec)."""
    created = create(adapter, listing("19-00012", image_id, count=3))
    adapter.update_item(created, listing("19-00012", image_id, count=3, title="Mật ong mới"))
    with sandbox.state.lock:
        item = sandbox.state.data["items"][created.external_id]
        weights = [sku["weight"] for sku in item["skus"]]
    assert item["name"] == "Mật ong mới" and weights == [0.1, 0.2, 0.3]


def test_each_limit_we_read_from_a_description_is_quoted_from_it() -> None:
    for (api, field), (_, quote) in conformance.RULES.items():
        assert quote in spec.descriptions()[(api, field)], (api, field)


COMMON = {"partner_id": "1", "timestamp": "1", "sign": "s", "access_token": "t", "shop_id": "2"}
MODEL = {"tier_index": [0], "original_price": 10_000, "seller_stock": [{"stock": 1}]}


@pytest.mark.parametrize(
    ("method", "path", "query", "body", "problem"),
    [
        ("GET", "/api/v2/product/add_item", COMMON, None, "called with POST, not GET"),
        ("POST", "/api/v2/product/unlist_item", COMMON, {}, "missing required field item_list"),
        (
            "POST",
            "/api/v2/product/unlist_item",
            COMMON,
            {"item_list": [{"item_id": "7", "unlist": True}]},
            "item_list[0].item_id must be int64, not '7'",
        ),
        (
            "POST",
            "/api/v2/product/unlist_item",
            COMMON,
            {"item_list": [{"item_id": 7, "unlist": True}] * 51},
            "item_list takes 1 to 50 entries, not 51",
        ),
        (
            "POST",
            "/api/v2/product/init_tier_variation",
            COMMON,
            {"item_id": 7, "model": [{**MODEL, "model_sku": "x" * 101}]},
            "model[0].model_sku takes at most 100 characters",
        ),
        (
            "POST",
            "/api/v2/product/init_tier_variation",
            COMMON,
            {"item_id": 7, "model": [MODEL], "tier_variation": []},
            "unknown field tier_variation",
        ),
        (
            "POST",
            "/api/v2/product/update_item",
            COMMON,
            {"item_id": 7, "item_status": "DELETED"},
            "item_status must be one of NORMAL, UNLIST",
        ),
        (
            "POST",
            "/api/v2/product/update_stock",
            {**COMMON, "item_id": "7"},
            {"item_id": 7, "stock_list": [{"model_id": 1, "seller_stock": [{"stock": 1}]}]},
            "unknown query parameter item_id",
        ),
        (
            "GET",
            "/api/v2/product/get_item_list",
            {**COMMON, "offset": "0", "page_size": "101", "item_status": "NORMAL"},
            None,
            "page_size must be between 1 and 100",
        ),
        (
            "GET",
            "/api/v2/order/get_order_detail",
            {**COMMON, "order_sn_list": "A,B", "response_optional_fields": "x", "extra": "1"},
            None,
            "unknown field extra",
        ),
        (
            "GET",
            "/api/v2/product/get_model_list",
            {k: v for k, v in COMMON.items() if k != "shop_id"} | {"item_id": "7"},
            None,
            "missing common parameter shop_id",
        ),
    ],
)
def test_the_specification_refuses(method, path, query, body, problem) -> None:
    assert any(problem in found for found in conformance.problems(method, path, query, body))


def test_a_public_api_takes_no_token_and_its_file_part_is_required() -> None:
    query = {"partner_id": "1", "timestamp": "1", "sign": "s"}
    assert conformance.problems("POST", "/api/v2/media_space/upload_image", query, {}) == [
        "missing required field image"
    ]
    assert conformance.problems(
        "POST", "/api/v2/media_space/upload_image", COMMON, {}, frozenset({"image"})
    ) == ["v2.media_space.upload_image is a Public API: no access_token or shop_id"]


def test_the_sandbox_refuses_what_the_specification_refuses_in_its_words(
    adapter: ShopeeAdapter,
) -> None:
    with pytest.raises(PermanentError) as refused:
        adapter.client.post("/api/v2/product/unlist_item", {"item_list": [{"item_id": 7}]})
    assert (refused.value.code, str(refused.value)) == (
        "error_param",
        "Wrong parameters, detail: missing required field item_list[0].unlist.",
    )


def test_a_shopee_refusal_that_is_not_about_the_token_spends_no_refresh_token(db, tmp_path):
    """Shopee's "error_auth" also says "No permission to current api." (common_error_list
    of its specifications): refreshing for it would burn the single-use refresh token."""
    sandbox = ShopeeSandbox(state_file=tmp_path / "shopee.json")
    with running(sandbox) as url:
        channel = make_channel(Market("shopee", sandbox, url))
        before = channel.get_secrets()["refresh_token"]
        sandbox.answers = [("error_auth", "No permission to current api.")]
        run = sync(channel)
        channel.refresh_from_db()
        assert channel.get_secrets()["refresh_token"] == before and not channel.needs_reauth
        assert sandbox.calls["/api/v2/auth/access_token/get"] == 0
        assert any("No permission to current api." in error for error in run.errors)
