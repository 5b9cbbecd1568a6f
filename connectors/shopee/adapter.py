"""The Shopee v2 connector: the engine's Adapter protocol over `ShopeeClient`.

Every listing is created as an item plus one tier variation ("Phân loại"), even with a
single SKU, so every SKU has a model_id and stock/price updates look the same for all
items. Batches follow the documented limits: one item and at most 50 models per
update_stock/update_price call, 50 ids per get_item_base_info, 100 per page.
"""

import time
from collections.abc import Callable, Iterator
from typing import Any

import requests

from connectors.base import (
    AuthError,
    ListingPayload,
    MarketplaceError,
    PermanentError,
    RemoteItem,
    RemoteOrder,
    RemoteOrderLine,
    RemoteSku,
    SkuChange,
    SkuOutcome,
    SkuPayload,
    Tokens,
    chunks,
)

from .client import ShopeeClient

MAX_MODELS = 50  # per update_stock / update_price / init_tier_variation call
MAX_BASE_INFO = 50  # item ids per get_item_base_info
MAX_ORDER_DETAIL = 50  # order_sn per get_order_detail
PAGE_SIZE = 100  # get_item_list / get_order_list
ORDER_WINDOW = 15 * 86400  # get_order_list accepts at most 15 days per call
ITEM_STATUSES = ("NORMAL", "UNLIST", "REVIEWING")  # REVIEWING: a fresh item may be in review
TIER_NAME = "Phân loại"
# A Shopee VN channel id; a shop sets its own in attributes["logistic_id"] (from
# logistics/get_channel_list).
DEFAULT_LOGISTIC_ID = 50018
ORDER_STATES = {
    "UNPAID": "open",
    "READY_TO_SHIP": "open",
    "PROCESSED": "open",
    "RETRY_SHIP": "open",
    "SHIPPED": "shipped",
    "TO_CONFIRM_RECEIVE": "shipped",
    "COMPLETED": "shipped",
    "IN_CANCEL": "open",  # a cancel request may be refused: keep holding the units
    "CANCELLED": "cancelled",
    # A delivered parcel the buyer asks to send back: its units left the shelf and come
    # back only when the seller accepts the return and restocks them.
    "TO_RETURN": "shipped",
}


class ShopeeAdapter:
    """One Shopee shop. Listing attributes: keys made of digits are Shopee attribute ids
    (values sent as custom values); "brand" / "brand_id" set the brand (default No
    brand); "logistic_id" the shipping channel. Other keys belong to other channels."""

    kind = "shopee"
    variations_after_seconds = 5.0  # creating-product.md, see create_item

    def __init__(
        self,
        base_url: str,
        partner_id: int,
        partner_key: str,
        shop_id: int,
        access_token: str,
        timeout: float = 10.0,
        session: requests.Session | None = None,
    ):
        self.client = ShopeeClient(
            base_url, partner_id, partner_key, shop_id, access_token, timeout, session
        )

    # Auth and media

    def refresh(self, refresh_token: str) -> Tokens:
        """New tokens (the refresh token is single use); this adapter uses them at once."""
        client = self.client
        data = client.call(
            "POST",
            "/api/v2/auth/access_token/get",
            body={
                "refresh_token": refresh_token,
                "partner_id": client.partner_id,
                "shop_id": client.shop_id,
            },
        )
        client.access_token = data["access_token"]
        return Tokens(
            access_token=data["access_token"],
            refresh_token=data["refresh_token"],
            expires_at=time.time() + float(data.get("expire_in") or 14400),
        )

    def authorisation_end(self) -> float | None:
        """When the shop's authorisation of the app ends (at most a year after the
        seller gave it): v2.shop.get_shop_info's `expire_time`, answered at the top level."""
        info = self.client.call("GET", "/api/v2/shop/get_shop_info")
        return float(info["expire_time"]) if info.get("expire_time") else None

    def upload_image(self, data: bytes, filename: str) -> str:
        reply = self.client.call(
            "POST", "/api/v2/media_space/upload_image", files={"image": (filename, data)}
        )
        response = reply.get("response") or {}
        info = response.get("image_info") or (response.get("image_info_list") or [{}])[0].get(
            "image_info", {}
        )
        if not info.get("image_id"):
            raise PermanentError("Shopee: the image upload returned no image_id.", "no_image_id")
        return info["image_id"]

    # Listings

    def create_item(self, payload: ListingPayload) -> RemoteItem:
        """add_item only: "It is recommended that you create variants after an interval
        of 5 seconds after creating an item, because there may be a delay in creating item
        data" (creating-product.md), so the engine waits once for all the pass's new items
        and then calls `add_variations`. If that fails, the item exists without models:
        the next pass finds it (find_item answers it with the single model "0") and
        update_item adds the variations."""
        if not payload.skus or len(payload.skus) > MAX_MODELS:
            raise PermanentError(f"Shopee: an item needs 1 to {MAX_MODELS} SKUs.", "sku_count")
        if len({sku.name for sku in payload.skus}) != len(payload.skus):
            raise PermanentError("Shopee: variant names must differ.", "sku_names")
        first = payload.skus[0]
        body = {
            **self._item_fields(payload),
            "original_price": first.price,
            "seller_stock": [{"stock": first.stock}],
            "item_sku": payload.product_code,
            "logistic_info": [{"logistic_id": _logistic_id(payload), "enabled": True}],
        }
        item_id = str(self.client.post("/api/v2/product/add_item", body)["item_id"])
        return RemoteItem(external_id=item_id, url=self._url(item_id), status="NORMAL")

    def add_variations(self, item_id: str, skus: list[SkuPayload]) -> list[RemoteSku]:
        return self._init_variations(item_id, skus)

    def update_item(self, item: RemoteItem, payload: ListingPayload) -> None:
        """Without `weight`: "Updating the weight of this item will overwrite the weight of
        all models under this item" (v2.product.update_item); each model keeps the weight
        init_tier_variation gave it."""
        fields = self._item_fields(payload)
        del fields["weight"]
        self.client.post(
            "/api/v2/product/update_item", {"item_id": int(item.external_id), **fields}
        )
        if not any(sku.external_id not in ("", "0") for sku in item.skus):
            # A create whose variations failed; find_item then tells the new model ids.
            self._init_variations(item.external_id, payload.skus)

    def delist(self, item: RemoteItem) -> None:
        self._set_unlisted(item, True)

    def relist(self, item: RemoteItem) -> None:
        self._set_unlisted(item, False)

    def _set_unlisted(self, item: RemoteItem, unlist: bool) -> None:
        response = self.client.post(
            "/api/v2/product/unlist_item",
            {"item_list": [{"item_id": int(item.external_id), "unlist": unlist}]},
        )
        for failure in response.get("failure_list") or []:
            raise PermanentError(str(failure.get("failed_reason") or "unlist failed"), "unlist")

    def find_item(self, product_code: str, seller_skus: list[str]) -> RemoteItem | None:
        """By item_sku (our product code) first; else by any model_sku, which costs one
        get_model_list per item and is only needed for items made elsewhere."""
        bases = list(self._base_infos())
        for base in bases:
            if base.get("item_sku") == product_code:
                return self._remote_item(base)
        wanted = set(seller_skus)
        for base in bases:
            if base.get("has_model"):
                item = self._remote_item(base)
                if wanted & {sku.seller_sku for sku in item.skus}:
                    return item
        return None

    def items(self) -> Iterator[RemoteItem]:
        for base in self._base_infos():
            yield self._remote_item(base)

    # Price and stock

    def update_prices(self, changes: list[SkuChange]) -> list[SkuOutcome]:
        return self._batch(
            changes,
            "/api/v2/product/update_price",
            "price_list",
            lambda change: {"model_id": int(change.sku_id), "original_price": change.value},
        )

    def update_stock(self, changes: list[SkuChange]) -> list[SkuOutcome]:
        """Absolute seller stock."""
        return self._batch(
            changes,
            "/api/v2/product/update_stock",
            "stock_list",
            lambda change: {
                "model_id": int(change.sku_id),
                "seller_stock": [{"stock": change.value}],
            },
        )

    def _batch(
        self,
        changes: list[SkuChange],
        path: str,
        key: str,
        entry: Callable[[SkuChange], dict],
    ) -> list[SkuOutcome]:
        """One call per item and 50 models. A refused call fails its own SKUs only (the
        engine retries them); a refused token stops everything."""
        outcomes: dict[int, SkuOutcome] = {}
        by_item: dict[str, list[int]] = {}
        for index, change in enumerate(changes):
            by_item.setdefault(change.item_id, []).append(index)
        for item_id, indexes in by_item.items():
            for chunk in chunks(indexes, MAX_MODELS):
                body = {"item_id": int(item_id), key: [entry(changes[i]) for i in chunk]}
                try:
                    response = self.client.post(path, body)
                except AuthError:
                    raise
                except MarketplaceError as exc:
                    outcomes.update({i: SkuOutcome(changes[i].seller_sku, exc) for i in chunk})
                    continue
                failed = {
                    str(f.get("model_id")): str(f.get("failed_reason") or "refused")
                    for f in response.get("failure_list") or []
                }
                for i in chunk:
                    reason = failed.get(changes[i].sku_id)
                    error = PermanentError(reason, "failure_list") if reason else None
                    outcomes[i] = SkuOutcome(changes[i].seller_sku, error)
        return [outcomes[i] for i in range(len(changes))]

    # Orders

    def orders_since(self, cursor: str) -> tuple[list[RemoteOrder], str]:
        """By update_time, from `cursor` (inclusive: an order changed in the same second
        is seen again rather than missed) in 15-day windows; "" = the last 15 days."""
        now = int(time.time())
        start = min(int(cursor), now) if cursor else now - ORDER_WINDOW
        order_sns: list[str] = []
        while True:
            end = min(start + ORDER_WINDOW, now)
            order_sns.extend(self._order_sns(start, end))
            if end >= now:
                break
            start = end
        orders: dict[str, RemoteOrder] = {}
        for chunk in chunks(list(dict.fromkeys(order_sns)), MAX_ORDER_DETAIL):
            response = self.client.get(
                "/api/v2/order/get_order_detail",
                {"order_sn_list": ",".join(chunk), "response_optional_fields": "item_list"},
            )
            for order in response.get("order_list") or []:
                orders[order["order_sn"]] = _remote_order(order)
        latest = max((int(o.updated_at) for o in orders.values()), default=None)
        return list(orders.values()), str(latest) if latest is not None else cursor

    def _order_sns(self, time_from: int, time_to: int) -> Iterator[str]:
        page_cursor = ""
        while True:
            response = self.client.get(
                "/api/v2/order/get_order_list",
                {
                    "time_range_field": "update_time",
                    "time_from": time_from,
                    "time_to": time_to,
                    "page_size": PAGE_SIZE,
                    "cursor": page_cursor,
                },
            )
            yield from (order["order_sn"] for order in response.get("order_list") or [])
            page_cursor = str(response.get("next_cursor") or "")
            if not response.get("more") or not page_cursor:
                return

    # Helpers

    def _item_fields(self, payload: ListingPayload) -> dict[str, Any]:
        """What add_item and update_item share."""
        attributes = payload.attributes
        return {
            "item_name": payload.title,
            "description": payload.description,
            "category_id": int(payload.category_id),
            "weight": max(sku.weight_grams for sku in payload.skus) / 1000,
            "image": {"image_id_list": list(payload.image_ids)},
            "attribute_list": [
                {
                    "attribute_id": int(key),
                    "attribute_value_list": [{"value_id": 0, "original_value_name": value}],
                }
                for key, value in attributes.items()
                if key.isdigit()
            ],
            "brand": {
                "brand_id": int(attributes.get("brand_id") or 0),
                "original_brand_name": attributes.get("brand") or "No brand",
            },
        }

    def _init_variations(self, item_id: str, skus: list[SkuPayload]) -> list[RemoteSku]:
        response = self.client.post(
            "/api/v2/product/init_tier_variation",
            {
                "item_id": int(item_id),
                # Not the deprecated `tier_variation` (update log of 2025-09-12);
                # variation_id 0: a variation of our own, not one of Shopee's standard ones.
                "standardise_tier_variation": [
                    {
                        "variation_id": 0,
                        "variation_name": TIER_NAME,
                        "variation_option_list": [
                            {"variation_option_name": sku.name} for sku in skus
                        ],
                    }
                ],
                "model": [
                    {
                        "tier_index": [index],
                        "model_sku": sku.seller_sku,
                        "original_price": sku.price,
                        "seller_stock": [{"stock": sku.stock}],
                        "weight": sku.weight_grams / 1000,
                    }
                    for index, sku in enumerate(skus)
                ],
            },
        )
        by_sku = {model["model_sku"]: str(model["model_id"]) for model in response["model"]}
        return [
            RemoteSku(sku.seller_sku, by_sku[sku.seller_sku], sku.price, sku.stock) for sku in skus
        ]

    def _base_infos(self) -> Iterator[dict]:
        """get_item_base_info of every item in ITEM_STATUSES (one listing per status: the
        API takes the status repeated, which some servers read as one value)."""
        for status in ITEM_STATUSES:
            offset = 0
            while True:
                page = self.client.get(
                    "/api/v2/product/get_item_list",
                    {"offset": offset, "page_size": PAGE_SIZE, "item_status": status},
                )
                ids = [str(entry["item_id"]) for entry in page.get("item") or []]
                for chunk in chunks(ids, MAX_BASE_INFO):
                    info = self.client.get(
                        "/api/v2/product/get_item_base_info", {"item_id_list": ",".join(chunk)}
                    )
                    yield from info.get("item_list") or []
                if not page.get("has_next_page"):
                    break
                offset = int(page["next_offset"])

    def _remote_item(self, base: dict) -> RemoteItem:
        item_id = str(base["item_id"])
        if base.get("has_model"):
            response = self.client.get("/api/v2/product/get_model_list", {"item_id": item_id})
            skus = [
                RemoteSku(
                    seller_sku=model.get("model_sku") or "",
                    external_id=str(model["model_id"]),
                    price=_price(model),
                    stock=_stock(model),
                )
                for model in response.get("model") or []
            ]
        else:  # an item without variations is addressed as model 0
            skus = [RemoteSku(base.get("item_sku") or "", "0", _price(base), _stock(base))]
        return RemoteItem(item_id, skus, self._url(item_id), str(base.get("item_status") or ""))

    def _url(self, item_id: str) -> str:
        return f"https://shopee.vn/product/{self.client.shop_id}/{item_id}"


def _logistic_id(payload: ListingPayload) -> int:
    return int(payload.attributes.get("logistic_id") or DEFAULT_LOGISTIC_ID)


def _price(entry: dict) -> int | None:
    prices = entry.get("price_info") or []
    return int(prices[0]["original_price"]) if prices else None


def _stock(entry: dict) -> int | None:
    seller_stock = (entry.get("stock_info_v2") or {}).get("seller_stock")
    return sum(int(s["stock"]) for s in seller_stock) if seller_stock is not None else None


def _remote_order(order: dict) -> RemoteOrder:
    return RemoteOrder(
        external_id=order["order_sn"],
        # An unknown status keeps holding the stock rather than giving it back.
        state=ORDER_STATES.get(order.get("order_status", ""), "open"),
        lines=[
            RemoteOrderLine(line.get("model_sku") or line.get("item_sku") or "", int(qty))
            for line in order.get("item_list") or []
            if (qty := line.get("model_quantity_purchased"))
        ],
        updated_at=float(order.get("update_time") or 0),
    )
