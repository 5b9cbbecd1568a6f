"""The scheduler: turns what is due into slots and enqueues each slot once.

A tick runs in one transaction holding the scheduler heartbeat row's lock (row lock on
PostgreSQL, the write lock on SQLite), so two schedulers take turns; a slot is unique
per job and due time as well. Periodic jobs are due once per period, periods aligned to
local midnight (a daily job runs at 00:00). A job whose previous slot has not finished
is not enqueued again. A slot the queue lost, or whose site-wide job died, is sent
again; a channel pass whose worker died (its lease lapsed) is closed as "lost", and the
channel's next pass takes over.

For one channel, the passes due at the same tick are folded into the strongest one
(reconcile ⊃ pass ⊃ push ⊃ orders); the others are recorded as covered by it. A
channel whose marketplace pushed an order change gets an order pull at the next tick
until one has worked since (`Channel.orders_wanted`)."""

import datetime
import logging
from collections.abc import Callable
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from background import jobs, outbox
from background.models import Heartbeat, Slot, channel_key
from background.tasks import run_slot
from connectors import stock_push
from connectors.models import Channel

logger = logging.getLogger(__name__)

STALE_QUEUED = datetime.timedelta(minutes=15)  # enqueued and never started: task lost
STALE_RUNNING = datetime.timedelta(minutes=30)  # a global job running this long died
CLAIM_GRACE = datetime.timedelta(minutes=1)  # a pass takes its lease just after starting
PUSH_GAP = datetime.timedelta(seconds=30)  # a failing quick pass is not retried hot
PASSES_THAT_WORKED = ("ok", "partial")  # SyncRun statuses: the pass took its changes


def period_start(now: datetime.datetime, every: datetime.timedelta) -> datetime.datetime:
    tz = ZoneInfo(settings.TIME_ZONE)
    epoch = datetime.datetime(2000, 1, 1, tzinfo=tz)
    return epoch + (now - epoch) // every * every


class Scheduler:
    def __init__(self, enqueue: Callable[[int], object] | None = None):
        self.enqueue = enqueue or run_slot.enqueue

    def tick(self, now: datetime.datetime | None = None) -> list[Slot]:
        """Enqueue what is due at `now`; returns the slots enqueued."""
        now = now or timezone.now()
        with transaction.atomic():
            Heartbeat.objects.update_or_create(name="scheduler", defaults={"at": now})
            busy_keys, busy_channels, enqueued = self._open(now)
            for job in jobs.GLOBAL_JOBS:
                if job.name not in busy_keys:
                    slot = self._slot(job.name, job.name, None, period_start(now, job.every), now)
                    if slot:
                        enqueued.append(slot)
            push_due = stock_push.due_channels(now)
            for channel in Channel.objects.filter(
                enabled=True, sync_paused=False, needs_reauth=False
            ).exclude(pk__in=busy_channels):
                slot = self._channel(channel, now, channel.pk in push_due)
                if slot:
                    enqueued.append(slot)
        outbox.flush()
        return enqueued

    def _open(self, now: datetime.datetime) -> tuple[set[str], set[int], list[Slot]]:
        """Keys and channels with a slot still queued or running, and the slots sent
        again. A slot whose task never started (the queue lost it) or whose site-wide job
        died is sent again as it is, so a daily job still runs today; a channel pass whose
        worker died is closed as lost: the channel's next pass picks up its work."""
        keys, channels, dead, again = set(), set(), [], []
        free = set(
            Channel.objects.filter(
                Q(lease_until__isnull=True) | Q(lease_until__lt=now)
            ).values_list("pk", flat=True)
        )
        for slot in Slot.objects.filter(finished_at__isnull=True):
            if self._dead(slot, now, free):
                if slot.channel_id and slot.started_at:
                    dead.append(slot.pk)
                    continue
                again.append(slot)
            if slot.channel_id:
                channels.add(slot.channel_id)
            else:
                keys.add(slot.key)
        if dead:
            Slot.objects.filter(pk__in=dead).update(
                finished_at=now, outcome="lost: worker stopped or task lost"
            )
            logger.warning("scheduler: %d pass(es) lost (worker stopped?)", len(dead))
        if again:
            Slot.objects.filter(pk__in=[slot.pk for slot in again]).update(
                enqueued_at=now, started_at=None
            )
            for slot in again:
                transaction.on_commit(partial(self.enqueue, slot.pk))
            logger.warning("scheduler: %d slot(s) not run in time, sent again", len(again))
        return keys, channels, again

    @staticmethod
    def _dead(slot: Slot, now: datetime.datetime, free_channels: set[int]) -> bool:
        if slot.started_at is None:
            return slot.enqueued_at is not None and slot.enqueued_at < now - STALE_QUEUED
        if slot.channel_id:
            # A live pass holds its channel's lease and renews it.
            return slot.channel_id in free_channels and slot.started_at < now - CLAIM_GRACE
        return slot.started_at < now - STALE_RUNNING

    def _channel(self, channel: Channel, now: datetime.datetime, push: bool) -> Slot | None:
        due: list[tuple[str, datetime.datetime]] = []
        for job, every in jobs.channel_intervals(channel).items():
            start = period_start(now, every)
            if not Slot.objects.filter(key=channel_key(job, channel.pk), due_at=start).exists():
                due.append((job, start))
        if channel.orders_wanted() and not self._failed_lately(channel, now, jobs.CHANNEL_JOBS):
            due.append(("sync:orders", now))  # a push said an order changed (connectors.push)
        if push and not self._failed_lately(channel, now, jobs.CHANNEL_JOBS[1:]):
            due.append(("sync:push", now))
        if not due:
            return None
        due.sort(key=lambda item: jobs.CHANNEL_JOBS.index(item[0]))
        strongest, start = due.pop()
        for job, covered_start in due:
            self._record_covered(channel, job, covered_start, now, strongest)
        return self._slot(channel_key(strongest, channel.pk), strongest, channel, start, now)

    @staticmethod
    def _failed_lately(channel: Channel, now: datetime.datetime, job_names: list[str]) -> bool:
        """One of these passes ended within PUSH_GAP without doing its work: a pass that
        keeps failing is not retried hot."""
        return (
            Slot.objects.filter(channel=channel, job__in=job_names, finished_at__gt=now - PUSH_GAP)
            .exclude(outcome__in=PASSES_THAT_WORKED)
            .exclude(outcome__startswith="covered")
            .exists()
        )

    def _slot(
        self, key: str, job: str, channel: Channel | None, due_at: datetime.datetime, now
    ) -> Slot | None:
        if Slot.objects.filter(key=key, due_at=due_at).exists():
            return None  # this period's slot exists: done, running or covered
        try:
            with transaction.atomic():
                slot = Slot.objects.create(
                    key=key, job=job, channel=channel, due_at=due_at, enqueued_at=now
                )
        except IntegrityError:
            return None
        transaction.on_commit(partial(self.enqueue, slot.pk))
        return slot

    @staticmethod
    def _record_covered(channel, job, due_at, now, by: str) -> None:
        Slot.objects.get_or_create(
            key=channel_key(job, channel.pk),
            due_at=due_at,
            defaults={
                "job": job,
                "channel": channel,
                "enqueued_at": now,
                "started_at": now,
                "finished_at": now,
                "outcome": f"covered by {by}",
            },
        )
