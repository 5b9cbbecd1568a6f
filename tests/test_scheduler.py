"""The scheduler's decisions on a fake clock: each due slot is enqueued once, even by two
schedulers; passes due together fold into the strongest; an unfinished slot is not
enqueued again until its worker is known dead; stock changes are debounced into one
quick pass. Enqueueing is recorded here; real workers run the slots in test_workers."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from background import jobs
from background.models import Heartbeat, Slot
from background.schedule import Scheduler
from background.tasks import run_now, run_slot
from catalogue import stock
from connectors.models import Channel, Listing, PendingPush

T0 = datetime.datetime(2026, 11, 23, 10, 0, 3, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
GLOBAL = {job.name for job in jobs.GLOBAL_JOBS}


@pytest.fixture
def channel(db):
    return Channel.objects.create(
        kind="shopee", name="Shopee", slug="shopee", base_url="http://127.0.0.1:9"
    )


@pytest.fixture
def ticker(django_capture_on_commit_callbacks):
    """tick(scheduler, now) → keys enqueued; enqueued ids are collected in `.sent`."""

    class Ticker:
        sent: list[int] = []

        def scheduler(self) -> Scheduler:
            return Scheduler(enqueue=self.sent.append)

        def __call__(self, scheduler: Scheduler, now: datetime.datetime) -> list[str]:
            with django_capture_on_commit_callbacks(execute=True):
                return [slot.key for slot in scheduler.tick(now)]

    Ticker.sent = []
    return Ticker()


def finish_all(now: datetime.datetime, outcome: str = "ok") -> None:
    Slot.objects.filter(finished_at__isnull=True).update(
        started_at=now, finished_at=now, outcome=outcome
    )


def test_first_tick_enqueues_every_job_once_folding_a_channels_passes(channel, ticker):
    scheduler = ticker.scheduler()
    keys = ticker(scheduler, T0)
    assert set(keys) == GLOBAL | {f"sync:reconcile@{channel.pk}"}
    covered = dict(Slot.objects.filter(channel=channel).values_list("job", "outcome"))
    assert covered == {
        "sync:reconcile": "",
        "sync:pass": "covered by sync:reconcile",
        "sync:orders": "covered by sync:reconcile",
    }
    assert ticker(scheduler, T0 + datetime.timedelta(seconds=5)) == []  # still running
    finish_all(T0)
    assert ticker(scheduler, T0 + datetime.timedelta(seconds=10)) == []  # done this period
    assert sorted(Slot.objects.filter(pk__in=ticker.sent).values_list("key", flat=True)) == sorted(
        keys
    )
    assert Heartbeat.objects.get(name="scheduler").at == T0 + datetime.timedelta(seconds=10)


def test_two_schedulers_over_ten_minutes_enqueue_each_due_slot_exactly_once(channel, ticker):
    first, second = ticker.scheduler(), ticker.scheduler()
    enqueued: list[str] = []
    for step in range(61):  # 10:00:03 … 10:10:03, both schedulers every 10 s
        now = T0 + datetime.timedelta(seconds=10 * step)
        enqueued += ticker(first, now)
        enqueued += ticker(second, now + datetime.timedelta(milliseconds=300))
        finish_all(now)  # workers keep up
    # each slot enqueued once: ids never repeat, and every slot that is not "covered" is there
    assert sorted(ticker.sent) == sorted(
        Slot.objects.exclude(outcome__startswith="covered").values_list("pk", flat=True)
    )
    assert len(enqueued) == len(ticker.sent)
    by_job = {job: enqueued.count(job) for job in set(enqueued)}
    pk = channel.pk
    assert by_job == {
        "heartbeat": 11,  # every minute 10:00 … 10:10
        "expire_holds": 11,
        "publish_scheduled": 11,
        "certificates": 1,
        "authorisations": 1,
        "prune": 1,
        f"sync:reconcile@{pk}": 1,  # 10:00, covering that minute's pass and orders pull
        f"sync:pass@{pk}": 2,  # 10:05, 10:10 (which covers the 10:10 orders pull)
        f"sync:orders@{pk}": 4,  # 10:02, 10:04, 10:06, 10:08
    }
    slots = Slot.objects.filter(channel=channel)
    assert slots.filter(outcome__startswith="covered").count() == 3
    assert slots.count() == len(set(slots.values_list("key", "due_at")))


def test_an_unfinished_slot_blocks_its_job_until_known_lost(channel, ticker):
    scheduler = ticker.scheduler()
    ticker(scheduler, T0)
    later = T0 + datetime.timedelta(minutes=2)
    assert ticker(scheduler, later) == []  # everything still queued: nothing piles up

    # A pass that started and holds its channel's lease is alive however long it runs.
    Slot.objects.filter(channel=channel, finished_at__isnull=True).update(started_at=T0)
    Channel.objects.filter(pk=channel.pk).update(
        lease_owner="w1", lease_until=T0 + datetime.timedelta(minutes=20)
    )
    much_later = T0 + datetime.timedelta(minutes=16)
    ticker.sent.clear()
    keys = ticker(scheduler, much_later)
    # queued 16 min and never started (the queue lost them): sent again as they are, so
    # even the daily jobs run today; the live pass is left alone
    assert set(keys) == GLOBAL
    assert Slot.objects.filter(key__in=GLOBAL).count() == len(GLOBAL)  # no new slots
    assert sorted(ticker.sent) == sorted(
        Slot.objects.filter(key__in=GLOBAL).values_list("pk", flat=True)
    )

    # The worker was killed: its lease ran out, so the pass is lost and runs again.
    Channel.objects.filter(pk=channel.pk).update(lease_until=T0 + datetime.timedelta(minutes=5))
    keys = ticker(scheduler, much_later + datetime.timedelta(seconds=10))
    assert f"sync:pass@{channel.pk}" in keys
    lost = Slot.objects.get(key=f"sync:reconcile@{channel.pk}")
    assert lost.outcome.startswith("lost") and lost.finished_at is not None
    assert run_slot.call(lost.pk) == "duplicate"  # its task turning up late does nothing


def test_a_hundred_stock_edits_in_a_minute_make_one_quick_pass(channel, ticker):
    scheduler = ticker.scheduler()
    ticker(scheduler, T0 - datetime.timedelta(seconds=1))
    finish_all(T0)
    edits = [T0 + datetime.timedelta(seconds=0.6 * i) for i in range(100)]
    pushes = []
    for step in range(19):  # every 5 s for 90 s
        now = T0 + datetime.timedelta(seconds=5 * step)
        PendingPush.objects.bulk_create(
            PendingPush(channel=channel, sku=f"SKU-{i % 7}", created_at=at)
            for i, at in enumerate(edits)
            if now - datetime.timedelta(seconds=5) < at <= now
        )
        keys = ticker(scheduler, now)
        if f"sync:push@{channel.pk}" in keys:
            pushes.append(now)
            PendingPush.objects.filter(channel=channel, created_at__lte=now).delete()
            finish_all(now)
    assert pushes == [T0 + datetime.timedelta(seconds=60)]  # waited at most a minute
    assert not PendingPush.objects.exists()


def test_a_single_edit_is_pushed_after_ten_quiet_seconds(channel, ticker):
    scheduler = ticker.scheduler()

    edit = T0 + datetime.timedelta(seconds=30)

    def passes(seconds: float) -> list[str]:
        keys = ticker(scheduler, edit + datetime.timedelta(seconds=seconds))
        return [key for key in keys if key.startswith("sync:")]

    passes(-30)
    finish_all(T0)
    PendingPush.objects.create(channel=channel, sku="SKU-1", created_at=edit)
    assert passes(5) == []
    assert passes(10) == [f"sync:push@{channel.pk}"]
    # a push that failed is not retried hot: 30 s after it at least
    finish_all(edit + datetime.timedelta(seconds=10), outcome="failed")
    assert passes(20) == []
    assert passes(40) == [f"sync:push@{channel.pk}"]
    # after one that worked, the next change waits only for its quiet seconds
    finish_all(edit + datetime.timedelta(seconds=41))
    PendingPush.objects.all().delete()  # the pass took it
    PendingPush.objects.create(
        channel=channel, sku="SKU-2", created_at=edit + datetime.timedelta(seconds=42)
    )
    assert passes(52) == [f"sync:push@{channel.pk}"]


def test_a_paused_channel_is_not_scheduled_and_keeps_its_changes(channel, ticker):
    Channel.objects.filter(pk=channel.pk).update(sync_paused=True)
    PendingPush.objects.create(channel=channel, sku="SKU-1", created_at=T0)
    keys = ticker(ticker.scheduler(), T0 + datetime.timedelta(minutes=1))
    assert set(keys) == GLOBAL
    assert PendingPush.objects.count() == 1
    assert run_now(channel) is not None  # a person may still ask for a pass
    assert run_now(channel) is None  # …but not a second one while the first waits


def test_stock_changes_wait_for_the_channels_that_list_the_sku(channel, shop):
    tea = shop["tea"].variants.first().sku
    noodles = shop["noodles"].variants.first().sku
    off = Channel.objects.create(
        kind="lazada", name="Off", slug="off", base_url="http://127.0.0.1:9", enabled=False
    )
    for listed_on in (channel, off):
        Listing.objects.create(channel=listed_on, sku=tea, product=shop["tea"])
    PendingPush.objects.all().delete()
    stock.adjust(tea, 5)
    stock.adjust(noodles, 5)  # listed nowhere: nothing to push
    assert list(PendingPush.objects.values_list("channel_id", "sku")) == [(channel.pk, tea)]
    stock.reserve(tea, 2)
    stock.commit(tea, 2)  # held units leaving the shelf change nothing a channel shows
    assert PendingPush.objects.count() == 2


def test_run_slot_runs_a_job_once_and_records_it(db):
    slot = Slot.objects.create(key="heartbeat", job="heartbeat", due_at=T0, enqueued_at=T0)
    assert run_slot.call(slot.pk) == "ok"
    assert run_slot.call(slot.pk) == "duplicate"  # delivered twice: runs once
    slot.refresh_from_db()
    assert slot.started_at is not None and slot.finished_at is not None
    assert slot.outcome == "ok" and slot.started_at <= slot.finished_at
    assert Heartbeat.objects.get(name="worker").at == slot.finished_at


def test_a_failing_job_is_recorded_and_raised(db, monkeypatch):
    def broken() -> str:
        raise RuntimeError("boom")

    monkeypatch.setitem(
        jobs.GLOBAL_BY_NAME, "heartbeat", jobs.GlobalJob("heartbeat", jobs.MINUTE, broken)
    )
    slot = Slot.objects.create(key="heartbeat", job="heartbeat", due_at=T0, enqueued_at=T0)
    with pytest.raises(RuntimeError):
        run_slot.call(slot.pk)
    slot.refresh_from_db()
    assert slot.finished_at is not None
    assert slot.outcome == "error: RuntimeError" and slot.finished_at <= timezone.now()
