"""A marketplace sandbox served over HTTP, and a channel of ours bound to it: the pieces
the engine and contract tests share."""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from catalogue.models import ProductPage
from connectors.engine import run_pass
from connectors.models import CategoryMapping, Channel
from connectors.registry import adapter_for, descriptor, descriptors
from connectors.sandbox.server import running


def no_sleep(seconds: float) -> None:
    """Backoff and rate-limit waits are skipped in tests (the sandbox has no real
    clock to wait for); the engine's retry counts still apply."""


class Market:
    def __init__(self, kind: str, sandbox, url: str):
        self.kind, self.sandbox, self.url = kind, sandbox, url
        self.marketplace = descriptor(kind)

    def items(self) -> list[dict]:
        with self.sandbox.state.lock:
            return [dict(item) for item in self.sandbox.state.data["items"].values()]

    def live_skus(self) -> dict[str, dict]:
        return {
            sku["seller_sku"]: sku
            for item in self.items()
            if item.get("status") in ("NORMAL", "active", "live", "Active")
            for sku in item["skus"]
        }

    def writes(self) -> int:
        return sum(n for path, n in self.sandbox.calls.items() if "get" not in path)


@pytest.fixture(params=[marketplace.kind for marketplace in descriptors()])
def market(request, tmp_path):
    """Each marketplace's sandbox in turn, served on a free port."""
    sandbox = descriptor(request.param).sandbox(state_file=tmp_path / f"{request.param}.json")
    with running(sandbox) as url:
        yield Market(request.param, sandbox, url)


@contextmanager
def every_sandbox(state_dir: Path) -> Iterator[dict[str, str]]:
    """Every marketplace's sandbox served at once: {kind: URL}, e.g. for demo_channels."""
    with ExitStack() as stack:
        yield {
            market.kind: stack.enter_context(
                running(market.sandbox(state_file=state_dir / f"{market.kind}.json"))
            )
            for market in descriptors()
        }


def make_channel(market: Market, **fields) -> Channel:
    marketplace = market.marketplace
    channel = Channel(
        kind=market.kind,
        base_url=marketplace.sandbox_api(market.url),
        name=marketplace.label,
        slug=market.kind,
    )
    channel.set_secrets(marketplace.sandbox_secrets(market.sandbox.issue_tokens()))
    for key, value in fields.items():
        setattr(channel, key, value)
    channel.save()
    categories = set(ProductPage.objects.values_list("ocop_category_id", flat=True))
    for category_id in categories:
        CategoryMapping.objects.create(
            channel=channel,
            ocop_category_id=category_id,
            category_id="100001",
            attributes=dict(marketplace.demo.mapping_attributes),
        )
    return channel


def sync(channel: Channel):
    channel.refresh_from_db()
    return run_pass(channel, adapter_for(channel), sleep=no_sleep)
