"""Real workers in their own processes, on the database queue (the default) and on RQ
over the Redis at 127.0.0.1:6379: two schedulers and three workers over ten minutes of
scheduler time run every due slot exactly once; a worker killed in the middle of a pass
loses nothing; with Redis down, a checkout still succeeds and its email goes out later.

These tests commit their data (the workers read it from another process): each starts
from a fresh copy of the database (committed_db, committed_demo), and scripts/test runs
them in a pytest session of their own, beside the browser tests."""

import datetime
import io
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from background import jobs
from background.models import PendingTask, Slot
from background.schedule import Scheduler
from connectors import lease
from connectors.desired import channel_stock
from connectors.models import Channel, Listing, SyncRun
from ocop_site.settings.env import tasks_config
from orders.models import Order
from tests.markets import every_sandbox
from tests.ports import free_port

pytestmark = [
    pytest.mark.workers,
    pytest.mark.slow,
    # Workers read committed data: every test starts from committed_demo (through the
    # marketplaces fixture) or committed_db.
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parent.parent
# Database 14, one lower for each further xdist process: processes never share a queue
# (and never reach the low databases a development site uses).
PROCESS = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
REDIS_DB = 14 - PROCESS
REDIS_URL = os.environ.get("OCOP_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{REDIS_DB}")


def redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def needs_redis() -> None:
    if REDIS_DB < 6 and "OCOP_TEST_REDIS_URL" not in os.environ:
        pytest.fail(f"Redis databases 14 down to 6 serve 9 test processes; this is no. {PROCESS}")
    if redis_up():
        return
    if os.environ.get("OCOP_REQUIRE_REDIS") == "1":
        pytest.fail(f"OCOP_REQUIRE_REDIS=1 but no Redis answers at {REDIS_URL}")
    pytest.skip(f"no Redis at {REDIS_URL} (CI sets OCOP_REQUIRE_REDIS=1)")


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def use_backend(backend: str, settings_fixture, redis_url: str = REDIS_URL) -> None:
    """This process enqueues where the workers listen."""
    settings_fixture.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 3600}}
    settings_fixture.TASKS = tasks_config(backend)
    if backend == "rq" and redis_url == REDIS_URL:
        redis.Redis.from_url(REDIS_URL).flushdb()  # a queue of our own, empty


def worker_env(backend: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ocop_site.settings.test",
        "TASKS_BACKEND": backend,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    if backend == "rq":
        env["REDIS_URL"] = REDIS_URL
    return env


def worker_command(backend: str, name: str, burst: bool = False) -> list[str]:
    manage = [sys.executable, str(ROOT / "manage.py")]
    if backend == "rq":
        return [*manage, "rqworker", "default", "--job-class", "django_tasks_rq.backend.Job",
                "--name", name, *(["--burst"] if burst else [])]  # fmt: skip
    return [*manage, "db_worker", "--interval", "0.05", "--no-startup-delay", "--no-reload",
            "--worker-id", name, *(["--batch"] if burst else [])]  # fmt: skip


@contextmanager
def workers(backend: str, count: int, logs: Path, **env: str) -> Iterator[list[subprocess.Popen]]:
    processes = []
    try:
        for number in range(count):
            log = open(logs / f"worker-{backend}-{number}.log", "ab")  # noqa: SIM115
            processes.append(
                subprocess.Popen(
                    worker_command(backend, f"test-{os.getpid()}-{number}"),
                    env=worker_env(backend, **env),
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: killpg reaches RQ's horse
                )
            )
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def lease_until(channel: Channel) -> datetime.datetime:
    """The lease of a leased channel, as the database has it now."""
    until = Channel.objects.get(pk=channel.pk).lease_until
    assert until is not None, "the channel is leased"
    return until


def all_finished() -> bool:
    return not Slot.objects.filter(finished_at__isnull=True).exists()


@pytest.fixture
def marketplaces(committed_demo, tmp_path):
    """The demo catalogue (committed) and a channel on each sandbox."""
    with every_sandbox(tmp_path) as urls:
        call_command("demo_channels", **urls, stdout=io.StringIO())
        Channel.objects.update(calls_per_second=1000)
        yield {channel.kind: channel for channel in Channel.objects.all()}


def sandbox_items(channel: Channel) -> dict[str, int | None]:
    """Seller SKU → stock as the marketplace shows it, failing on a duplicate SKU."""
    from connectors.registry import adapter_for

    seen: Counter = Counter()
    stock: dict[str, int | None] = {}
    for item in adapter_for(channel).items():
        for sku in item.skus:
            seen[sku.seller_sku] += 1
            stock[sku.seller_sku] = sku.stock
    assert not [sku for sku, n in seen.items() if n > 1], "duplicate listing"
    return stock


def assert_in_step(channel: Channel) -> None:
    from catalogue import stock

    listed = Listing.objects.filter(channel=channel, state="live")
    remote = sandbox_items(channel)
    assert listed.count() == len(remote) > 20
    for sku, item in stock.levels(list(remote)).items():
        assert remote[sku] == channel_stock(channel, item.available), sku


@pytest.mark.parametrize("backend", ["database", "rq"])
def test_two_schedulers_and_three_workers_run_every_due_slot_once(
    backend, marketplaces, settings, tmp_path
):
    if backend == "rq":
        needs_redis()
    use_backend(backend, settings)
    first, second = Scheduler(), Scheduler()
    # 10 s into a minute, so the second scheduler's last tick (600.2 s on) stays in the 11th minute
    start = timezone.now().replace(second=10, microsecond=0)
    with workers(backend, 3, tmp_path):
        for step in range(21):  # ten minutes of scheduler time, a tick every 30 s
            now = start + datetime.timedelta(seconds=30 * step)
            first.tick(now)
            second.tick(now + datetime.timedelta(milliseconds=200))
            wait_until(all_finished, f"the slots of tick {step}")

    slots = list(Slot.objects.all())
    ran = [slot for slot in slots if not slot.outcome.startswith("covered")]
    bad = [s.outcome for s in ran if s.outcome.startswith(("lost", "error", "busy", "dupl"))]
    assert bad == [] and all(slot.finished_at for slot in slots)
    # every minute job ran for each of the 11 minutes, the daily ones once
    per_key = Counter(slot.key for slot in ran)
    assert per_key["heartbeat"] == per_key["expire_holds"] == per_key["publish_scheduled"] == 11
    assert per_key["certificates"] == per_key["authorisations"] == per_key["prune"] == 1
    for channel in marketplaces.values():
        channel_slots = [slot for slot in ran if slot.channel_id == channel.pk]
        # one SyncRun per pass slot: no slot ran twice, none was lost or busy
        assert SyncRun.objects.filter(channel=channel).count() == len(channel_slots) >= 6
        assert set(SyncRun.objects.filter(channel=channel).values_list("status", flat=True)) == {
            "ok"
        }
        periods = {
            (start + datetime.timedelta(seconds=30 * step)).replace(second=0, microsecond=0)
            for step in range(21)
        }
        orders_periods = {p.replace(minute=p.minute - p.minute % 2) for p in periods}
        orders_slots = Slot.objects.filter(key=f"sync:orders@{channel.pk}")
        assert set(orders_slots.values_list("due_at", flat=True)) == orders_periods
        assert_in_step(channel)


def test_a_worker_killed_mid_pass_loses_nothing(marketplaces, settings, tmp_path):
    use_backend("database", settings)
    shopee = marketplaces["shopee"]
    Channel.objects.exclude(pk=shopee.pk).update(enabled=False)
    Channel.objects.filter(pk=shopee.pk).update(calls_per_second=4)  # a pass of ~30 s
    Scheduler().tick()
    started = Listing.objects.filter(channel=shopee).exclude(external_item_id="")
    with workers("database", 1, tmp_path) as [worker]:
        wait_until(lambda: started.count() >= 3, "the pass to list a few products")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    interrupted = SyncRun.objects.get(channel=shopee)
    assert interrupted.status == "running"  # it never got to record anything
    assert 3 <= started.count() < 25

    # Five minutes later its lease has run out; the scheduler finds the slot lost.
    later = timezone.now() + datetime.timedelta(minutes=6)
    Channel.objects.filter(pk=shopee.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1), calls_per_second=1000
    )
    assert [slot.job for slot in Scheduler().tick(later) if slot.channel_id] == ["sync:pass"]
    with workers("database", 1, tmp_path):
        wait_until(all_finished, "the next pass")
    assert Slot.objects.filter(outcome__startswith="lost").count() == 1
    runs = SyncRun.objects.filter(channel=shopee).order_by("started_at")
    assert [run.status for run in runs] == ["failed", "ok"]
    assert "dừng giữa chừng" in runs[0].errors[0]
    assert_in_step(Channel.objects.get(pk=shopee.pk))


def test_with_redis_down_a_checkout_succeeds_and_its_email_goes_out_later(
    committed_db, shop, settings, tmp_path, caplog
):
    from catalogue.models import Commune

    needs_redis()
    use_backend("rq", settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")  # "down"
    sku = shop["tea"].variants.first().sku
    client = Client()
    client.post("/gio-hang/them/", {"sku": sku, "quantity": 1, "next": "/gio-hang/"})
    commune = Commune.objects.get(code="05983")
    client.post(
        "/thanh-toan/",
        {
            "name": "Nguyễn Thị Lan",
            "phone": "0912345678",
            "email": "lan@example.vn",
            "street": "12 Lê Lợi",
            "province": commune.province_id,
            "commune": commune.pk,
        },
    )
    total = client.get("/thanh-toan/xac-nhan/").context["quote"].total
    placed = client.post(
        "/thanh-toan/xac-nhan/", {"payment_method": "cod", "expected_total": total, "consent": "on"}
    )
    order = Order.objects.get()
    assert placed.status_code == 302 and placed["Location"] == f"/don-hang/{order.number}/"
    [kept] = PendingTask.objects.all()
    assert (kept.task_path, kept.args) == ("orders.tasks.send_order_placed", [order.pk])
    assert "kept in the outbox" in caplog.text

    # Redis is back: the next scheduler tick sends it, and a worker mails the shopper.
    use_backend("rq", settings)
    Scheduler().tick()
    assert not PendingTask.objects.exists()
    mail = tmp_path / "mail"
    worker = subprocess.run(
        worker_command("rq", f"test-{os.getpid()}-burst", burst=True),
        env=worker_env(
            "rq",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail),
        ),
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stdout[-2000:]
    sent = "".join(path.read_text() for path in mail.iterdir())
    assert order.number in sent and "lan@example.vn" in sent


def test_two_schedulers_ticking_at_the_same_moment_enqueue_each_slot_once(marketplaces):
    """Two schedulers in two threads (two database connections), the same instant: the
    lock on the heartbeat row makes them take turns, so every slot is enqueued once."""
    import threading

    from django.db import connection as thread_connection

    now = timezone.now()
    start = threading.Barrier(2)
    sent: list[int] = []

    def tick() -> None:
        try:
            start.wait()
            Scheduler(enqueue=sent.append).tick(now)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    expected = Slot.objects.exclude(outcome__startswith="covered")
    assert sorted(sent) == sorted(expected.values_list("pk", flat=True))
    assert expected.count() == len(jobs.GLOBAL_JOBS) + len(marketplaces)  # + one per channel


def test_a_running_pass_keeps_its_lease_and_stops_when_another_takes_it(marketplaces, monkeypatch):
    monkeypatch.setattr(lease, "RENEW_EVERY", 0.05)
    shopee = marketplaces["shopee"]
    owner = lease.acquire(shopee)
    first_until = lease_until(shopee)
    keeper = lease.LeaseKeeper(shopee, owner)
    keeper.start()
    try:
        wait_until(
            lambda: lease_until(shopee) > first_until,
            "the lease to be renewed without any call",
        )
        Channel.objects.filter(pk=shopee.pk).update(lease_owner="another pass")
        wait_until(lambda: keeper.lost, "the keeper to notice")
        with pytest.raises(lease.LeaseLost):
            keeper.check()
    finally:
        keeper.stopped.set()
        keeper.join(timeout=5)
