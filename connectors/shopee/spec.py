"""What Shopee's own specifications say about each API we call (spec/*.json, vendored
with their MIT licence; see spec/README.md): its path, HTTP method, whether it is a
Public API (signed with partner_id, path and timestamp only) or a Shop API (also
access_token and shop_id), and the errors it documents."""

import html
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SPEC_DIR = Path(__file__).resolve().parent / "spec"
# The path is the API name with its dots as slashes, except for the token APIs.
PATHS = {
    "v2.public.refresh_access_token": "/api/v2/auth/access_token/get",
}
METHODS = {1: "POST", 2: "GET"}


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # int32, int64, float, string, boolean, timestamp, object, file; "[]" arrays
    required: bool
    children: tuple["Param", ...]
    limits: tuple[int, int] | None  # its `limits` [low, high]: a count for arrays
    description: str  # as plain text


@dataclass(frozen=True)
class Api:
    name: str
    path: str
    method: str
    public: bool
    errors: tuple[tuple[str, str], ...]  # (error name, description): error_list + common
    request: tuple[Param, ...]


def _params(entries: list[dict]) -> tuple[Param, ...]:
    return tuple(
        Param(
            name=e["name"],
            type=e["type"],
            required=e.get("required") == "True",
            children=_params(e.get("children") or []),
            limits=_limits(e.get("limits")),
            description=html.unescape(re.sub(r"<[^>]+>", "", str(e.get("description") or ""))),
        )
        for e in entries
    )


def _limits(limits: object) -> tuple[int, int] | None:
    """`[low, high]`; the field also holds "" or stray samples, which are no limits."""
    if isinstance(limits, list) and len(limits) == 2:
        return int(limits[0]), int(limits[1])
    return None


def _path(name: str) -> str:
    return PATHS.get(name) or "/api/" + name.replace(".", "/")


@cache
def apis() -> dict[str, Api]:
    """Path → Api for every vendored specification."""
    found = {}
    for file in sorted(SPEC_DIR.glob("v2.*.json")):
        data = json.loads(file.read_text())
        errors = tuple(
            (str(e["name"]), str(e["description"]))
            for e in [*(data.get("error_list") or []), *(data.get("common_error_list") or [])]
        )
        api = Api(
            name=data["api_name"],
            path=_path(data["api_name"]),
            method=METHODS[int(data["method"])],
            public=data["api_type"] == "Public",
            errors=errors,
            request=_params(data["params"]["request_params"] or []),
        )
        found[api.path] = api
    return found


def public_paths() -> frozenset[str]:
    return frozenset(path for path, api in apis().items() if api.public)


def descriptions() -> dict[tuple[str, str], str]:
    """(API name, dotted field) → the field's description."""
    found = {}

    def walk(api: str, params: tuple[Param, ...], prefix: str) -> None:
        for param in params:
            found[(api, prefix + param.name)] = param.description
            walk(api, param.children, prefix + param.name + ".")

    for api in apis().values():
        walk(api.name, api.request, "")
    return found
