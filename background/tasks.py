"""The one task the scheduler enqueues: run a slot's job, at most once per slot; and the
slots made outside the schedule, for a pass asked for now."""

import logging
import time
from functools import partial

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from background import jobs, tasklog
from background.models import Heartbeat, Slot, channel_key
from connectors.models import Channel

logger = logging.getLogger(__name__)


@task()
def run_slot(slot_id: int) -> str:
    """Claim the slot (a second delivery of the same task, or a slot already given up
    as lost, finds it taken and does nothing), run its job, record the outcome."""
    claimed = Slot.objects.filter(
        Q(started_at__isnull=True) & Q(finished_at__isnull=True), pk=slot_id
    ).update(started_at=timezone.now())
    if not claimed:
        return "duplicate"
    slot = Slot.objects.select_related("channel").get(pk=slot_id)
    started, outcome = time.monotonic(), "error"
    try:
        if slot.channel is not None:
            outcome = jobs.run_sync(slot.channel, slot.job)
        else:
            outcome = str(jobs.GLOBAL_BY_NAME[slot.job].run())
        return outcome
    except Exception as error:
        outcome = f"error: {type(error).__name__}"
        raise
    finally:
        finished = timezone.now()
        Slot.objects.filter(pk=slot_id).update(finished_at=finished, outcome=outcome[:200])
        Heartbeat.objects.update_or_create(name="worker", defaults={"at": finished})
        if slot.channel is not None:
            _orders_pushed_meanwhile(slot.channel.pk)
        tasklog.line(
            task="background.tasks.run_slot",
            job=slot.job,
            channel=slot.channel.slug if slot.channel else "-",
            duration_ms=round((time.monotonic() - started) * 1000),
            outcome=outcome,
        )


def _orders_pushed_meanwhile(channel_id: int) -> None:
    """A marketplace push that came while this pass ran (after its order pull) starts
    the next pull now rather than at the scheduler's next tick."""
    try:
        channel = Channel.objects.filter(pk=channel_id).first()
        if channel is not None and channel.orders_wanted():
            orders_now(channel)
    except DatabaseError:  # the scheduler asks again at its next tick
        logger.exception("channel %s: order pull after a push not started", channel_id)


# Passes asked for now, outside the schedule: by a person or by a marketplace's push.


def run_now(channel: Channel, job: str = "sync:pass") -> Slot | None:
    """A pass a person asked for ("Đồng bộ ngay"), even while the schedule is paused;
    None when one of the channel's passes is already queued or running."""
    now = timezone.now()
    with transaction.atomic():
        if Slot.objects.filter(channel=channel, finished_at__isnull=True).exists():
            return None
        slot = Slot.objects.create(
            key=channel_key(job, channel.pk), job=job, channel=channel, due_at=now, enqueued_at=now
        )
        transaction.on_commit(partial(run_slot.enqueue, slot.pk))
    return slot


def orders_now(channel: Channel) -> Slot | None:
    """The marketplace pushed an order change: pull the channel's orders now, unless the
    channel is off or paused, or one of its passes is queued or running (then the
    scheduler pulls once that one is done, see `Channel.orders_wanted`)."""
    if not channel.enabled or channel.sync_paused or channel.needs_reauth:
        return None
    return run_now(channel, "sync:orders")
