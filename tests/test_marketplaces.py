"""One descriptor per marketplace (connectors/<kind>/__init__.py): every channel kind has
one, its sandbox answers, and its demo set-up makes a channel that works."""

import io

import pytest
import requests
from django.core.management import call_command

from connectors.engine import run_pass
from connectors.models import Channel
from connectors.registry import adapter_for, descriptor, descriptors
from connectors.sandbox.server import running
from tests.markets import every_sandbox, no_sleep

KINDS = pytest.mark.parametrize("kind", [market.kind for market in descriptors()])


def test_every_channel_kind_has_one_descriptor():
    assert [market.kind for market in descriptors()] == Channel.Kind.values
    for kind, label in Channel.Kind.choices:
        market = descriptor(kind)
        assert market.kind == kind and market.label == label
        assert {"access_token", "refresh_token"} <= set(market.secret_keys)
        assert set(market.demo.secrets) <= set(market.secret_keys)
    with pytest.raises(ValueError, match="Unknown channel kind"):
        descriptor("tiktok")
    assert len({market.demo.port for market in descriptors()}) == len(descriptors())


@KINDS
def test_the_sandbox_answers_its_page_and_issues_tokens(kind, tmp_path):
    market = descriptor(kind)
    with running(market.sandbox(state_file=tmp_path / f"{kind}.json")) as url:
        assert requests.get(url + "/", timeout=5).status_code == 200
        tokens = requests.post(url + "/_sandbox/tokens", json={}, timeout=5)
        assert tokens.status_code == 200
        assert set(market.sandbox_secrets(tokens.json())) == set(market.secret_keys)


def test_the_demo_set_up_makes_a_working_channel_on_every_sandbox(db, tmp_path):
    with every_sandbox(tmp_path) as urls:
        call_command("demo_channels", **urls, stdout=io.StringIO())
        for market in descriptors():
            channel = Channel.objects.get(slug=market.demo.slug)
            assert (channel.kind, channel.name) == (market.kind, market.demo.name)
            assert channel.base_url == market.sandbox_api(urls[market.kind])
            assert list(adapter_for(channel).items()) == []  # signed, token accepted
            run = run_pass(channel, adapter_for(channel), sleep=no_sleep)
            assert run.status == "ok", run.errors


def test_the_marketplaces_command_lists_each_with_its_sandbox_port():
    out = io.StringIO()
    call_command("marketplaces", stdout=out)
    lines = [line.split(" ", 3) for line in out.getvalue().splitlines()]
    assert [(kind, int(port), label) for kind, port, _, label in lines] == [
        (market.kind, market.demo.port, market.label) for market in descriptors()
    ]
    assert all("push-listings,pull-orders" in can for _, _, can, _ in lines)
