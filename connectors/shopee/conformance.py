"""Whether a request is one Shopee's specification allows: every field known, every
required field present, each value of its documented type, and the limits and enums the
specification states (its `limits` field, and the ones its descriptions state, quoted in
RULES). The sandbox refuses what this finds; the contract tests check the adapters'
requests with it, without the sandbox.

Arrays in a GET query are comma-joined (`item_id_list=1,2`: get_order_detail's
order_sn_list says so, the SDKs do the same for the others)."""

import json
import re
from dataclasses import dataclass
from typing import Any

from . import spec

INT32 = 2**31
COMMON = frozenset({"partner_id", "timestamp", "access_token", "shop_id", "sign"})
SCALARS = {"int32", "int64", "timestamp", "float", "string", "boolean"}


@dataclass(frozen=True)
class Count:
    """How many entries an array (or comma-joined list) may hold."""

    low: int
    high: int


@dataclass(frozen=True)
class Length:
    high: int


@dataclass(frozen=True)
class Range:
    low: float
    high: float


@dataclass(frozen=True)
class OneOf:
    values: frozenset[str]


Rule = Count | Length | Range | OneOf

# Limits stated in a field's description, with the words that state them (a test checks
# each quote is in that field's description, so the table cannot drift from the spec).
RULES: dict[tuple[str, str], tuple[Rule, str]] = {
    ("v2.order.get_order_detail", "order_sn_list"): (Count(1, 50), "limit [1,50]"),
    ("v2.order.get_order_list", "time_range_field"): (
        OneOf(frozenset({"create_time", "update_time"})),
        "Available value: create_time, update_time.",
    ),
    ("v2.order.get_order_list", "page_size"): (Range(1, 100), "page_size if between 1 and 100"),
    ("v2.product.get_item_list", "item_status"): (
        OneOf(
            frozenset({"NORMAL", "BANNED", "UNLIST", "REVIEWING", "SELLER_DELETE", "SHOPEE_DELETE"})
        ),
        "NORMAL/BANNED/UNLIST/REVIEWING/SELLER_DELETE/SHOPEE_DELETE",
    ),
    ("v2.product.unlist_item", "item_list"): (Count(1, 50), "Length should be between 1 to 50."),
    ("v2.product.update_price", "price_list"): (Count(1, 50), "Length should be between 1 to 50."),
    ("v2.product.update_stock", "stock_list"): (Count(1, 50), "Length should be between 1 to 50."),
    ("v2.product.init_tier_variation", "model"): (Count(1, 50), "model number at most 50"),
    ("v2.product.init_tier_variation", "model.model_sku"): (
        Length(100),
        "no more than 100 characters",
    ),
    ("v2.product.add_item", "item_status"): (
        OneOf(frozenset({"UNLIST", "NORMAL"})),
        "could be UNLIST or NORMAL",
    ),
    ("v2.product.update_item", "item_status"): (
        OneOf(frozenset({"UNLIST", "NORMAL"})),
        "could be UNLIST or NORMAL",
    ),
    ("v2.product.add_item", "condition"): (
        OneOf(frozenset({"USED", "NEW"})),
        "could be USED or NEW",
    ),
    ("v2.product.update_item", "condition"): (
        OneOf(frozenset({"USED", "NEW"})),
        "could be NEW or USED",
    ),
    ("v2.media_space.upload_image", "scene"): (
        OneOf(frozenset({"normal", "desc"})),
        "The value range is normal or desc",
    ),
}

# Where the specification contradicts itself, what we follow and why.
ERRATA: dict[tuple[str, str], str] = {
    # update_item types image_id_list as object[] (its sample: `[{}]`); add_item, and
    # get_item_base_info's answer, give the same ids as strings.
    ("v2.product.update_item", "image.image_id_list"): "string[]",
}


def check(method: str, path: str, query: dict[str, str], content_type: str, body: bytes):
    """`problems` of a request as it travels: a JSON body, or a multipart upload."""
    if "multipart/form-data" in content_type:
        return problems(method, path, query, form_fields(body), file_parts(body))
    if method == "GET":
        return problems(method, path, query, None)
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return ["the body is not JSON"]
    return problems(method, path, query, data)


_PART = re.compile(rb'content-disposition: form-data; name="([^"]+)"(; filename="[^"]*")?', re.I)


def file_parts(body: bytes) -> frozenset[str]:
    return frozenset(m[1].decode() for m in _PART.finditer(body) if m[2])


def form_fields(body: bytes) -> dict[str, str]:
    """The plain (non-file) fields of a multipart body."""
    fields = {}
    for chunk in body.split(b"\r\n--"):
        head, _, value = chunk.partition(b"\r\n\r\n")
        match = _PART.search(head)
        if match and not match[2]:
            fields[match[1].decode()] = value.removesuffix(b"\r\n").decode(errors="replace")
    return fields


def problems(
    method: str, path: str, query: dict[str, str], body: Any, files: frozenset[str] = frozenset()
) -> list[str]:
    """What the specification refuses in this request (empty: nothing)."""
    api = spec.apis().get(path)
    if api is None:
        return [f"{path} is not an API we have a specification for"]
    found = []
    if method != api.method:
        found.append(f"{api.name} is called with {api.method}, not {method}")
    common = {"partner_id", "timestamp", "sign"} | (set() if api.public else COMMON)
    missing_common = sorted(common - set(query))
    if missing_common:
        found.append(f"missing common parameter {', '.join(missing_common)}")
    if api.public and COMMON - common & set(query):
        found.append(f"{api.name} is a Public API: no access_token or shop_id")
    params = api.request
    if api.method == "GET":
        business = {k: v for k, v in query.items() if k not in COMMON}
        found += _check_object(api.name, _At(), params, business, in_query=True)
        return found
    unknown_query = sorted(set(query) - COMMON)
    if unknown_query:
        found.append(f"unknown query parameter {', '.join(unknown_query)}")
    if any(p.type == "file" for p in params):
        present = {**dict.fromkeys(files, "file"), **(body if isinstance(body, dict) else {})}
        found += _check_object(api.name, _At(), params, present, in_query=False)
    elif not isinstance(body, dict):
        found.append("the body must be a JSON object")
    else:
        found += _check_object(api.name, _At(), params, body, in_query=False)
    return found


def _check_object(
    api: str, at: "_At", params: tuple[spec.Param, ...], values: dict, in_query: bool
) -> list[str]:
    found = []
    known = {p.name: p for p in params}
    for name in values:
        if name not in known:
            found.append(f"unknown field {at.child(name).label}")
    for param in params:
        where = at.child(param.name)
        if param.name not in values:
            if param.required:
                found.append(f"missing required field {where.label}")
            continue
        found += _check_value(api, where, param, values[param.name], in_query)
    return found


@dataclass(frozen=True)
class _At:
    """Where a value is: `path` names the field as the specification does (model.model_sku),
    `label` the value itself (model[2].model_sku)."""

    path: str = ""
    label: str = ""

    def child(self, name: str) -> "_At":
        dot = "." if self.path else ""
        return _At(self.path + dot + name, self.label + dot + name)

    def entry(self, n: int) -> "_At":
        return _At(self.path, f"{self.label}[{n}]")


def _check_value(api: str, at: _At, param: spec.Param, value: Any, in_query: bool) -> list[str]:
    kind = ERRATA.get((api, at.path), param.type)
    if kind == "file":
        return [] if value == "file" else [f"{at.label} must be a file part"]
    if in_query:
        items = value.split(",") if kind.endswith("[]") else [value]
        typed = [_from_query(kind.removesuffix("[]"), item) for item in items]
        if any(t is _BAD for t in typed):
            return [f"{at.label} must be {kind}, not {value!r}"]
        value = typed if kind.endswith("[]") else typed[0]
    if kind.endswith("[]"):
        if not isinstance(value, list):
            return [f"{at.label} must be {kind}"]
        found = _rules(api, at, value, param.limits)  # an array's limits count its entries
        for n, entry in enumerate(value):
            found += _check_single(api, at.entry(n), kind[:-2], param, entry, in_query, None)
        return found
    return _check_single(api, at, kind, param, value, in_query, param.limits)


def _check_single(
    api: str,
    at: _At,
    kind: str,
    param: spec.Param,
    value: Any,
    in_query: bool,
    limits: tuple[int, int] | None,
) -> list[str]:
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{at.label} must be an object"]
        return _check_object(api, at, param.children, value, in_query)
    if not _is(kind, value):
        return [f"{at.label} must be {kind}, not {value!r}"]
    return _rules(api, at, value, limits)


def _is(kind: str, value: Any) -> bool:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "int32":
        return isinstance(value, int) and number and -INT32 <= value < INT32
    if kind in ("int64", "timestamp"):
        return isinstance(value, int) and number and (kind == "int64" or value >= 0)
    if kind == "float":
        return number
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    return False


class _Bad:
    pass


_BAD = _Bad()


def _from_query(kind: str, raw: str) -> Any:
    """A query string as the type it stands for, or _BAD."""
    if kind in ("int32", "int64", "timestamp"):
        return int(raw) if re.fullmatch(r"-?\d{1,19}", raw) else _BAD
    if kind == "float":
        return float(raw) if re.fullmatch(r"-?\d{1,15}(\.\d{1,15})?", raw) else _BAD
    if kind == "boolean":
        return {"true": True, "false": False}.get(raw.lower(), _BAD)
    return raw if kind == "string" else _BAD


def _rules(api: str, at: _At, value: Any, limits: tuple[int, int] | None) -> list[str]:
    """The RULES of this field and its `limits` (a count for an array, else a range)."""
    rules = [RULES[(api, at.path)][0]] if (api, at.path) in RULES else []
    where = at.label
    if limits:
        low, high = limits
        rules.append(Count(low, high) if isinstance(value, list) else Range(low, high))
    found = []
    for rule in rules:
        if isinstance(value, list) != isinstance(rule, Count) and not isinstance(value, str):
            continue  # an array's own rule is its count; its entries' rules are the rest
        if isinstance(rule, Count) and isinstance(value, list | str):
            count = len(value) if isinstance(value, list) else len(value.split(","))
            if not rule.low <= count <= rule.high:
                found.append(f"{where} takes {rule.low} to {rule.high} entries, not {count}")
        elif isinstance(rule, Length) and isinstance(value, str) and len(value) > rule.high:
            found.append(f"{where} takes at most {rule.high} characters")
        elif isinstance(rule, Range) and _is("float", value):
            if not rule.low <= value <= rule.high:
                found.append(f"{where} must be between {rule.low:g} and {rule.high:g}")
        elif isinstance(rule, OneOf) and value not in rule.values:
            found.append(f"{where} must be one of {', '.join(sorted(rule.values))}")
    return found
