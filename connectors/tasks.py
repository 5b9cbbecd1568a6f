"""Background work of the connectors (Django Tasks API). Tasks carry ids, not objects,
and are safe to run twice: a second pass finds nothing left to do, and a pass that
finds the channel busy returns at once."""

from django_tasks import task

from connectors.engine import ChannelBusy, run_pass
from connectors.models import Channel
from connectors.registry import adapter_for


@task()
def sync_channel(channel_id: int) -> str:
    channel = Channel.objects.get(pk=channel_id)
    if not channel.enabled or channel.needs_reauth:
        return "skipped"  # paused, or waiting for the seller to authorise again
    try:
        return run_pass(channel, adapter_for(channel)).status
    except ChannelBusy:
        return "busy"
