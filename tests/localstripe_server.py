"""Run localstripe (a fake, stateful Stripe API server) for tests.

Point the `stripe` library at the yielded URL (``stripe.api_base = url``; any ``sk_test_...``
key works) and pages at ``url + JS_PATH`` for its fake Stripe.js. Only the standard library is
used, so this works without Django.
"""

import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

JS_PATH = "/js.stripe.com/v3/"
"""Where localstripe serves its fake Stripe.js; it answers without an API key."""


def _free_port() -> int:
    """A port that is free on the IPv4+IPv6 wildcard address localstripe binds to."""
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
        sock.bind(("::", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def localstripe_server(timeout: float = 15.0) -> Iterator[str]:
    """Start localstripe on a free port, yield ``http://127.0.0.1:<port>``, then stop it.

    ``--from-scratch`` keeps it from loading state left in /tmp/localstripe.pickle by earlier
    runs. localstripe has no ``--host`` option: it listens on all interfaces (``::``).
    """
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    executable = Path(sys.executable).parent / "localstripe"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [str(executable), "--port", str(port), "--from-scratch"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + timeout
            while not _answers(base_url + JS_PATH):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"localstripe did not start on port {port}:\n{output}")
                time.sleep(0.05)
            yield base_url
        finally:
            _stop(process)


def _request(method: str, url: str, payload: dict[str, object] | None = None) -> None:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10):
        pass  # urlopen raises HTTPError for any non-2xx answer


def register_webhook(
    base_url: str,
    url: str,
    secret: str,
    events: Iterable[str] | None = None,
    *,
    webhook_id: str = "tests",
) -> None:
    """Have localstripe POST events to ``url``, signed with ``secret``.

    ``events=None`` means every event type. Registering again under the same ``webhook_id``
    replaces the earlier registration; `reset` does not remove webhooks. Each event is sent
    once, about one second after it happens, and never retried.
    """
    payload: dict[str, object] = {"url": url, "secret": secret}
    if events is not None:
        payload["events"] = list(events)
    _request("POST", f"{base_url}/_config/webhooks/{webhook_id}", payload)


def reset(base_url: str) -> None:
    """Forget every Stripe object and event stored by localstripe (webhooks are kept)."""
    _request("DELETE", f"{base_url}/_config/data")
