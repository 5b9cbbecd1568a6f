"""What Shopee's own specifications say about each API we call (spec/*.json, vendored
with their MIT licence; see spec/README.md): its path, HTTP method, whether it is a
Public API (signed with partner_id, path and timestamp only) or a Shop API (also
access_token and shop_id), and the errors it documents."""

import json
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
class Api:
    name: str
    path: str
    method: str
    public: bool
    errors: tuple[tuple[str, str], ...]  # (error name, description): error_list + common


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
        )
        found[api.path] = api
    return found


def public_paths() -> frozenset[str]:
    return frozenset(path for path, api in apis().items() if api.public)
