"""Whether a request is one Lazada's documentation allows, checked against our data file
of it (spec/apis.json: each API's host, methods, parameters with types, enums and
limits, error codes, and the shape of its `payload`, each naming the document it comes
from). The sandbox refuses what this finds; the contract tests check the adapter's
requests with it, apart from the sandbox."""

import json
import re
import xml.etree.ElementTree as ET
from email import policy
from email.parser import BytesParser
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

SPEC_FILE = Path(__file__).resolve().parent / "spec" / "apis.json"
ISO_8601 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:?\d\d|Z)")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


@cache
def spec() -> dict[str, Any]:
    return json.loads(SPEC_FILE.read_text())


def api(path: str) -> dict[str, Any] | None:
    return spec()["apis"].get(path)


def errors(path: str) -> set[tuple[str, str]]:
    entry = api(path)
    return {(code, message) for code, message in entry["errors"]} if entry else set()


def signed_parameters(
    query: dict[str, str], content_type: str, body: bytes
) -> tuple[dict[str, str], dict[str, bytes]]:
    """Query plus form (or multipart) fields, all of which are signed; and the files."""
    params = dict(query)
    files: dict[str, bytes] = {}
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
        for part in message.iter_parts():
            name = str(part.get_param("name", header="content-disposition") or "")
            payload = part.get_payload(decode=True)
            payload = payload if isinstance(payload, bytes) else b""
            if part.get_filename() is None:
                params[name] = payload.decode()
            else:
                files[name] = payload
    elif "application/x-www-form-urlencoded" in content_type:
        fields = parse_qs(body.decode(), keep_blank_values=True)
        params |= {key: values[-1] for key, values in fields.items()}
    return params, files


def check(host: str, method: str, path: str, params: dict[str, str], files: set[str]) -> list:
    """What the documentation refuses in a request to `host` ("api" or "auth") for the API
    `path` (e.g. "/products/get"), with all its signed parameters and its file parts."""
    entry = api(path)
    if entry is None:
        return [f"{path} is not an API we have documentation for"]
    found = []
    if host != entry["host"]:
        found.append(f"{path} is served by the {entry['host']} host, not the {host} host")
    if method not in entry["methods"]:
        found.append(f"{path} takes {'/'.join(entry['methods'])}, not {method}")
    common = dict(spec()["common_parameters"])
    if path in spec()["tokenless"]:
        common.pop("access_token")
    documented = {**common, **entry["parameters"]}
    for name in sorted(params.keys() - documented.keys() - {"access_token"}):  # tokenless too
        found.append(f"unknown parameter {name}")
    for name, rule in documented.items():
        if name not in params and name not in files:
            if rule["required"]:
                found.append(f"missing required parameter {name}")
            continue
        found += _parameter(name, rule, params.get(name), name in files)
    for names in entry.get("one_of_required", []):
        if not any(params.get(name) for name in names):
            found.append(f"one of {', '.join(names)} is required")
    payload = entry.get("payload")
    if payload and payload["parameter"] in params:
        found += _payload(payload, params[payload["parameter"]])
    return found


def _parameter(name: str, rule: dict, value: str | None, is_file: bool) -> list[str]:
    kind = rule["type"]
    if kind == "file":
        return [] if is_file else [f"{name} must be a file part"]
    if value is None:
        return [f"{name} must not be a file part"]
    if kind == "number" and not NUMBER.fullmatch(value):
        return [f"{name} must be a number, not {value!r}"]
    if kind == "boolean" and value not in ("true", "false"):
        return [f"{name} must be true or false"]
    if "enum" in rule and value not in rule["enum"]:
        return [f"{name} must be one of {', '.join(rule['enum'])}"]
    if "max" in rule and NUMBER.fullmatch(value) and float(value) > rule["max"]:
        return [f"{name} must be at most {rule['max']}"]
    if rule.get("format") == "iso8601" and not ISO_8601.fullmatch(value):
        return [f"{name} must be an ISO 8601 time such as 2017-02-10T09:00:00+08:00"]
    if kind == "json_list":
        try:
            entries = json.loads(value)
        except ValueError:
            entries = None
        if not isinstance(entries, list):
            return [f"{name} must be a JSON array"]
        if "max_items" in rule and len(entries) > rule["max_items"]:
            return [f"{name} takes at most {rule['max_items']} entries"]
    return []


def _payload(payload: dict, text: str) -> list[str]:
    root = payload["root"]
    if payload["format"] == "json":
        try:
            data = json.loads(text)
        except ValueError:
            return ["the payload is not JSON"]
        for key in root:
            if not isinstance(data, dict) or key not in data:
                return [f"the payload has no {'.'.join(root)}"]
            data = data[key]
    else:
        try:
            element = ET.fromstring(text)
        except ET.ParseError:
            return ["the payload is not XML"]
        if element.tag != root[0]:
            return [f"the payload's root is {element.tag}, not {root[0]}"]
        for tag in root[1:]:
            found = element.findall(tag)
            if len(found) != 1:
                return [f"the payload needs one {'.'.join(root)}"]
            element = found[0]
        data = _xml(element)
    return _node(".".join(root), payload["schema"], data, xml=payload["format"] == "xml")


def _xml(element: ET.Element) -> Any:
    """An element as text (no children) or as {tag: [each child]}: the schema says which
    tags are lists."""
    children = list(element)
    if not children:
        return element.text or ""
    grouped: dict[str, list] = {}
    for child in children:
        grouped.setdefault(child.tag, []).append(_xml(child))
    return grouped


def _node(where: str, rule: dict, value: Any, xml: bool) -> list[str]:  # noqa: C901
    kind = rule["type"]
    if xml and kind != "list" and isinstance(value, list):
        if len(value) != 1:
            return [f"{where} appears {len(value)} times"]
        value = value[0]
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where} must be an object"]
        found = []
        for name in value:
            if name not in rule["fields"] and not rule.get("open"):
                found.append(f"unknown field {where}.{name}")
        for name in rule.get("required", []):
            if name not in value:
                found.append(f"missing required field {where}.{name}")
        for name, child in rule["fields"].items():
            if name in value:
                found += _node(f"{where}.{name}", child, value[name], xml)
        return found
    if kind == "list":
        entries = value if isinstance(value, list) else None
        if entries is None:
            return [f"{where} must be an array"]
        found = []
        if len(entries) < rule.get("min_items", 0):
            found.append(f"{where} needs at least {rule['min_items']} entries")
        if "max_items" in rule and len(entries) > rule["max_items"]:
            found.append(f"{where} takes at most {rule['max_items']} entries, not {len(entries)}")
        for n, entry in enumerate(entries):
            found += _node(f"{where}[{n}]", rule["items"], entry, xml)
        return found
    if kind == "variations":
        if not isinstance(value, dict):
            return [f"{where} must be an object"]
        found = [
            f"{where}.{key} is not a variation key (variation1 to variation4)"
            for key in value
            if not re.fullmatch(rule["key_pattern"], key)
        ]
        if len(value) > rule["max_keys"]:
            found.append(f"{where} takes at most {rule['max_keys']} variations")
        for key, entry in value.items():
            found += _node(f"{where}.{key}", rule["entry"], entry, xml)
        return found
    return _scalar(where, rule, value)


def _scalar(where: str, rule: dict, value: Any) -> list[str]:
    kind = rule["type"]
    if kind == "boolean":
        return [] if value in (True, False, "true", "false") else [f"{where} must be a boolean"]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return [f"{where} must be a {kind}"]
    text = str(value)
    if kind == "number":
        if not NUMBER.fullmatch(text):
            return [f"{where} must be a number, not {text!r}"]
        if "min" in rule and float(text) < rule["min"]:
            return [f"{where} must be at least {rule['min']}"]
        return []
    found = []
    if "max_length" in rule and len(text) > rule["max_length"]:
        found.append(f"{where} takes at most {rule['max_length']} characters")
    if "enum" in rule and text not in rule["enum"]:
        found.append(f"{where} must be one of {', '.join(rule['enum'])}")
    if rule.get("deprecated"):
        found.append(f"{where} is deprecated")
    return found
