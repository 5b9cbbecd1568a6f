"""A channel's lease: one pass of a channel at a time, across processes and machines.

A pass takes the lease with one conditional UPDATE (SQLite and PostgreSQL alike) and a
LeaseKeeper thread renews it while the pass runs; a lease left by a killed process runs
out after LEASE, and the scheduler takes a lapsed lease as a dead pass.
"""

import datetime
import logging
import threading
import uuid

from django.db import DatabaseError, connection
from django.db.models import Q
from django.utils import timezone

from connectors.models import Channel

logger = logging.getLogger(__name__)

LEASE = datetime.timedelta(minutes=5)  # a killed pass blocks its channel this long at most
RENEW_EVERY = 60  # seconds: a running pass renews its lease this often (LeaseKeeper)


class ChannelBusy(Exception):
    """Another pass of this channel is running (here or on another machine)."""


class LeaseLost(Exception):
    """This pass's lease ran out and another pass took the channel: stop at once."""


def acquire(channel: Channel, now: datetime.datetime | None = None) -> str:
    """Take the channel's lease with one conditional UPDATE (works across processes and
    machines on SQLite and PostgreSQL); a lease left by a killed pass runs out."""
    now = now or timezone.now()
    owner = uuid.uuid4().hex
    taken = Channel.objects.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now), pk=channel.pk
    ).update(lease_owner=owner, lease_until=now + LEASE)
    if not taken:
        raise ChannelBusy(f"Kênh {channel.slug} đang đồng bộ ở nơi khác.")
    return owner


def renew(channel: Channel, owner: str) -> None:
    """Extend the lease of a long pass; raises LeaseLost if another pass has it now."""
    kept = Channel.objects.filter(pk=channel.pk, lease_owner=owner).update(
        lease_until=timezone.now() + LEASE
    )
    if not kept:
        raise LeaseLost(f"Kênh {channel.slug}: lượt đồng bộ khác đã nhận kênh.")


def release(channel: Channel, owner: str) -> None:
    Channel.objects.filter(pk=channel.pk, lease_owner=owner).update(
        lease_owner="", lease_until=None
    )


class LeaseKeeper(threading.Thread):
    """Renews a pass's lease from a thread of its own, so the lease holds through long
    calls (reading back a whole shop), Retry-After waits and long plans, and lapses only
    when the process dies; the scheduler takes a lapsed lease as a dead pass."""

    def __init__(self, channel: Channel, owner: str):
        super().__init__(daemon=True, name=f"lease-{channel.slug}")
        self.channel, self.owner = channel, owner
        self.stopped = threading.Event()
        self.lost = False

    def run(self) -> None:
        try:
            while not self.stopped.wait(RENEW_EVERY):
                try:
                    renew(self.channel, self.owner)
                except LeaseLost:
                    self.lost = True
                    return
                except DatabaseError as error:  # a locked or restarting database: retry
                    logger.warning("lease %s not renewed (%s)", self.channel.slug, error)
        finally:
            connection.close()  # this thread's own connection

    def check(self) -> None:
        if self.lost:
            raise LeaseLost(f"Kênh {self.channel.slug}: lượt đồng bộ khác đã nhận kênh.")
