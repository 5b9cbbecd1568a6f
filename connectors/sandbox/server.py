"""The shared part of the marketplace sandboxes: a real HTTP server on 127.0.0.1 with
state kept in a JSON file, fault injection, a call log, and a plain HTML page.

A marketplace module (e.g. `connectors/shopee/sandbox.py`) subclasses `Sandbox`: it
checks signatures, implements the API paths the connector uses, and answers in that
marketplace's envelope. Control endpoints under `/_sandbox/` (no signature) let tests
and people inject faults, create marketplace orders and read the state:

    POST /_sandbox/faults   {"error_rate": 0.3, "rate_limit": 5, "retry_after": 1,
                             "timeout_rate": 0, "timeout_seconds": 3, "lost_create_rate": 0,
                             "seed": 1}
    POST /_sandbox/orders   {"lines": [{"seller_sku": "19-00001-1", "quantity": 2}]}
    POST /_sandbox/orders/<id>/<state>   (state: shipped | cancelled)
    POST /_sandbox/reset    (forget items, orders, calls; tokens, faults, push stay)
    GET  /_sandbox/state    (the whole state as JSON)
    GET  /_sandbox/calls    ({path: count} of API calls answered, by path)
    POST /_sandbox/push     {"url": "http://127.0.0.1:8000/webhooks/shopee-sandbox/",
                             "retry_seconds": 1800, "retries": 12}: where order pushes
                             go, as the app's callback URL in the marketplace console
    GET  /_sandbox/pushes   (every delivery attempt: order, status, attempt, answer ms)

A subclass calls `order_changed(order_id)` whenever an order is created or changes
state; with a push URL set, each message of `push_messages` is POSTed there from a
thread, and sent again after `retry_seconds` while the answer is not a 2xx.

State shape shared by the sandboxes (the page and the tests read it):
    items:  {item_id: {"id", "name", "status", "skus": [{"seller_sku", "id", "price",
             "stock"}], ...marketplace fields}}
    orders: {order_id: {"id", "state": open|shipped|cancelled, "lines": [[seller_sku, qty]],
             "updated_at": unix time, ...}}
    tokens: {access_token: {"refresh_token", "expires_at", ...}}
    push:   {"url", "retry_seconds", "retries"} once set
"""

import html
import json
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

logger = logging.getLogger(__name__)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        if "application/x-www-form-urlencoded" not in self.headers.get("content-type", ""):
            return {}
        return {k: v[-1] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}

    def json(self) -> Any:
        return json.loads(self.body or b"{}")


@dataclass
class Response:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Faults:
    error_rate: float = 0.0  # share of API calls answered 500 without doing anything
    timeout_rate: float = 0.0  # share held for `timeout_seconds`, then closed unanswered
    timeout_seconds: float = 3.0
    lost_create_rate: float = 0.0  # share of creates that succeed but answer 500
    rate_limit: float = 0.0  # API calls per second allowed (0: no limit)
    retry_after: float = 1.0  # seconds, sent with a rate-limit answer
    seed: int | None = None


class State:
    """Everything the sandbox knows, under one lock, kept in a JSON file so it survives a
    restart. Writes are coalesced (at most one per `FLUSH_SECONDS`, and on shutdown):
    rewriting the whole file after each of 40,000 creates would make a big run quadratic."""

    FLUSH_SECONDS = 1.0

    def __init__(self, path: Path | None, initial: dict):
        self.path, self.lock = path, threading.RLock()
        self.data = json.loads(path.read_text()) if path and path.exists() else initial
        self._timer: threading.Timer | None = None
        self._written = 0.0

    def save(self) -> None:
        """Note a change: written now if the file is older than FLUSH_SECONDS, else soon."""
        if self.path is None:
            return
        with self.lock:
            if time.monotonic() - self._written >= self.FLUSH_SECONDS:
                self.flush()
            elif self._timer is None:
                self._timer = threading.Timer(self.FLUSH_SECONDS, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self) -> None:
        if self.path is None:
            return
        with self.lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data, ensure_ascii=False))
            tmp.replace(self.path)
            self._written = time.monotonic()


@dataclass(frozen=True)
class PushMessage:
    body: bytes
    headers: dict[str, str]
    order_id: str


class Dropped(Exception):
    """Close the connection without an answer (a timeout, seen from the client)."""


class Sandbox:
    """Subclasses set `name`, `initial_state()`, `routes` and the envelope helpers."""

    name = "sandbox"
    create_paths: frozenset[str] = frozenset()

    def __init__(self, state_file: Path | None = None):
        self.state = State(state_file, self.initial_state())
        self.faults = Faults()
        self.random = random.Random()
        self.calls: Counter[str] = Counter()
        self.journal: list[Request] | None = None  # a list: every API request is kept there
        self.deliveries: list[dict] = []  # push attempts: order_id, status, attempt, ms
        self._window: list[float] = []
        self._sending = threading.Condition()
        self._in_flight = 0

    # For subclasses

    def initial_state(self) -> dict:
        return {"items": {}, "orders": {}, "tokens": {}, "next_id": 1000}

    def route(self, request: Request) -> Response:
        raise NotImplementedError

    def error(self, status: int, code: str, message: str) -> Response:
        raise NotImplementedError

    def rate_limited(self) -> Response:
        raise NotImplementedError

    def issue_tokens(self) -> dict[str, Any]:
        """A new access/refresh pair, as a seller's authorisation would give."""
        raise NotImplementedError

    def create_order(self, lines: list[dict]) -> str:
        raise NotImplementedError

    @staticmethod
    def specification_problems(request: Request) -> list[str]:
        """What the marketplace's own specification refuses in this request as it reached
        the sandbox (empty: nothing); the contract tests ask it of every journalled call."""
        raise NotImplementedError

    def set_order_state(self, order_id: str, state: str) -> None:
        raise NotImplementedError

    def push_messages(self, order_id: str, url: str) -> list[PushMessage]:
        """The marketplace's notifications of the order's present state, signed for `url`."""
        raise NotImplementedError

    # Pushes

    def push_to(self, url: str, retry_seconds: float = 1800, retries: int = 12) -> dict:
        """Send order pushes to `url` from now on (Lazada retries every 30 min, 12 times)."""
        target = {"url": url, "retry_seconds": retry_seconds, "retries": retries}
        with self.state.lock:
            self.state.data["push"] = target
            self.state.save()
        return target

    def order_changed(self, order_id: str) -> None:
        """Push the order's change to the configured URL (none configured: nothing)."""
        target = self.state.data.get("push")
        if not target:
            return
        for message in self.push_messages(order_id, target["url"]):
            self._send(message, target, attempt=1)

    def _send(self, message: PushMessage, target: dict, attempt: int) -> None:
        with self._sending:
            self._in_flight += 1
        threading.Thread(target=self._deliver, args=(message, target, attempt), daemon=True).start()

    def _deliver(self, message: PushMessage, target: dict, attempt: int) -> None:
        started = time.monotonic()
        try:
            answer = requests.post(
                target["url"], data=message.body, headers=message.headers, timeout=5
            )
            status = answer.status_code
        except requests.RequestException as error:
            status = 0
            logger.warning("%s sandbox: push to %s failed: %s", self.name, target["url"], error)
        ms = round((time.monotonic() - started) * 1000)
        with self._sending:
            self.deliveries.append(
                {"order_id": message.order_id, "status": status, "attempt": attempt, "ms": ms}
            )
            if not 200 <= status < 300 and attempt <= target["retries"]:
                retry = threading.Timer(
                    target["retry_seconds"], self._send, args=(message, target, attempt + 1)
                )
                retry.daemon = True
                retry.start()
            self._in_flight -= 1
            self._sending.notify_all()

    def pushes_settled(self, timeout: float = 10.0, attempts: int = 0) -> bool:
        """Wait until no push is being delivered (a retry waiting for its time is not)
        and at least `attempts` deliveries were tried."""
        with self._sending:
            return self._sending.wait_for(
                lambda: self._in_flight == 0 and len(self.deliveries) >= attempts, timeout
            )

    def next_id(self) -> int:
        with self.state.lock:
            self.state.data["next_id"] += 1
            return self.state.data["next_id"]

    # Serving

    def handle(self, request: Request) -> Response:
        if request.path.startswith("/_sandbox/") or request.path == "/":
            return self.control(request)
        if self.journal is not None:
            self.journal.append(request)
        with self.state.lock:
            limited = self._over_rate_limit()
        if limited:
            return self.rate_limited()
        roll = self.random.random()
        if roll < self.faults.timeout_rate:
            time.sleep(self.faults.timeout_seconds)
            raise Dropped
        if roll < self.faults.timeout_rate + self.faults.error_rate:
            return self.error(500, "internal_error", "Sandbox: injected server error.")
        response = self.route(request)
        if response.status == 200:
            self.calls[request.path] += 1
        lost = request.path in self.create_paths and response.status == 200
        if lost and self.random.random() < self.faults.lost_create_rate:
            return self.error(500, "internal_error", "Sandbox: created, then answered 500.")
        return response

    def _over_rate_limit(self) -> bool:
        if not self.faults.rate_limit:
            return False
        now = time.monotonic()
        self._window = [t for t in self._window if now - t < 1.0]
        if len(self._window) >= self.faults.rate_limit:
            return True
        self._window.append(now)
        return False

    def control(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/")
        if request.path == "/":
            return Response(200, self.page(), {"content-type": "text/html; charset=utf-8"})
        if parts == ["_sandbox", "faults"] and request.method == "POST":
            self.faults = Faults(**request.json())
            self.random.seed(self.faults.seed)
            return Response(200, {"faults": self.faults.__dict__})
        if parts == ["_sandbox", "orders"] and request.method == "POST":
            return Response(200, {"order_id": self.create_order(request.json()["lines"])})
        if len(parts) == 4 and parts[:2] == ["_sandbox", "orders"] and request.method == "POST":
            if parts[3] not in ("shipped", "cancelled"):
                return Response(400, {"error": "state must be shipped or cancelled"})
            if parts[2] not in self.state.data["orders"]:
                return Response(404, {"error": "no such order"})
            self.set_order_state(parts[2], parts[3])
            return Response(200, {"ok": True})
        if parts == ["_sandbox", "reset"] and request.method == "POST":
            with self.state.lock:
                data = self.state.data
                kept = {key: data[key] for key in ("tokens", "push") if key in data}
                self.state.data = {**self.initial_state(), **kept}
                self.state.save()
            self.calls.clear()
            return Response(200, {"ok": True})
        if parts == ["_sandbox", "push"] and request.method == "POST":
            wanted = request.json()
            target = self.push_to(
                str(wanted["url"]),
                float(wanted.get("retry_seconds", 1800)),
                int(wanted.get("retries", 12)),
            )
            return Response(200, {"push": target})
        if parts == ["_sandbox", "pushes"]:
            with self._sending:
                return Response(200, list(self.deliveries))
        if parts == ["_sandbox", "state"]:
            with self.state.lock:
                return Response(200, self.state.data)
        if parts == ["_sandbox", "calls"]:
            return Response(200, dict(self.calls))
        return Response(404, {"error": "not_found"})

    def page(self) -> str:
        """Items, stock and orders, for a person checking what the connector did."""
        with self.state.lock:
            items = list(self.state.data["items"].values())
            orders = list(self.state.data["orders"].values())
        rows = "".join(
            f"<tr><td>{html.escape(str(item.get('id')))}</td>"
            f"<td>{html.escape(item.get('name', ''))}</td>"
            f"<td>{html.escape(item.get('status', ''))}</td><td>"
            + "<br>".join(
                html.escape(
                    f"{sku['seller_sku']}: {sku['price']:,} ₫ · kho {sku['stock']}"
                ).replace(",", ".")
                for sku in item.get("skus", [])
            )
            + "</td></tr>"
            for item in items
        )
        order_rows = "".join(
            f"<tr><td>{html.escape(str(order['id']))}</td><td>{html.escape(order['state'])}</td>"
            f"<td>{html.escape(', '.join(f'{s} × {n}' for s, n in order['lines']))}</td></tr>"
            for order in orders
        )
        return (
            f"<!doctype html><meta charset=utf-8><title>{self.name} sandbox</title>"
            f"<h1>{self.name} sandbox</h1><h2>Items ({len(items)})</h2>"
            f"<table border=1><tr><th>id</th><th>name</th><th>status</th><th>SKUs</th></tr>"
            f"{rows}</table><h2>Orders ({len(orders)})</h2>"
            f"<table border=1><tr><th>id</th><th>state</th><th>lines</th></tr>{order_rows}</table>"
        )


def make_handler(sandbox: Sandbox) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms ACK wait

        def _serve(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                method=self.command,
                path=url.path,
                query={k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            try:
                response = sandbox.handle(request)
            except Dropped:
                self.close_connection = True
                return
            body = response.body
            headers = {"content-type": "application/json", **response.headers}
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(response.status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _serve  # noqa: N815 - http.server's naming

        def log_message(self, *args) -> None:
            pass

    return Handler


def serve(sandbox: Sandbox, port: int = 0) -> ThreadingHTTPServer:
    """A server on 127.0.0.1 only (port 0: any free port); call serve_forever()."""
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(sandbox))
    server.daemon_threads = True
    return server


@contextmanager
def running(sandbox: Sandbox) -> Iterator[str]:
    """Serve `sandbox` from a thread of this process; yields its base URL."""
    server = serve(sandbox, 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        sandbox.state.flush()
