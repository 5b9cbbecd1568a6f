"""The Lazada side of the sync engine's `Adapter` protocol.

Lazada has no product-level key of ours: an item is found through its SellerSkus. Prices
go through `/product/price_quantity/update` and stock through
`/product/stock/sellable/update`; both take SKUs of different items in one call (at
most `BATCH_LIMIT`), so a whole shop's stock needs few calls.

Which stock: `Quantity` of price_quantity/update is the warehouse's *total* stock, "greater
than or equal to the inventory locked by the withhold + occupy + campaign"
(inventory-calculation-logic.md), and Lazada subtracts the units its own open orders hold
from it. Our "available" has already subtracted them (a Lazada order reserves its units
here), so as a total it would take them twice. What we can sell is Lazada's *sellable*
stock, which UpdateSellableQuantity sets "in an overriding manner"
(inventory-management-api.md).
"""

import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

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
)
from connectors.lazada.client import DetailedError, LazadaClient

BATCH_LIMIT = 50  # SKUs per price_quantity call (documented maximum; 20 recommended)
PRODUCTS_PAGE = 50  # /products/get `limit` maximum
SKU_FILTER_LIMIT = 100  # /products/get `sku_seller_list` maximum
ORDERS_PAGE = 100  # /orders/get `limit` maximum
ORDER_ITEMS_LIMIT = 50  # /orders/items/get `order_ids` maximum
FIRST_LOOKBACK = timedelta(days=15)
DEFAULT_PACKAGE_CM = "10"
PACKAGE_SIDES = ("length", "width", "height")
# The token APIs live on the auth host (RefreshAccessToken: "the endpoint is
# https://auth.lazada.com/rest"); the country API hosts (api.lazada.vn/rest, …) do not
# serve them. A base URL elsewhere (a sandbox, a proxy) has its auth host at /auth/rest.
AUTH_URL = "https://auth.lazada.com/rest"
API_HOST = re.compile(r"^https://api\.lazada\.(vn|sg|com\.ph|com\.my|co\.th|co\.id)/rest/?$")
# One sale property of our own, declared under Product.variation (custom-sales-attributes.md:
# a saleProp not declared there is error 4143 BIZ_CHECK_SALEPROP_ATTRIBUTE_INVALID).
VARIATION_NAME = "Phân loại"

# Order item status → our order state. Anything unknown holds the stock ("open"): a
# wrong hold is corrected by the next change, a wrong release can oversell.
ORDER_STATES = {
    "unpaid": "open",
    "pending": "open",
    "packed": "open",
    "ready_to_ship": "open",
    "shipped": "shipped",
    "delivered": "shipped",
    "canceled": "cancelled",
    "returned": "cancelled",
    "failed": "cancelled",
}


class LazadaAdapter:
    kind = "lazada"
    variations_after_seconds = 0.0  # /product/create takes the SKUs with the product

    def __init__(
        self,
        base_url: str,
        app_key: str,
        app_secret: str,
        access_token: str,
        timeout: float = 10,
        session: requests.Session | None = None,
    ):
        self.client = LazadaClient(base_url, app_key, app_secret, access_token, timeout, session)
        self.auth = LazadaClient(
            auth_url(base_url), app_key, app_secret, "", timeout, self.client.session
        )

    def refresh(self, refresh_token: str) -> Tokens:
        """A new token pair, used by this adapter from now on. Keep the refresh token
        returned ("must save the latest"); its lifetime is not extended: "the duration of
        the refresh token will not be reset. After the refresh token expires, sellers need
        to re-authorize" (seller-authorization-introduction.md)."""
        answer = self.auth.call(
            "/auth/token/refresh", {"refresh_token": refresh_token}, with_token=False
        )
        self.client.access_token = answer["access_token"]
        now = time.time()
        refresh_left = float(answer.get("refresh_expires_in") or 0)
        return Tokens(
            access_token=answer["access_token"],
            refresh_token=answer.get("refresh_token") or refresh_token,
            expires_at=now + float(answer.get("expires_in", 0)),
            authorisation_expires_at=now + refresh_left if refresh_left else None,
        )

    def add_variations(self, item_id: str, skus: list[SkuPayload]) -> list[RemoteSku]:
        raise NotImplementedError("Lazada creates a product with its SKUs")

    def authorisation_end(self) -> None:
        """Lazada says when authorisation ends only with the tokens (`refresh_expires_in`
        of a refresh, see `refresh`), so there is nothing to ask."""
        return None

    def upload_image(self, data: bytes, filename: str) -> str:
        """Products may only show images hosted by Lazada: the URL returned here."""
        answer = self.client.call("/image/upload", method="POST", files={"image": (filename, data)})
        return answer["data"]["image"]["url"]

    def find_item(self, product_code: str, seller_skus: list[str]) -> RemoteItem | None:
        wanted = set(seller_skus)
        for product in self._products(seller_skus):
            item = _remote_item(product)
            if wanted & {sku.seller_sku for sku in item.skus}:
                return item
        return None

    def _products(self, seller_skus: list[str]) -> Iterator[dict[str, Any]]:
        """The products carrying any of these SellerSkus, as /products/get shows them."""
        for start in range(0, len(seller_skus), SKU_FILTER_LIMIT):
            chunk = seller_skus[start : start + SKU_FILTER_LIMIT]
            params = {"filter": "all", "limit": str(PRODUCTS_PAGE), "offset": "0"}
            answer = self.client.call("/products/get", {**params, "sku_seller_list": _json(chunk)})
            yield from answer["data"].get("products") or []

    def create_item(self, payload: ListingPayload) -> RemoteItem:
        product = _product(payload, None)
        answer = self.client.call("/product/create", {"payload": _request(product)}, method="POST")
        data = answer["data"]
        skus = [RemoteSku(s["seller_sku"], str(s["sku_id"])) for s in data.get("sku_list") or []]
        return RemoteItem(str(data["item_id"]), skus, status=str(data.get("item_status", "")))

    def update_item(self, item: RemoteItem, payload: ListingPayload) -> None:
        """Content, packages and new SKUs; price and stock of existing SKUs are left to
        `update_prices`/`update_stock`, as Lazada advises."""
        product = _product(payload, item)
        self.client.call("/product/update", {"payload": _request(product)}, method="POST")

    def update_prices(self, changes: list[SkuChange]) -> list[SkuOutcome]:
        return self._batches(changes, "/product/price_quantity/update", "Price")

    def update_stock(self, changes: list[SkuChange]) -> list[SkuOutcome]:
        """Absolute sellable quantities (see the module's docstring)."""
        return self._batches(changes, "/product/stock/sellable/update", "SellableQuantity")

    def delist(self, item: RemoteItem) -> None:
        body = f"<Request><Product><ItemId>{escape(item.external_id)}</ItemId></Product></Request>"
        self.client.call("/product/deactivate", {"apiRequestBody": body}, method="POST")

    def relist(self, item: RemoteItem) -> None:
        """Lazada has no "activate" call: an update setting each SKU's Status to active.
        UpdateProduct requires each SKU's package sizes, and Attributes "must be preserved
        but can be left out of any field": the sizes are read back first."""
        shown = {
            str(sku.get("SellerSku")): sku
            for product in self._products([sku.seller_sku for sku in item.skus])
            for sku in product.get("skus") or []
        }
        skus = [
            {
                "SkuId": sku.external_id,
                "Status": "active",
                **{
                    f"package_{side}": str(shown.get(sku.seller_sku, {}).get(f"package_{side}", ""))
                    for side in (*PACKAGE_SIDES, "weight")
                },
            }
            for sku in item.skus
        ]
        product = {"ItemId": item.external_id, "Attributes": {}, "Skus": {"Sku": skus}}
        self.client.call("/product/update", {"payload": _request(product)}, method="POST")

    def items(self) -> Iterator[RemoteItem]:
        offset = 0
        while True:
            params = {"filter": "all", "limit": str(PRODUCTS_PAGE), "offset": str(offset)}
            data = self.client.call("/products/get", params)["data"]
            products = data.get("products") or []
            yield from (_remote_item(product) for product in products)
            offset += len(products)
            if len(products) < PRODUCTS_PAGE or offset >= int(data.get("total_products", 0)):
                return

    def orders_since(self, cursor: str) -> tuple[list[RemoteOrder], str]:
        """Orders updated at or after `cursor` (ISO 8601). The new cursor is the latest
        `updated_at` seen, so the last order comes again next time: at least once."""
        since = cursor or (datetime.now(UTC) - FIRST_LOOKBACK).isoformat(timespec="seconds")
        orders = self._orders(since)
        items = self._order_items([str(order["order_id"]) for order in orders])
        result, latest = [], None
        for order in orders:
            updated = parse_time(str(order["updated_at"]))
            latest = max(latest, updated) if latest else updated
            result.append(_remote_order(order, items.get(str(order["order_id"]), []), updated))
        return result, latest.isoformat() if latest else since

    # Calls

    def _batches(self, changes: list[SkuChange], api: str, field: str) -> list[SkuOutcome]:
        """One call per `BATCH_LIMIT` SKUs; a call-level error is every SKU's outcome."""
        outcomes = []
        for start in range(0, len(changes), BATCH_LIMIT):
            batch = changes[start : start + BATCH_LIMIT]
            skus = "".join(
                f"<Sku><ItemId>{escape(c.item_id)}</ItemId><SkuId>{escape(c.sku_id)}</SkuId>"
                f"<SellerSku>{escape(c.seller_sku)}</SellerSku><{field}>{c.value}</{field}></Sku>"
                for c in batch
            )
            body = f"<Request><Product><Skus>{skus}</Skus></Product></Request>"
            try:
                self.client.call(api, {"payload": body}, method="POST")
            except DetailedError as exc:
                outcomes += _per_sku(batch, exc)
            except AuthError:
                raise  # the engine refreshes the token and sends the batch again
            except MarketplaceError as exc:
                outcomes += [SkuOutcome(c.seller_sku, exc) for c in batch]
            else:
                outcomes += [SkuOutcome(c.seller_sku) for c in batch]
        return outcomes

    def _orders(self, since: str) -> list[dict[str, Any]]:
        orders: list[dict[str, Any]] = []
        while True:
            params = {
                "update_after": since,
                "sort_by": "updated_at",
                "sort_direction": "ASC",
                "limit": str(ORDERS_PAGE),
                "offset": str(len(orders)),
            }
            data = self.client.call("/orders/get", params)["data"]
            page = data.get("orders") or []
            orders += page
            if len(page) < ORDERS_PAGE or len(orders) >= int(data.get("countTotal", 0)):
                return orders

    def _order_items(self, order_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        items: dict[str, list[dict[str, Any]]] = {}
        for start in range(0, len(order_ids), ORDER_ITEMS_LIMIT):
            chunk = [int(i) for i in order_ids[start : start + ORDER_ITEMS_LIMIT]]
            answer = self.client.call("/orders/items/get", {"order_ids": _json(chunk)})
            for order in answer["data"] or []:
                items[str(order["order_id"])] = order.get("order_items") or []
        return items


# Payloads and answers


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _request(product: dict[str, Any]) -> str:
    return _json({"Request": {"Product": product}})


def _product(payload: ListingPayload, item: RemoteItem | None) -> dict[str, Any]:
    """The `Product` of a create (item None) or an update. Package sizes come from the
    attributes `package_length/width/height` (cm) or default to 10 cm."""
    attributes = dict(payload.attributes)
    package = {
        f"package_{side}": attributes.pop(f"package_{side}", DEFAULT_PACKAGE_CM)
        for side in PACKAGE_SIDES
    }
    attributes.pop("brand", None)  # "brand will be deprecated please use brand_id"
    brand_id = str(attributes.pop("brand_id", "") or "")
    if not brand_id.isdigit():
        raise PermanentError(
            "Lazada cần mã thương hiệu (brand_id, lấy từ GetBrandByPages) trong ánh xạ danh mục.",
            "brand_id",
        )
    known = {sku.seller_sku: sku.external_id for sku in item.skus} if item else {}
    skus = []
    for sku in payload.skus:
        entry: dict[str, Any] = {
            "SellerSku": sku.seller_sku,
            "package_weight": f"{sku.weight_grams / 1000:g}",
            **package,
            "saleProp": {VARIATION_NAME: sku.name},
        }
        if sku.seller_sku in known:
            entry["SkuId"] = known[sku.seller_sku]
        else:
            entry |= {"price": str(sku.price), "quantity": str(sku.stock)}
        skus.append(entry)
    product: dict[str, Any] = {
        "PrimaryCategory": payload.category_id,
        "Images": {"Image": list(payload.image_ids)},
        "variation": {
            "variation1": {
                "name": VARIATION_NAME,
                "hasImage": False,
                "customize": True,
                "options": {"option": [sku.name for sku in payload.skus]},
            }
        },
        "Attributes": {
            **attributes,
            "name": payload.title,
            "description": payload.description,
            "brand_id": brand_id,
        },
        "Skus": {"Sku": skus},
    }
    if item:
        product = {"ItemId": item.external_id, **product}
        if known and len(known) < len(payload.skus):
            # New SKUs join the item through one it already has (UpdateProduct's
            # AssociatedSku).
            product["AssociatedSku"] = next(iter(known))
    return product


def _per_sku(batch: list[SkuChange], error: DetailedError) -> list[SkuOutcome]:
    """SKUs named in `detail` failed with their own message; the others went through.
    A detail naming no SKU leaves no way to tell, so it fails the whole batch."""
    failed: dict[str, PermanentError] = {}
    for entry in error.detail:
        seller_sku = str(entry.get("seller_sku") or "")
        if not seller_sku:
            return [SkuOutcome(c.seller_sku, error) for c in batch]
        failed[seller_sku] = PermanentError(str(entry.get("message") or error.message), error.code)
    return [SkuOutcome(c.seller_sku, failed.get(c.seller_sku)) for c in batch]


def auth_url(base_url: str) -> str:
    if API_HOST.match(base_url):
        return AUTH_URL
    origin = re.sub(r"^(https?://[^/]+).*$", r"\1", base_url)
    return origin + "/auth/rest"


def parse_time(text: str) -> datetime:
    """Every form the order APIs' examples show: "2018-02-09T22:44:30+08:00" (GetOrders),
    "2014-10-15 18:36:05 +0800" (GetOrder, GetOrderItems), and milliseconds since the
    epoch, "1413786247000" (GetMultipleOrderItems)."""
    text = text.strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text) / 1000, UTC)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")


def _sellable(sku: dict[str, Any]) -> int | None:
    """The SKU's sellable stock: its warehouse's sellableQuantity where shown, else
    `Available`, else `quantity`."""
    warehouses = sku.get("multiWarehouseInventories") or []
    for value in (
        warehouses[0].get("sellableQuantity") if warehouses else None,
        sku.get("Available"),
        sku.get("quantity"),
    ):
        if value is not None:
            return int(value)
    return None


def _remote_item(product: dict[str, Any]) -> RemoteItem:
    skus = product.get("skus") or []
    return RemoteItem(
        external_id=str(product["item_id"]),
        skus=[
            RemoteSku(
                seller_sku=sku["SellerSku"],
                external_id=str(sku["SkuId"]),
                price=round(float(sku["price"])) if sku.get("price") is not None else None,
                stock=_sellable(sku),
            )
            for sku in skus
        ],
        url=str(skus[0].get("Url", "")) if skus else "",
        status=str(product.get("status", "")),
    )


def _remote_order(
    order: dict[str, Any], items: list[dict[str, Any]], updated: datetime
) -> RemoteOrder:
    """One line per SKU. Lazada has one order item per unit, each with its own status:
    the order is open while any unit is, and cancelled units leave an order that is not."""
    item_states = [ORDER_STATES.get(item.get("status", ""), "open") for item in items]
    states = item_states or [ORDER_STATES.get(s, "open") for s in order.get("statuses") or []]
    state = next((s for s in ("open", "shipped") if s in states), "cancelled")
    counted = [
        item
        for item, item_state in zip(items, item_states, strict=True)
        if state == "cancelled" or item_state != "cancelled"
    ]
    quantities = Counter(str(item["sku"]) for item in counted)
    return RemoteOrder(
        external_id=str(order["order_id"]),
        state=state,
        lines=[RemoteOrderLine(sku, qty) for sku, qty in quantities.items()],
        updated_at=updated.timestamp(),
    )
