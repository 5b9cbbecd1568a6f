"""A Lazada Open Platform stand-in for tests and demos (see `connectors/sandbox/server.py`).

API paths live under `/rest`, as on `https://api.lazada.vn/rest`; the token APIs under
`/auth/rest`, standing for `https://auth.lazada.com/rest`. Every request is checked
against our data file of Lazada's documentation (connectors/lazada/spec/, through
`conformance.check`), and like Lazop does: `app_key`, a millisecond `timestamp` within
±7200 s, `sign` over the path plus all query and form parameters, and (except token
refresh) an issued, unexpired `access_token`. Errors use Lazada's envelope
`{type, code, message, request_id}` with HTTP 200; a rate-limited call answers HTTP 200
`ApiCallLimit` with a `Retry-After` header.

Beyond the shared control endpoints:

    POST /_sandbox/tokens  {"expires_in": 604800}  → a new token pair (no signature);
                           a negative `expires_in` gives an already expired access token.

`LazadaSandbox.issue_tokens()` does the same in-process.

Stock as Lazada counts it (inventory-calculation-logic.md): each SKU has a sellable
`stock` and the units `occupied` by open orders; its total is their sum. An order moves
units from sellable to occupied; shipping takes them away, cancelling gives them back.
price_quantity/update's `Quantity` sets the total, stock/sellable/update the sellable.

The app key and secret are fixed at construction (`DEFAULT_APP_KEY` and
`DEFAULT_APP_SECRET` unless given).
"""

import hashlib
import hmac
import json
import secrets
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from connectors.lazada import conformance
from connectors.lazada.signing import sign
from connectors.sandbox.server import PushMessage, Request, Response, Sandbox

DEFAULT_APP_KEY = "100001"
DEFAULT_APP_SECRET = "lazada-sandbox-secret"
SELLER_ID = "1000114855"  # the seller of the push guide's example
CLOCK_SKEW_MS = 7200 * 1000
ACCESS_LIFETIME = 7 * 86400  # test app: 7 days
REFRESH_LIFETIME = 30 * 86400
TOKENLESS = frozenset({"/auth/token/refresh"})
IMAGE_HOST = "https://vn-test-11.slatic.net/p/"
IMAGE_MAX_BYTES = 3_145_728
PACKAGE_FIELDS = ("package_weight", "package_length", "package_width", "package_height")
VIETNAM = timezone(timedelta(hours=7))
ITEM_STATUS = {"shipped": "shipped", "cancelled": "canceled"}  # our state → Lazada's
VARIATION = "Phân loại"  # the sale property of items made here, as the page shows them

Params = dict[str, str]
Files = dict[str, bytes]


class LazadaSandbox(Sandbox):
    name = "Lazada"
    create_paths = frozenset({"/rest/product/create"})

    def __init__(
        self,
        state_file: Path | None = None,
        app_key: str = DEFAULT_APP_KEY,
        app_secret: str = DEFAULT_APP_SECRET,
    ):
        super().__init__(state_file)
        self.app_key, self._app_secret = app_key, app_secret
        self.routes: dict[str, Callable[[Params, Files], Response]] = {
            "/auth/token/refresh": self._refresh,
            "/image/upload": self._image_upload,
            "/product/create": self._create,
            "/product/update": self._update,
            "/product/price_quantity/update": self._price_quantity,
            "/product/stock/sellable/update": self._sellable,
            "/product/deactivate": self._deactivate,
            "/products/get": self._products,
            "/orders/get": self._orders,
            "/orders/items/get": self._order_items,
        }

    # Tokens

    def issue_tokens(
        self, expires_in: float = ACCESS_LIFETIME, refresh_expires_at: float | None = None
    ) -> dict[str, Any]:
        """A new access/refresh pair, as a seller's authorisation would give; a refresh
        passes on the old pair's `refresh_expires_at`, which it does not extend."""
        now = time.time()
        refresh_end = refresh_expires_at or now + REFRESH_LIFETIME
        pair = {"access_token": secrets.token_hex(16), "refresh_token": secrets.token_hex(16)}
        with self.state.lock:
            self.state.data["tokens"][pair["access_token"]] = {
                "refresh_token": pair["refresh_token"],
                "expires_at": now + expires_in,
                "refresh_expires_at": refresh_end,
            }
            self.state.save()
        left = int(refresh_end - now)
        return {**pair, "expires_in": int(expires_in), "refresh_expires_in": left}

    def control(self, request: Request) -> Response:
        if request.path == "/_sandbox/tokens" and request.method == "POST":
            expires_in = float(request.json().get("expires_in", ACCESS_LIFETIME))
            return Response(200, self.issue_tokens(expires_in))
        return super().control(request)

    # Envelopes

    def error(self, status: int, code: str, message: str) -> Response:
        body = {"type": "ISP" if status >= 500 else "ISV", "code": code, "message": message}
        return Response(status, {**body, "request_id": _request_id()})

    def rate_limited(self) -> Response:
        seconds = f"{self.faults.retry_after:g}"
        message = f"The request has exceeded the limit; this ban will last {seconds} seconds"
        body = {"type": "ISP", "code": "ApiCallLimit", "message": message}
        return Response(200, {**body, "request_id": _request_id()}, {"Retry-After": seconds})

    def _refuse(self, code: str, message: str, detail: list[dict] | None = None) -> Response:
        response = self.error(200, code, message)
        if detail:
            response.body["detail"] = detail
        return response

    def _ok(self, data: Any) -> Response:
        return Response(200, {"code": "0", "data": data, "request_id": _request_id()})

    # Requests

    def route(self, request: Request) -> Response:
        host, api = split_path(request.path)
        entry = conformance.api(api)
        handler = self.routes.get(api)
        if handler is None or entry is None or entry["host"] != host:
            return self.error(404, "InvalidApiPath", f"The specified API path {api} is invalid.")
        params, files = _params(request)
        refusal = self._check(api, params)
        if refusal:
            return refusal
        problems = conformance.check(host, request.method, api, params, set(files))
        if problems:
            code = "MissingParameter" if problems[0].startswith("missing") else "InvalidParameter"
            return self._refuse(code, f"The specified parameter is not valid: {problems[0]}")
        return handler(params, files)

    @staticmethod
    def specification_problems(request: Request) -> list[str]:
        host, api = split_path(request.path)
        params, files = _params(request)
        return conformance.check(host, request.method, api, params, set(files))

    def _check(self, api: str, params: Params) -> Response | None:
        """Lazop's gate: parameters, app key, clock, signature, then the token."""
        required = ["app_key", "timestamp", "sign_method", "sign"]
        if api not in TOKENLESS:
            required.append("access_token")
        for name in required:
            if not params.get(name):
                return self._refuse("MissingParameter", f"The parameter '{name}' is mandatory.")
        if params["app_key"] != self.app_key:
            return self._refuse("InvalidAppKey", "The app_key is not registered.")
        if not params["timestamp"].isdigit() or (
            abs(int(params["timestamp"]) - time.time() * 1000) > CLOCK_SKEW_MS
        ):
            return self._refuse("InvalidTimestamp", "The timestamp is not within 7200 s of now.")
        expected = sign(self._app_secret, api, params)
        if params["sign_method"] != "sha256" or not hmac.compare_digest(expected, params["sign"]):
            return self._refuse(
                "IncompleteSignature", "The request signature does not conform to lazop standards"
            )
        if api in TOKENLESS:
            return None
        with self.state.lock:
            token = self.state.data["tokens"].get(params["access_token"])
        if token is None or token["expires_at"] < time.time():
            return self._refuse("IllegalAccessToken", "The access token is invalid or expired.")
        return None

    # Handlers

    def _refresh(self, params: Params, files: Files) -> Response:
        """Rotates: the old pair stops working and a new one is issued."""
        refresh_token = params.get("refresh_token", "")
        with self.state.lock:
            tokens = self.state.data["tokens"]
            old = next(
                (
                    access
                    for access, token in tokens.items()
                    if token["refresh_token"] == refresh_token
                    and token["refresh_expires_at"] > time.time()
                ),
                None,
            )
            if old is None:
                return self._refuse(
                    "IllegalRefreshToken", "The specified refresh token is invalid or expired"
                )
            spent = tokens.pop(old)
            pair = self.issue_tokens(refresh_expires_at=spent["refresh_expires_at"])
        answer = {"code": "0", **pair, "account": "sandbox@ocop.vn", "country": "vn"}
        return Response(200, {**answer, "request_id": _request_id()})

    def _image_upload(self, params: Params, files: Files) -> Response:
        data = files["image"]
        if len(data) > IMAGE_MAX_BYTES:
            return self._refuse("E005", "Image is larger than 3 MB.")
        digest = hashlib.sha256(data).hexdigest()[:32]
        return self._ok({"image": {"hash_code": digest, "url": f"{IMAGE_HOST}{digest}.jpg"}})

    def _create(self, params: Params, files: Files) -> Response:
        product = _json_product(params["payload"])
        skus = _skus(product)
        problems = (
            _product_problems(product)
            + [
                problem
                for index, sku in enumerate(skus)
                for problem in _new_sku_problems(index, sku)
            ]
            + _sale_prop_problems(product, skus)
        )
        with self.state.lock:
            problems += self._taken(skus)
            if problems:
                return self._create_failed(problems)
            item_id = str(self.next_id())
            item: dict[str, Any] = {"id": item_id, "status": "Active", "skus": []}
            self._apply_content(item, product)
            for sku in skus:
                item["skus"].append(self._new_sku(sku))
            self.state.data["items"][item_id] = item
            self.state.save()
        sku_list = [
            {"seller_sku": s["seller_sku"], "shop_sku": _shop_sku(item, s), "sku_id": int(s["id"])}
            for s in item["skus"]
        ]
        return self._ok({"item_id": int(item_id), "sku_list": sku_list})

    def _update(self, params: Params, files: Files) -> Response:
        """One product: content, packages of existing SKUs, and new SKUs."""
        product = _json_product(params["payload"])
        with self.state.lock:
            item = self.state.data["items"].get(str(product["ItemId"]))
            if item is None:
                return self._refuse("E500", f"ITEM_NOT_FOUND: item {product['ItemId']}.")
            old: list[tuple[dict, dict]] = []  # (our SKU, the SKU sent)
            new: list[dict] = []
            for sku in _skus(product):
                match = next(
                    (
                        s
                        for s in item["skus"]
                        if str(sku.get("SkuId", "")) == s["id"]
                        or sku.get("SellerSku") == s["seller_sku"]
                    ),
                    None,
                )
                if match is None:
                    new.append(sku)
                else:
                    old.append((match, sku))
            problems = _product_problems(product, item) + _sale_prop_problems(product, new)
            for index, sku in enumerate(new):
                problems += _new_sku_problems(index, sku)
            problems += self._taken(new)
            if problems:
                return self._create_failed(problems, "Update product failed")
            self._apply_content(item, product)
            if any(str(sku.get("Status", "")).lower() == "active" for sku in _skus(product)):
                item["status"] = "Active"
            for match, sku in old:
                match["package"] |= {f: str(sku[f]) for f in PACKAGE_FIELDS if f in sku}
                match["name"] = _option(sku) or match.get("name", "")
            item["skus"] += [self._new_sku(sku) for sku in new]
            self.state.save()
        return self._ok({"item_id": int(item["id"])})

    def _price_quantity(self, params: Params, files: Files) -> Response:
        """Up to 50 SKUs of any items. Bad SKUs are listed in `detail` (code E501); the
        good ones are applied all the same."""
        skus = ET.fromstring(params["payload"]).findall("./Product/Skus/Sku")
        detail = []
        with self.state.lock:
            for element in skus:
                seller_sku = element.findtext("SellerSku", "")
                problem = self._apply_price_quantity(element)
                if problem:
                    field, message = problem
                    detail.append({"field": field, "message": message, "seller_sku": seller_sku})
            self.state.save()
        if detail:
            return self._refuse("E501", "Update product failed", detail)
        return self._ok({})

    def _sellable(self, params: Params, files: Files) -> Response:
        """Sets each SKU's sellable stock ("in an overriding manner"); the total follows."""
        skus = ET.fromstring(params["payload"]).findall("./Product/Skus/Sku")  # checked
        detail = []
        with self.state.lock:
            for element in skus:
                sku = self._find_sku(element)
                quantity = _int(element.findtext("SellableQuantity"))
                if sku is None:
                    seller_sku = element.findtext("SellerSku") or element.findtext("SkuId", "")
                    message = f"SELLER_SKU_NOT_FOUND: {seller_sku} is not in this shop."
                    detail.append({"field": "SkuId", "message": message, "seller_sku": seller_sku})
                elif quantity is not None:
                    sku["stock"] = quantity
            self.state.save()
        if detail:
            return self._refuse("501", "Update product failed", detail)
        return self._ok({})

    def _deactivate(self, params: Params, files: Files) -> Response:
        item_id = ET.fromstring(params["apiRequestBody"]).findtext("./Product/ItemId")
        with self.state.lock:
            item = self.state.data["items"].get(item_id or "")
            if item is None:
                return self._refuse("E500", f"ITEM_NOT_FOUND: item {item_id}.")
            item["status"] = "InActive"
            self.state.save()
        return self._ok({})

    def _products(self, params: Params, files: Files) -> Response:
        limit, offset = _int(params.get("limit", "10")), _int(params.get("offset", "0"))
        if limit is None or limit < 1 or offset is None or offset < 0:
            return self._refuse("E005", "limit must be at least 1, offset ≥ 0.")
        wanted = json.loads(params.get("sku_seller_list") or "[]")
        status = {"live": "Active", "inactive": "InActive"}.get(params.get("filter", "all"))
        with self.state.lock:
            items = sorted(self.state.data["items"].values(), key=lambda i: int(i["id"]))
            chosen = [
                _product_view(item)
                for item in items
                if (status is None or item["status"] == status)
                and (not wanted or {s["seller_sku"] for s in item["skus"]} & set(wanted))
            ]
        page = chosen[offset : offset + limit]
        return self._ok({"total_products": len(chosen), "products": page})

    def _orders(self, params: Params, files: Files) -> Response:
        """Orders updated (or created) at or after the given ISO 8601 time."""
        field, after = "updated_at", "update_after"
        if not params.get(after):
            field, after = "created_at", "created_after"
        try:
            since = datetime.fromisoformat(params[after]).timestamp()
        except ValueError:
            return self._refuse("InvalidParameter", f"{after}: not an ISO 8601 time.")
        limit, offset = _int(params.get("limit", "100")), _int(params.get("offset", "0"))
        if limit is None or limit < 1 or offset is None or offset < 0:
            return self._refuse("E005", "limit must be at least 1, offset ≥ 0.")
        with self.state.lock:
            orders = [o for o in self.state.data["orders"].values() if o[field] >= int(since)]
            sort_by = "updated_at" if params.get("sort_by") == "updated_at" else "created_at"
            orders.sort(
                key=lambda o: (o[sort_by], int(o["id"])),
                reverse=params.get("sort_direction", "DESC") == "DESC",
            )
            page = [_order_view(order) for order in orders[offset : offset + limit]]
        return self._ok({"count": len(page), "countTotal": len(orders), "orders": page})

    def _order_items(self, params: Params, files: Files) -> Response:
        ids = json.loads(params["order_ids"])
        if not ids:
            return self._refuse("E005", "order_ids: a JSON list of at least one id.")
        with self.state.lock:
            orders = [self.state.data["orders"].get(str(i)) for i in ids]
            data = [
                {
                    "order_id": int(o["id"]),
                    "order_number": int(o["id"]),
                    "order_items": [_order_item_view(o, item) for item in o["items"]],
                }
                for o in orders
                if o is not None
            ]
        return self._ok(data)

    # Orders made by the marketplace

    def create_order(self, lines: list[dict]) -> str:
        """A "pending" order with one order item per unit, as Lazada has; the stock of
        known SKUs goes down as a sale would take it."""
        with self.state.lock:
            order_id, now = str(self.next_id()), time.time()
            items = []
            for line in lines:
                quantity = int(line["quantity"])
                items += [
                    {
                        "order_item_id": self.next_id(),
                        "sku": line["seller_sku"],
                        "status": "pending",
                    }
                    for _ in range(quantity)
                ]
                self._move_stock(line["seller_sku"], -quantity, quantity)
            self.state.data["orders"][order_id] = {
                "id": order_id,
                "state": "open",
                "lines": [[line["seller_sku"], int(line["quantity"])] for line in lines],
                "created_at": now,
                "updated_at": now,
                "items": items,
            }
            self.state.save()
        self.order_changed(order_id)
        return order_id

    def set_order_state(self, order_id: str, state: str) -> None:
        """shipped | cancelled for every unit; cancelling gives the stock back."""
        if state not in ITEM_STATUS:
            raise ValueError(f"Unknown order state {state!r}: shipped or cancelled.")
        with self.state.lock:
            order = self.state.data["orders"][order_id]
            for item in order["items"]:
                if item["status"] == "pending":  # held: shipping takes it, cancelling frees it
                    self._move_stock(item["sku"], 1 if state == "cancelled" else 0, -1)
                item["status"] = ITEM_STATUS[state]
            order["state"], order["updated_at"] = state, time.time()
            self.state.save()
        self.order_changed(order_id)

    def push_messages(self, order_id: str, url: str) -> list[PushMessage]:
        """One trade order message per order line (webhook-api-trade-order-notifications.md),
        `Authorization` = hex HMAC-SHA256 of app key + body with the app secret
        (lazada-push-mechanism.md)."""
        with self.state.lock:
            order = self.state.data["orders"][order_id]
            messages = [
                {
                    "seller_id": SELLER_ID,
                    "message_type": 0,
                    "data": {
                        "order_status": item["status"],
                        "trade_order_id": order_id,
                        "trade_order_line_id": str(item["order_item_id"]),
                        "status_update_time": int(order["updated_at"]),
                    },
                    "timestamp": int(time.time() * 1000),
                    "site": "lazada_vn",
                }
                for item in order["items"]
            ]
        signed = []
        for message in messages:
            body = json.dumps(message).encode()
            signature = hmac.new(
                self._app_secret.encode(), self.app_key.encode() + body, hashlib.sha256
            ).hexdigest()
            headers = {"Content-Type": "application/json", "Authorization": signature}
            signed.append(PushMessage(body, headers, order_id))
        return signed

    # State helpers (called under the lock)

    def _move_stock(self, seller_sku: str, sellable: int, occupied: int) -> None:
        for item in self.state.data["items"].values():
            for sku in item["skus"]:
                if sku["seller_sku"] == seller_sku:
                    sku["stock"] = max(0, sku["stock"] + sellable)
                    sku["occupied"] = max(0, sku.get("occupied", 0) + occupied)

    def _taken(self, skus: list[dict]) -> list[tuple[str, str, str]]:
        """SellerSkus are unique in a shop (BIZ_CHECK_SELLER_SKU_DUPLICATE)."""
        used = {s["seller_sku"] for item in self.state.data["items"].values() for s in item["skus"]}
        seen: set[str] = set()
        problems = []
        for sku in skus:
            seller_sku = str(sku.get("SellerSku", ""))
            if seller_sku in used or seller_sku in seen:
                problems.append(
                    ("SellerSku", f"SellerSku {seller_sku} already exists.", seller_sku)
                )
            seen.add(seller_sku)
        return problems

    def _create_failed(
        self, problems: list[tuple[str, str, str]], summary: str = "Create product failed"
    ) -> Response:
        detail = [{"field": f, "message": m, "seller_sku": s} for f, m, s in problems]
        message = f"{summary}: " + "; ".join(m for _, m, _ in problems)
        return self._refuse("E500", message, detail)

    def _apply_content(self, item: dict, product: dict) -> None:
        attributes = dict(product.get("Attributes") or {})
        item["name"] = attributes.get("name", item.get("name", ""))
        item["attributes"] = {**item.get("attributes", {}), **attributes}
        item["category"] = str(product.get("PrimaryCategory") or item.get("category", ""))
        images = (product.get("Images") or {}).get("Image")
        item["images"] = images if images is not None else item.get("images", [])
        item["updated_at"] = time.time()

    def _new_sku(self, sku: dict) -> dict:
        return {
            "seller_sku": str(sku["SellerSku"]),
            "id": str(self.next_id()),
            "name": _option(sku),
            "price": round(float(sku["price"])),
            "stock": int(sku["quantity"]),
            "occupied": 0,
            "package": {field: str(sku[field]) for field in PACKAGE_FIELDS},
        }

    def _find_sku(self, element: ET.Element) -> dict | None:
        """The SKU a <Sku> names by SkuId (within ItemId if given), or by SellerSku."""
        item_id, sku_id = element.findtext("ItemId", ""), element.findtext("SkuId", "")
        seller_sku = element.findtext("SellerSku", "")
        items = self.state.data["items"]
        candidates = [items[item_id]] if item_id in items else [] if item_id else items.values()
        return next(
            (
                s
                for candidate in candidates
                for s in candidate["skus"]
                if s["id"] == sku_id or (not sku_id and s["seller_sku"] == seller_sku)
            ),
            None,
        )

    def _apply_price_quantity(self, element: ET.Element) -> tuple[str, str] | None:
        """Apply one <Sku>; the (field, message) of what is wrong with it, if anything."""
        seller_sku, sku_id = element.findtext("SellerSku", ""), element.findtext("SkuId", "")
        sku = self._find_sku(element)
        if sku is None:
            return "SellerSku", f"SELLER_SKU_NOT_FOUND: {seller_sku or sku_id} is not in this shop."
        price, quantity = element.findtext("Price"), element.findtext("Quantity")
        if price is None and quantity is None:
            return "Price", "Price or Quantity is mandatory."
        stock, amount = _int(quantity), _number(price)
        if quantity is not None and (stock is None or stock < sku.get("occupied", 0)):
            return "Quantity", "Quantity must be at least the units held by open orders."
        if price is not None and (amount is None or amount <= 0):
            return "Price", "Price must be a positive number."
        if stock is not None:
            sku["stock"] = stock - sku.get("occupied", 0)  # the total, less what is held
        if amount is not None:
            sku["price"] = round(amount)
        return None


# Parsing and views


def _request_id() -> str:
    return uuid.uuid4().hex[:26]


def split_path(path: str) -> tuple[str, str]:
    """(host, API path) of a request to this server: /rest/… stands for the API host,
    /auth/rest/… for the auth host; anything else names no API (host "")."""
    for prefix, host in (("/auth/rest/", "auth"), ("/rest/", "api")):
        if path.startswith(prefix):
            return host, path[len(prefix) - 1 :]
    return "", path


def _params(request: Request) -> tuple[Params, Files]:
    return conformance.signed_parameters(
        request.query, request.headers.get("content-type", ""), request.body
    )


def _json_product(payload: str) -> dict:
    """The Product of a payload the documentation check has let through."""
    return json.loads(payload)["Request"]["Product"]


def _skus(product: dict) -> list[dict]:
    skus = (product.get("Skus") or {}).get("Sku") or []
    return [sku for sku in skus if isinstance(sku, dict)] if isinstance(skus, list) else []


def _int(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    try:
        return float(str(value))
    except ValueError:
        return None


def _product_problems(product: dict, item: dict | None = None) -> list[tuple[str, str, str]]:
    """Mandatory product fields (an update may leave out what the item already has)."""
    attributes = product.get("Attributes") or {}
    problems = []
    if not product.get("PrimaryCategory") and not item:
        problems.append(("PrimaryCategory", "PrimaryCategory is mandatory."))
    if not attributes.get("name") and not item:
        problems.append(("name", "Attributes.name is mandatory."))
    images = (product.get("Images") or {}).get("Image")
    if images is None and not item:
        problems.append(("Images", "Images.Image is mandatory: upload one first."))
    for url in images or []:
        if not str(url).startswith(IMAGE_HOST):
            problems.append(("Images", f"Image {url} is not a Lazada image URL."))
    if not _skus(product) and not item:
        problems.append(("Skus", "Skus.Sku needs at least one SKU."))
    return [(field, message, "") for field, message in problems]


def _new_sku_problems(index: int, sku: dict) -> list[tuple[str, str, str]]:
    seller_sku = str(sku.get("SellerSku") or "")
    problems = [
        (field, f"Sku[{index}] {seller_sku}: {field} is mandatory.")
        for field in ("SellerSku", "price", "quantity", *PACKAGE_FIELDS)
        if sku.get(field) in (None, "")
    ]
    price, quantity = sku.get("price"), sku.get("quantity")
    if price not in (None, "") and not (_number(price) or 0) > 0:
        problems.append(("price", f"Sku[{index}] {seller_sku}: price must be positive."))
    count = _int(quantity)
    if quantity not in (None, "") and (count is None or count < 0):
        problems.append(("quantity", f"Sku[{index}] {seller_sku}: quantity cannot be negative."))
    for field in PACKAGE_FIELDS:
        if sku.get(field) not in (None, "") and not (_number(sku[field]) or 0) > 0:
            problems.append((field, f"Sku[{index}] {seller_sku}: {field} must be positive."))
    return [(field, message, seller_sku) for field, message in problems]


def _iso_time(timestamp: float) -> str:
    return datetime.fromtimestamp(int(timestamp), VIETNAM).isoformat()


def _option(sku: dict) -> str:
    """The SKU's option of the product's one sale property."""
    values = list((sku.get("saleProp") or {}).values())
    return str(values[0]) if values else ""


def _sale_prop_problems(product: dict, skus: list[dict]) -> list[tuple[str, str, str]]:
    """Each saleProp must name a property declared under Product.variation, with one of its
    options (4143 BIZ_CHECK_SALEPROP_ATTRIBUTE_INVALID, custom-sales-attributes.md)."""
    declared = {
        str(entry.get("name")): set((entry.get("options") or {}).get("option") or [])
        for entry in (product.get("variation") or {}).values()
        if isinstance(entry, dict)
    }
    problems = []
    for sku in skus:
        seller_sku = str(sku.get("SellerSku") or "")
        for name, option in (sku.get("saleProp") or {}).items():
            if name not in declared:
                message = "BIZ_CHECK_SALEPROP_ATTRIBUTE_INVALID: The selling attributes are not"
                problems.append(("saleProp", f"{message} defined in the variation", seller_sku))
            elif option not in declared[name]:
                message = f"SKU_VARIATION_OPTION_NOT_EXIST: {seller_sku} {name} {option}"
                problems.append(("saleProp", message, seller_sku))
    return problems


def _product_view(item: dict) -> dict:
    return {
        "item_id": int(item["id"]),
        "primary_category": item.get("category", ""),
        "status": item["status"],
        "images": item.get("images", []),
        "attributes": item.get("attributes", {}),
        "skus": [
            {
                "SkuId": int(sku["id"]),
                "SellerSku": sku["seller_sku"],
                "ShopSku": _shop_sku(item, sku),
                "Status": "active" if item["status"] == "Active" else "inactive",
                "price": float(sku["price"]),
                "quantity": sku["stock"] + sku.get("occupied", 0),
                "Available": sku["stock"],
                "multiWarehouseInventories": [
                    {
                        "warehouseCode": "dropshipping",
                        "quantity": sku["stock"] + sku.get("occupied", 0),
                        "totalQuantity": sku["stock"] + sku.get("occupied", 0),
                        "sellableQuantity": sku["stock"],
                        "occupyQuantity": sku.get("occupied", 0),
                        "withholdQuantity": 0,
                    }
                ],
                "saleProp": {VARIATION: sku.get("name", "")},
                "Url": f"https://www.lazada.vn/products/i{item['id']}-s{sku['id']}.html",
                **sku.get("package", {}),
            }
            for sku in item["skus"]
        ],
    }


def _shop_sku(item: dict, sku: dict) -> str:
    return f"{item['id']}_VNAMZ-{sku['id']}"


def _order_view(order: dict) -> dict:
    return {
        "order_id": int(order["id"]),
        "order_number": int(order["id"]),
        # GetOrders' example: "2018-02-09T22:44:30+08:00"
        "created_at": _iso_time(order["created_at"]),
        "updated_at": _iso_time(order["updated_at"]),
        "statuses": sorted({item["status"] for item in order["items"]}),
        "items_count": len(order["items"]),
    }


def _order_item_view(order: dict, item: dict) -> dict:
    return {
        "order_item_id": item["order_item_id"],
        "order_id": int(order["id"]),
        "sku": item["sku"],
        "status": item["status"],
        # GetMultipleOrderItems' example: milliseconds, "1414548487000"
        "updated_at": str(int(order["updated_at"] * 1000)),
    }
