"""The one task the scheduler enqueues: run a slot's job, at most once per slot."""

import time

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from background import jobs, tasklog
from background.models import Heartbeat, Slot


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
        tasklog.line(
            task="background.tasks.run_slot",
            job=slot.job,
            channel=slot.channel.slug if slot.channel else "-",
            duration_ms=round((time.monotonic() - started) * 1000),
            outcome=outcome,
        )
