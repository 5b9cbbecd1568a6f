"""What the scheduler runs. Each job is a plain function returning a short outcome;
channel jobs get the channel. Intervals: global jobs here, channel jobs on the Channel
(editable in the admin)."""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from background.models import Slot
from catalogue import certificate_expiry
from connectors import authorisation
from connectors.engine import run_pass
from connectors.lease import ChannelBusy
from connectors.models import Channel, PushNotice
from connectors.registry import adapter_for
from orders import expiry, lookup_limit, personal_data

MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)
KEEP_FINISHED = datetime.timedelta(days=14)


@dataclass(frozen=True)
class GlobalJob:
    name: str
    every: datetime.timedelta
    run: Callable[[], object]


def worker_alive() -> str:
    """Runs every minute so an idle worker still shows a heartbeat (every job beats)."""
    return "ok"


def expire_holds() -> str:
    return f"released {expiry.expire_holds()}"


def publish_scheduled() -> str:
    """Wagtail's own job: publish and unpublish pages whose go-live/expiry time passed."""
    call_command("publish_scheduled", stdout=io.StringIO())
    return "ok"


def certificates() -> str:
    return certificate_expiry.run()


def authorisations() -> str:
    return authorisation.remind()


def prune() -> str:
    """Forget finished slots, task results and received pushes older than two weeks
    (a marketplace stops re-sending a push within a day: Lazada after 12 × 30 min), and
    order-lookup counters whose window is over; and erase the personal data of orders
    past their retention (orders/personal_data.py)."""
    cutoff = timezone.now() - KEEP_FINISHED
    slots, _ = Slot.objects.filter(finished_at__lt=cutoff).delete()
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    pushes, _ = PushNotice.objects.filter(received_at__lt=cutoff).delete()
    lookups = lookup_limit.prune(timezone.now())
    erased = personal_data.anonymise_due(timezone.now())
    return (
        f"pruned {slots} slots, {results} task results, {pushes} pushes, {lookups} lookups;"
        f" erased personal data of {erased} orders"
    )


GLOBAL_JOBS = [
    GlobalJob("heartbeat", MINUTE, worker_alive),
    GlobalJob("expire_holds", MINUTE, expire_holds),
    GlobalJob("publish_scheduled", MINUTE, publish_scheduled),
    GlobalJob("certificates", DAY, certificates),
    GlobalJob("authorisations", DAY, authorisations),
    GlobalJob("prune", DAY, prune),
]
GLOBAL_BY_NAME = {job.name: job for job in GLOBAL_JOBS}

# Channel jobs, weakest first: each pass kind covers the ones before it (engine.Pass).
CHANNEL_JOBS = ["sync:orders", "sync:push", "sync:pass", "sync:reconcile"]


def channel_intervals(channel: Channel) -> dict[str, datetime.timedelta]:
    """The periodic channel jobs; "sync:push" is not periodic but debounced."""
    return {
        "sync:orders": datetime.timedelta(minutes=channel.orders_interval_minutes),
        "sync:pass": datetime.timedelta(minutes=channel.stock_interval_minutes),
        "sync:reconcile": datetime.timedelta(minutes=channel.full_interval_minutes),
    }


def run_sync(channel: Channel, job: str) -> str:
    if not channel.enabled or channel.needs_reauth:
        return "skipped"  # switched off, or waiting for the seller to authorise again
    try:
        run = run_pass(channel, adapter_for(channel), kind=job.removeprefix("sync:"))
    except ChannelBusy:
        return "busy"
    return run.status
