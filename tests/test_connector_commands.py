"""Operating the connectors from the command line, and secrets at rest."""

import io
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogue.models import ProductPage
from connectors import crypto
from connectors.models import CategoryMapping, Channel, Listing
from connectors.registry import descriptors
from connectors.sandbox.server import running
from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_channel_add_stores_secrets_encrypted_and_shows_them_masked(db, tmp_path):
    secrets = tmp_path / "shopee.env"
    secrets.write_text(
        "# from the Shopee Open Platform console\n"
        "partner_id=2001887\npartner_key = very-secret-key-1234\n\nshop_id=14701711\n"
    )
    output = run(
        "channel_add",
        "shopee",
        "Shopee HTX",
        "--base-url",
        "http://127.0.0.1:8801",
        "--credentials-file",
        str(secrets),
        "--markup",
        "8",
    )
    channel = Channel.objects.get(slug="shopee-htx")
    assert "very-secret-key-1234" not in output and "partner_key=••••1234" in output
    assert "very-secret" not in channel.secrets  # the column holds ciphertext
    assert channel.get_secrets()["partner_key"] == "very-secret-key-1234"
    assert channel.price_markup_percent == 8

    secrets.write_text("access_token=tok-abcdef123\n")
    run("channel_add", "shopee", "Shopee HTX", "--base-url", "http://127.0.0.1:8801",
        "--credentials-file", str(secrets))  # fmt: skip
    channel.refresh_from_db()
    assert channel.get_secrets()["partner_key"] == "very-secret-key-1234"  # kept
    assert channel.get_secrets()["access_token"] == "tok-abcdef123"


def test_a_wrong_credentials_line_is_refused_without_echoing_it(db, tmp_path):
    secrets = tmp_path / "lazada.env"
    secrets.write_text("app_key=123\nshop-secret-typed-here\n")
    with pytest.raises(CommandError) as refused:
        run("channel_add", "lazada", "Lazada HTX", "--base-url", "http://x.example",
            "--credentials-file", str(secrets))  # fmt: skip
    assert "line 2: expected KEY=VALUE" in str(refused.value)
    assert "shop-secret-typed-here" not in str(refused.value)
    assert not Channel.objects.exists()
    with pytest.raises(CommandError, match="cannot read"):
        run("channel_add", "lazada", "Lazada HTX", "--base-url", "http://x.example",
            "--credentials-file", str(tmp_path / "missing.env"))  # fmt: skip


def test_secrets_are_not_taken_on_the_command_line(db):
    with pytest.raises(CommandError, match="--credential"):
        run("channel_add", "shopee", "Shopee HTX", "--base-url", "http://x.example",
            "--credential", "partner_key=very-secret")  # fmt: skip


def test_secrets_can_be_typed_at_a_prompt_that_does_not_echo(db, monkeypatch):
    typed = {"partner_key": "typed-key-5678", "access_token": "  "}
    prompts: list[str] = []

    def terminal(prompt: str) -> str:  # stands in for the operator at the keyboard
        prompts.append(prompt)
        return typed.get(prompt.split(" ")[0], "")

    monkeypatch.setattr("getpass.getpass", terminal)
    output = run("channel_add", "shopee", "Shopee HTX", "--base-url", "http://x.example", "--ask")
    channel = Channel.objects.get(slug="shopee-htx")
    assert channel.get_secrets() == {"partner_key": "typed-key-5678"}
    assert "partner_key (Enter: keep): " in prompts and "typed-key" not in output


def test_secrets_encrypted_under_another_key_are_refused_clearly(settings):
    token = crypto.encrypt({"partner_key": "k"})
    settings.CONNECTORS_ENCRYPTION_KEY = "Z" * 43 + "="
    with pytest.raises(crypto.SecretsUnreadable, match="nhập lại"):
        crypto.decrypt(token)
    assert crypto.mask("short") == "••••"


def test_dry_run_prints_the_plan_and_calls_nothing(demo_catalogue, db, tmp_path):
    market = descriptors()[0]
    sandbox = market.sandbox(state_file=tmp_path / "sandbox.json")
    with running(sandbox) as url:
        channel = Channel(kind=market.kind, name=market.label, slug="s")
        channel.base_url = market.sandbox_api(url)
        channel.set_secrets(market.sandbox_secrets(sandbox.issue_tokens()))
        channel.save()
        output = run("sync_channels", "--channel", "s", "--dry-run")
        assert "s: plan…" in output and "unmapped" in output  # nothing is mapped yet
        CategoryMapping.objects.bulk_create(
            CategoryMapping(channel=channel, ocop_category_id=category_id, category_id="1")
            for category_id in {p.ocop_category_id for p in ProductPage.objects.all()}
        )
        output = run("sync_channels", "--channel", "s", "--dry-run")
        match = re.search(r" create (\d+)", output)
        assert match is not None, output
        planned = int(match.group(1))
        assert planned > 0 and not Listing.objects.exists()  # planned, nothing written
        # and says what it will not carry, and why
        assert "không đăng: " in output
        assert "Chưa có chứng nhận OCOP (kênh chỉ bán sản phẩm OCOP)" in output
        assert "Dịch vụ du lịch không bán trên sàn" in output
        assert sum(sandbox.calls.values()) == 0 and not sandbox.state.data["items"]
        with pytest.raises(CommandError, match="No channel"):
            run("sync_channels", "--channel", "nope")


def start_sandbox(port: int, state: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "marketplace_sandbox",
            "lazada",
            "--port",
            str(port),
            "--state",
            str(state),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except requests.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise AssertionError("sandbox did not start") from None
            time.sleep(0.1)


@pytest.mark.slow
def test_sandbox_command_serves_on_localhost_and_keeps_state_across_restarts(tmp_path):
    port, state = free_port(), tmp_path / "lazada.json"
    process = start_sandbox(port, state)
    try:
        tokens = requests.post(f"http://127.0.0.1:{port}/_sandbox/tokens", json={}, timeout=5)
        assert tokens.status_code == 200
        page = requests.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert "Lazada sandbox" in page.text
    finally:
        process.terminate()
        process.wait(timeout=10)
    process = start_sandbox(port, state)
    try:
        saved = requests.get(f"http://127.0.0.1:{port}/_sandbox/state", timeout=5).json()
        assert tokens.json()["access_token"] in saved["tokens"]
    finally:
        process.terminate()
        process.wait(timeout=10)
