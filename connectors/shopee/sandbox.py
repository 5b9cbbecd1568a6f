"""A local Shopee v2: the paths the connector uses, with Shopee's signing, envelopes,
batch limits and errors, on the shared sandbox server.

Defaults are the reference's test identity (partner 2001887, key "test_partner_key",
shop 14701711). A token pair comes from `issue_tokens()` or, over HTTP,
`POST /_sandbox/tokens {"access_ttl": 14400}` (no signature, like every control path).
`POST /_sandbox/answers {"errors": [{"error": …, "message": …}]}` answers the next API
calls with those errors, one each; only errors the called API's specification lists.

Each path's HTTP method and signature type (Public: without token and shop) come from
Shopee's specifications (connectors/shopee/spec/), not from the client, and every request
is checked against them (`conformance.problems`: fields, types, documented limits) before
its handler runs, so the handlers check only what the specifications leave to the shop.

Sandbox rules where Shopee documents none: prices 1,000–120,000,000 VND, stock
0–999,999 (a value outside is refused through `failure_list`, as Shopee does for one
model of a batch).
"""

import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from connectors.sandbox.server import PushMessage, Request, Response, Sandbox

from . import conformance, spec
from .signing import sign

PARTNER_ID = 2001887
PARTNER_KEY = "test_partner_key"
SHOP_ID = 14701711
CLOCK_SKEW = 300
MIN_PRICE, MAX_PRICE = 1_000, 120_000_000
MAX_STOCK = 999_999
ORDER_WINDOW = 15 * 86400
# "The seller's authorization for your App to access their shop's data is only valid for
# 1 year" (push-mechanism-notifications.md, Open API Authorization Expiry Push).
AUTHORISATION_LIFETIME = 365 * 86400
ORDER_STATUSES = {"shipped": "SHIPPED", "cancelled": "CANCELLED", "to_return": "TO_RETURN"}


class Refused(Exception):
    """Answer with a Shopee error envelope."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


Handler = Callable[[Request, dict], dict | Response]


class ShopeeSandbox(Sandbox):
    name = "shopee"
    create_paths = frozenset({"/api/v2/product/add_item"})

    def __init__(
        self,
        state_file: Path | None = None,
        partner_id: int = PARTNER_ID,
        partner_key: str = PARTNER_KEY,
        shop_id: int = SHOP_ID,
    ):
        super().__init__(state_file)
        self.partner_id, self.shop_id = partner_id, shop_id
        self._partner_key = partner_key
        self.answers: list[tuple[str, str]] = []  # (error, message) for the next calls
        api = "/api/v2/"
        self.handlers: dict[str, Handler] = {
            api + "auth/access_token/get": self._refresh,
            api + "media_space/upload_image": self._upload_image,
            api + "product/add_item": self._add_item,
            api + "product/init_tier_variation": self._init_tier_variation,
            api + "product/update_item": self._update_item,
            api + "product/unlist_item": self._unlist_item,
            api + "product/update_price": self._update_price,
            api + "product/update_stock": self._update_stock,
            api + "product/get_item_list": self._get_item_list,
            api + "product/get_item_base_info": self._get_item_base_info,
            api + "product/get_model_list": self._get_model_list,
            api + "order/get_order_list": self._get_order_list,
            api + "order/get_order_detail": self._get_order_detail,
            api + "shop/get_shop_info": self._get_shop_info,
        }

    def initial_state(self) -> dict:
        return {**super().initial_state(), "images": []}

    # Envelopes

    def error(self, status: int, code: str, message: str) -> Response:
        return Response(status, {"request_id": uuid.uuid4().hex, "error": code, "message": message})

    def rate_limited(self) -> Response:
        response = self.error(429, "error_rate_limit", "Too many requests")
        response.headers["Retry-After"] = str(self.faults.retry_after)
        return response

    def route(self, request: Request) -> Response:
        api = spec.apis().get(request.path)
        if request.path not in self.handlers or api is None:
            return self.error(404, "error_not_found", f"Wrong path {request.path}.")
        if self.answers:
            code, message = self.answers.pop(0)
            if (code, message) not in api.errors:
                return self.error(500, "sandbox", f"{api.name} documents no {code} {message!r}")
            return self.error(200, code, message)  # Shopee's errors are in the body
        try:
            if request.method != api.method:
                raise Refused("error_param", f"{request.path} expects {api.method}.", 405)
            self._authenticate(request, api.public)
            body = request.query if api.method == "GET" else self._body(request)
            refused = conformance.problems(
                request.method,
                request.path,
                request.query,
                None if api.method == "GET" else body,
                conformance.file_parts(request.body),
            )
            if refused:  # the documented message of every API's error_param
                raise Refused("error_param", f"Wrong parameters, detail: {'; '.join(refused)}.")
            result = self.handlers[request.path](request, body)
        except Refused as exc:
            return self.error(exc.status, exc.code, exc.message)
        if isinstance(result, Response):
            return result
        envelope = {"request_id": uuid.uuid4().hex, "error": "", "message": "", "warning": ""}
        return Response(200, {**envelope, "response": result})

    @staticmethod
    def specification_problems(request: Request) -> list[str]:
        return conformance.check(
            request.method,
            request.path,
            request.query,
            request.headers.get("content-type", ""),
            request.body,
        )

    @staticmethod
    def _body(request: Request) -> dict:
        if "multipart/form-data" in request.headers.get("content-type", ""):
            return conformance.form_fields(request.body)
        try:
            body = request.json()
        except ValueError:
            raise Refused("error_param", "The body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise Refused("error_param", "The body must be a JSON object.")
        return body

    def _authenticate(self, request: Request, public: bool) -> None:
        """Shopee's order: sign present, timestamp fresh, partner known, sign right, then
        the token (known, not expired, for this shop)."""
        query = request.query
        if not query.get("sign"):
            raise Refused("error_param", "There is no sign in query.")
        timestamp = query.get("timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > CLOCK_SKEW:
            raise Refused("error_param", "Timestamp is expired.")
        if query.get("partner_id") != str(self.partner_id):
            raise Refused("error_param", "Invalid partner_id.")
        token, shop = ("", "") if public else (query.get("access_token"), query.get("shop_id"))
        if token is None or shop is None:
            raise Refused("error_param", "There is no access_token or shop_id in query.")
        expected = sign(self._partner_key, self.partner_id, request.path, timestamp, token, shop)
        if not hmac.compare_digest(expected, query["sign"]):
            raise Refused("error_sign", "Wrong sign.", 403)
        if public:
            return
        with self.state.lock:
            entry = self.state.data["tokens"].get(token)
        if entry is None or shop != str(entry["shop_id"]):
            raise Refused("error_auth", "Invalid access_token.", 403)
        if entry["expires_at"] < time.time():
            raise Refused("invalid_acceess_token", "Invalid access_token.", 403)

    # Tokens

    def issue_tokens(
        self,
        access_ttl: float = 14400,
        refresh_ttl: float = 30 * 86400,
        authorisation_ttl: float = AUTHORISATION_LIFETIME,
        authorised: tuple[int, int] | None = None,
    ) -> dict:
        """A new token pair for this shop, as after the seller's consent (tests, demo);
        a refresh passes on the authorisation's (auth_time, expire_time)."""
        now = time.time()
        auth_time, expire_time = authorised or (int(now), int(now + authorisation_ttl))
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        with self.state.lock:
            self.state.data["tokens"][access] = {
                "refresh_token": refresh,
                "expires_at": now + access_ttl,
                "refresh_expires_at": now + refresh_ttl,
                "refresh_used": False,
                "shop_id": self.shop_id,
                "auth_time": auth_time,
                "expire_time": expire_time,
            }
            self.state.save()
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expire_in": int(access_ttl),
            "expires_at": now + access_ttl,
        }

    def control(self, request: Request) -> Response:
        if request.path == "/_sandbox/tokens" and request.method == "POST":
            return Response(200, self.issue_tokens(**request.json()))
        if request.path == "/_sandbox/answers" and request.method == "POST":
            self.answers = [(e["error"], e["message"]) for e in request.json()["errors"]]
            return Response(200, {"answers": len(self.answers)})
        return super().control(request)

    def _refresh(self, request: Request, body: dict) -> Response:
        """Single use: the refresh token is spent; the old access token lives on until it
        expires."""
        if body.get("partner_id") != self.partner_id or body.get("shop_id") != self.shop_id:
            raise Refused("error_param", "Invalid partner_id or shop_id.")
        with self.state.lock:
            entry = next(
                (
                    e
                    for e in self.state.data["tokens"].values()
                    if e["refresh_token"] == body.get("refresh_token") and not e["refresh_used"]
                ),
                None,
            )
            if entry is None:
                raise Refused("error_auth", "Invalid refresh_token.", 403)
            if entry["refresh_expires_at"] < time.time():
                raise Refused("refresh_token_expired", "The refresh_token has expired.", 403)
            entry["refresh_used"] = True
            authorised = (entry.get("auth_time", 0), entry.get("expire_time", 0))
            tokens = self.issue_tokens(authorised=authorised)
        reply = {"request_id": uuid.uuid4().hex, "error": "", "message": ""}
        return Response(
            200,
            {
                **reply,
                "access_token": tokens["access_token"],
                "refresh_token": tokens["refresh_token"],
                "expire_in": tokens["expire_in"],
                "partner_id": self.partner_id,
                "shop_id": self.shop_id,
            },
        )

    def _get_shop_info(self, request: Request, _: dict) -> Response:
        """The shop and its authorisation's start and end (`expire_time`), answered at
        the top level as v2.shop.get_shop_info's sample shows, not under `response`."""
        with self.state.lock:
            entry = self.state.data["tokens"][request.query["access_token"]]
        info = {
            "request_id": uuid.uuid4().hex,
            "error": "",
            "message": "",
            "shop_name": "OCOP sandbox",
            "region": "VN",
            "status": "NORMAL",
            "auth_time": entry["auth_time"],
            "expire_time": entry["expire_time"],
            "is_cb": False,
        }
        return Response(200, info)

    # Media

    def _upload_image(self, request: Request, _: dict) -> dict:
        """Keeps only the id (a hash of the upload), so add_item can check it."""
        image_id = "vn-sbx-" + hashlib.sha256(request.body).hexdigest()[:24]
        with self.state.lock:
            if image_id not in self.state.data["images"]:
                self.state.data["images"].append(image_id)
                self.state.save()
        url = f"https://cf.shopee.vn/file/{image_id}"
        return {
            "image_info": {
                "image_id": image_id,
                "image_url_list": [{"image_url_region": "VN", "image_url": url}],
            }
        }

    # Items

    def _add_item(self, _: Request, body: dict) -> dict:
        fields = self._item_fields(body)
        price = _price(body.get("original_price"))
        stock = _seller_stock(body.get("seller_stock"))
        if price is None or stock is None:
            raise Refused("error_param", "original_price and seller_stock are required and valid.")
        logistics = body.get("logistic_info")
        if not isinstance(logistics, list) or not any(
            isinstance(channel, dict) and channel.get("enabled") for channel in logistics
        ):
            raise Refused("error_param", "logistic_info needs at least one enabled channel.")
        now = int(time.time())
        with self.state.lock:
            item_id = self.next_id()
            self.state.data["items"][str(item_id)] = {
                "id": item_id,
                "status": "NORMAL",
                "skus": [],
                "item_sku": str(body.get("item_sku") or ""),
                "price": price,
                "stock": stock,
                "logistic_info": logistics,
                "tier_variation": [],
                "create_time": now,
                "update_time": now,
                **fields,
            }
            self.state.save()
        return {"item_id": item_id, "item_name": fields["name"], "item_status": "NORMAL"}

    def _item_fields(self, body: dict) -> dict:
        """The fields add_item requires and update_item may change, checked and renamed
        (whether they are present is the specification's check)."""
        fields: dict[str, Any] = {}
        checks: dict[str, tuple[str, Callable[[Any], Any]]] = {
            "item_name": ("name", _text),
            "description": ("description", _text),
            "category_id": ("category_id", _positive_int),
            "weight": ("weight", _positive_number),
            "image": ("images", self._image_ids),
        }
        for key, (name, check) in checks.items():
            if key not in body:
                continue
            value = check(body[key])
            if value is None:
                raise Refused("error_param", f"invalid field {key}: {body[key]!r}")
            fields[name] = value
        for key in ("attribute_list", "brand"):
            if key in body:
                fields[key] = body[key]
        return fields

    def _image_ids(self, image: Any) -> list[str] | None:
        ids = image.get("image_id_list") if isinstance(image, dict) else None
        if not isinstance(ids, list) or not 1 <= len(ids) <= 9:
            return None
        with self.state.lock:
            known = set(self.state.data["images"])
        unknown = [image_id for image_id in ids if image_id not in known]
        if unknown:
            raise Refused("error_param", f"Image not uploaded to media_space: {unknown[0]}.")
        return ids

    def _item(self, item_id: Any) -> dict:
        """The stored item (caller holds the lock)."""
        item = self.state.data["items"].get(str(item_id))
        if item is None:
            raise Refused("error_item_not_found", f"Item {item_id} not found.")
        return item

    def _init_tier_variation(self, _: Request, body: dict) -> dict:
        """The request's variations are `standardise_tier_variation` (variation_id 0: a
        custom one): the specification's update log of 2025-09-12 deprecates
        `tier_variation`, which its request parameters no longer list."""
        variations, models = body.get("standardise_tier_variation"), body["model"]
        if not isinstance(variations, list) or not 1 <= len(variations) <= 2:
            raise Refused("error_param", "standardise_tier_variation needs 1 or 2 variations.")
        sizes, tiers = [], []
        for variation in variations:
            names = [
                o.get("variation_option_name") for o in variation.get("variation_option_list") or []
            ]
            if (
                variation.get("variation_id") is None
                or not variation.get("variation_name")
                or not names
                or len(set(names)) != len(names)
            ):
                raise Refused(
                    "error_param", "Each variation needs variation_id, a name and distinct options."
                )
            sizes.append(len(names))
            tiers.append(
                {"name": variation["variation_name"], "option_list": [{"option": n} for n in names]}
            )
        indexes = [tuple(m.get("tier_index") or []) for m in models]
        if len(set(indexes)) != len(indexes) or not all(_fits(i, sizes) for i in indexes):
            raise Refused("error_param", "Invalid or repeated tier_index.")
        skus: list[dict[str, Any]] = []
        for model, index in zip(models, indexes, strict=True):
            price = _price(model.get("original_price"))
            stock = _seller_stock(model.get("seller_stock"))
            if price is None or stock is None:
                raise Refused("error_param", f"Invalid price or stock for tier_index {index}.")
            skus.append(
                {
                    "seller_sku": str(model.get("model_sku") or ""),
                    "tier_index": list(index),
                    "price": price,
                    "stock": stock,
                    "weight": model.get("weight"),
                }
            )
        with self.state.lock:
            item = self._item(body.get("item_id"))
            if item["skus"]:
                raise Refused("error_param", "The item already has variations.")
            for sku in skus:
                sku["id"] = self.next_id()
            item.update(skus=skus, tier_variation=tiers, update_time=int(time.time()))
            self.state.save()
        return {"item_id": item["id"], "tier_variation": tiers, "model": [_model(s) for s in skus]}

    def _update_item(self, _: Request, body: dict) -> dict:
        fields = self._item_fields(body)
        with self.state.lock:
            item = self._item(body.get("item_id"))
            item.update(fields, update_time=int(time.time()))
            if "weight" in body:  # "will overwrite the weight of all models" (update_item)
                for sku in item["skus"]:
                    sku["weight"] = body["weight"]
            self.state.save()
        return {"item_id": item["id"], "item_name": item["name"]}

    def _unlist_item(self, _: Request, body: dict) -> dict:
        entries = body["item_list"]
        success, failure = [], []
        with self.state.lock:
            for entry in entries:
                item = self.state.data["items"].get(str(entry.get("item_id")))
                if item is None:
                    failure.append({"item_id": entry.get("item_id"), "failed_reason": "not found"})
                    continue
                unlist = bool(entry.get("unlist"))
                item.update(status="UNLIST" if unlist else "NORMAL", update_time=int(time.time()))
                success.append({"item_id": item["id"], "unlist": unlist})
            self.state.save()
        return {"success_list": success, "failure_list": failure}

    def _update_price(self, _: Request, body: dict) -> dict:
        return self._update_models(
            body, "price_list", "price", lambda entry: _price(entry.get("original_price"))
        )

    def _update_stock(self, _: Request, body: dict) -> dict:
        return self._update_models(
            body,
            "stock_list",
            "stock",
            lambda entry: _seller_stock(entry.get("seller_stock")),
        )

    def _update_models(
        self, body: dict, key: str, field: str, value_of: Callable[[dict], int | None]
    ) -> dict:
        """One item, 1–50 models; a bad model lands in failure_list, the rest are done."""
        entries = body[key]
        success, failure = [], []
        with self.state.lock:
            item = self._item(body.get("item_id"))
            models = {sku["id"]: sku for sku in item["skus"]}
            for entry in entries:
                model_id = entry.get("model_id") if isinstance(entry, dict) else None
                value = value_of(entry) if model_id in models else None
                if model_id not in models:
                    failure.append({"model_id": model_id, "failed_reason": "Model not found."})
                elif value is None:
                    reason = f"Invalid {field}: must be {_range(field)}."
                    failure.append({"model_id": model_id, "failed_reason": reason})
                else:
                    models[model_id][field] = value
                    success.append({"model_id": model_id, field: value})
            if success:
                item["update_time"] = int(time.time())
            self.state.save()
        return {"success_list": success, "failure_list": failure}

    def _get_item_list(self, _: Request, query: dict) -> dict:
        offset = _query_int(query, "offset", 0, None, default=0)
        page_size = _query_int(query, "page_size", 1, 100)
        status = query["item_status"]
        with self.state.lock:
            matching = sorted(
                (i for i in self.state.data["items"].values() if i["status"] == status),
                key=lambda i: i["id"],
            )
        page = matching[offset : offset + page_size]
        more = offset + page_size < len(matching)
        return {
            "item": [
                {"item_id": i["id"], "item_status": i["status"], "update_time": i["update_time"]}
                for i in page
            ],
            "total_count": len(matching),
            "has_next_page": more,
            "next_offset": offset + page_size if more else 0,
        }

    def _get_item_base_info(self, _: Request, query: dict) -> dict:
        ids = _id_list(query.get("item_id_list", ""), "item_id_list")
        with self.state.lock:
            items = [self.state.data["items"].get(i) for i in ids]
            return {"item_list": [_base_info(item) for item in items if item]}

    def _get_model_list(self, _: Request, query: dict) -> dict:
        with self.state.lock:
            item = self._item(query.get("item_id"))
            models = [_model(sku) for sku in item["skus"]]
            return {"tier_variation": item["tier_variation"], "model": models}

    # Orders

    def create_order(self, lines: list[dict]) -> str:
        """A paid order waiting to ship, for the connector to pick up."""
        now = int(time.time())
        with self.state.lock:
            models = {
                sku["seller_sku"]: (item, sku)
                for item in self.state.data["items"].values()
                for sku in item["skus"]
            }
            item_list = []
            for line in lines:
                item, sku = models.get(line["seller_sku"], ({}, {}))
                item_list.append(
                    {
                        "item_id": item.get("id", 0),
                        "item_name": item.get("name", ""),
                        "item_sku": item.get("item_sku", ""),
                        "model_id": sku.get("id", 0),
                        "model_sku": line["seller_sku"],
                        "model_quantity_purchased": int(line["quantity"]),
                        "model_original_price": sku.get("price", 0),
                    }
                )
            order_sn = time.strftime("%y%m%d", time.gmtime(now)) + f"SBX{self.next_id():05d}"
            self.state.data["orders"][order_sn] = {
                "id": order_sn,
                "state": "open",
                "order_status": "READY_TO_SHIP",
                "lines": [[line["seller_sku"], int(line["quantity"])] for line in lines],
                "item_list": item_list,
                "create_time": now,
                "update_time": now,
                "updated_at": now,
            }
            self.state.save()
        self.order_changed(order_sn)
        return order_sn

    def set_order_state(self, order_id: str, state: str) -> None:
        if state not in ORDER_STATUSES:
            raise ValueError(f"state must be one of {sorted(ORDER_STATUSES)}")
        now = int(time.time())
        with self.state.lock:
            order = self.state.data["orders"][order_id]
            order.update(
                state=state, order_status=ORDER_STATUSES[state], update_time=now, updated_at=now
            )
            self.state.save()
        self.order_changed(order_id)

    def push_messages(self, order_id: str, url: str) -> list[PushMessage]:
        """Order Status Update Push (code 3), signed as push-mechanism-notifications.md
        says: HMAC-SHA256 of the callback URL, "|" and the body, with the partner key."""
        with self.state.lock:
            order = self.state.data["orders"][order_id]
            message = {
                "data": {
                    "ordersn": order_id,
                    "status": order["order_status"],
                    "completed_scenario": "",
                    "update_time": order["update_time"],
                },
                "shop_id": self.shop_id,
                "code": 3,
                "timestamp": int(time.time()),
            }
        body = json.dumps(message).encode()
        base = url.encode() + b"|" + body
        signature = hmac.new(self._partner_key.encode(), base, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json", "Authorization": signature}
        return [PushMessage(body, headers, order_id)]

    def _get_order_list(self, _: Request, query: dict) -> dict:
        field = query["time_range_field"]
        time_from = _query_int(query, "time_from", 0, None)
        time_to = _query_int(query, "time_to", time_from, None)
        if time_to - time_from > ORDER_WINDOW:
            raise Refused("error_param", "The time range cannot exceed 15 days.")
        page_size = _query_int(query, "page_size", 1, 100)
        offset = _query_int(query, "cursor", 0, None, default=0)
        with self.state.lock:
            matching = sorted(
                (o for o in self.state.data["orders"].values() if time_from <= o[field] <= time_to),
                key=lambda o: (o[field], o["id"]),
            )
        page = matching[offset : offset + page_size]
        more = offset + page_size < len(matching)
        return {
            "more": more,
            "next_cursor": str(offset + page_size) if more else "",
            "order_list": [{"order_sn": o["id"]} for o in page],
        }

    def _get_order_detail(self, _: Request, query: dict) -> dict:
        order_sns = _id_list(query.get("order_sn_list", ""), "order_sn_list")
        with_items = "item_list" in query.get("response_optional_fields", "").split(",")
        with self.state.lock:
            orders = [self.state.data["orders"].get(sn) for sn in order_sns]
            return {
                "order_list": [
                    {
                        "order_sn": o["id"],
                        "order_status": o["order_status"],
                        "create_time": o["create_time"],
                        "update_time": o["update_time"],
                        **({"item_list": o["item_list"]} if with_items else {}),
                    }
                    for o in orders
                    if o
                ]
            }


# Shapes of the answers


def _model(sku: dict) -> dict:
    return {
        "model_id": sku["id"],
        "model_sku": sku["seller_sku"],
        "tier_index": sku["tier_index"],
        "price_info": [{"original_price": sku["price"], "current_price": sku["price"]}],
        "stock_info_v2": _stock_info(sku["stock"]),
        "weight": sku.get("weight"),
    }


def _stock_info(stock: int) -> dict:
    return {"seller_stock": [{"stock": stock}], "summary_info": {"total_available_stock": stock}}


def _base_info(item: dict) -> dict:
    info = {
        "item_id": item["id"],
        "item_name": item["name"],
        "item_sku": item["item_sku"],
        "item_status": item["status"],
        "category_id": item["category_id"],
        "description": item["description"],
        "weight": str(item["weight"]),
        "image": {"image_id_list": item["images"]},
        "create_time": item["create_time"],
        "update_time": item["update_time"],
        "has_model": bool(item["skus"]),
    }
    if not item["skus"]:
        info["price_info"] = [{"original_price": item["price"], "current_price": item["price"]}]
        info["stock_info_v2"] = _stock_info(item["stock"])
    return info


# Checks of the request values (None: invalid)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _positive_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _positive_number(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    return value if ok else None


def _price(value: Any) -> int | None:
    ok = isinstance(value, int | float) and value == int(value)
    return int(value) if ok and MIN_PRICE <= value <= MAX_PRICE else None


def _seller_stock(value: Any) -> int | None:
    """`[{stock}]` (one location) → the stock."""
    if not isinstance(value, list) or len(value) != 1 or not isinstance(value[0], dict):
        return None
    stock = value[0].get("stock")
    return stock if isinstance(stock, int) and 0 <= stock <= MAX_STOCK else None


def _fits(tier_index: tuple, sizes: list[int]) -> bool:
    """One index per tier, each within that tier's options."""
    return len(tier_index) == len(sizes) and all(
        isinstance(i, int) and 0 <= i < n for i, n in zip(tier_index, sizes, strict=True)
    )


def _range(field: str) -> str:
    return f"{MIN_PRICE}–{MAX_PRICE}" if field == "price" else f"0–{MAX_STOCK}"


def _query_int(
    query: dict, key: str, low: int, high: int | None, default: int | None = None
) -> int:
    raw = query.get(key, "")
    if raw == "" and default is not None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Refused("error_param", f"invalid field {key}: {raw!r}") from None
    if value < low or (high is not None and value > high):
        limit = f"{low}–{high}" if high is not None else f"at least {low}"
        raise Refused("error_param", f"invalid field {key}: must be {limit}.")
    return value


def _id_list(raw: str, key: str) -> list[str]:
    ids = [part for part in raw.split(",") if part]
    if not 1 <= len(ids) <= 50:
        raise Refused("error_param", f"{key} needs 1 to 50 values.")
    return ids
