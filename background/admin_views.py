"""Admin screen "Đồng bộ" (province staff): is the scheduler ticking and a worker
working, and per channel when its passes run next, how the last one went, what is
queued, what failed in the last day and what waits to be pushed; a switch pauses a
channel's scheduled passes. Below, the site-wide jobs.

A constant number of queries whatever the number of channels: one aggregated query per
table (channels with their failed runs and last run, open and failed slots, pending
pushes)."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from background import health, jobs, tasks
from background.models import PendingTask, Slot
from background.schedule import period_start
from connectors.admin_permissions import may_manage_channels
from connectors.models import Channel, PendingPush, SyncRun

DAY = datetime.timedelta(hours=24)
FAILED_OUTCOMES = Q(outcome__startswith="lost") | Q(outcome__startswith="error")


def _check(request: HttpRequest) -> None:
    if not may_manage_channels(request.user):
        raise PermissionDenied  # Wagtail's admin turns it into its "permission denied"


def next_due(now: datetime.datetime, every: datetime.timedelta) -> datetime.datetime:
    return period_start(now, every) + every


@dataclass
class ChannelRow:
    channel: Channel
    scheduled: bool
    next_orders: datetime.datetime | None
    next_pass: datetime.datetime | None
    next_reconcile: datetime.datetime | None
    last_run: SyncRun | None
    queued: int = 0
    running: int = 0
    failures: int = 0
    pending_pushes: int = 0
    last_counts: str = ""


def channel_rows(now: datetime.datetime) -> list[ChannelRow]:
    since = now - DAY
    # Dry runs push nothing: neither the last pass nor a failure (as in "Kênh").
    failed = Q(runs__status=SyncRun.Status.FAILED, runs__started_at__gte=since) & ~Q(
        runs__kind="dry-run"
    )
    latest = SyncRun.objects.exclude(kind="dry-run")[:1]  # newest first (Meta)
    channels = (
        Channel.objects.annotate(failed_runs=Count("runs", filter=failed))
        .prefetch_related(Prefetch("runs", queryset=latest, to_attr="latest_runs"))
        .order_by("name")
    )
    slots = {
        row["channel_id"]: row
        for row in Slot.objects.filter(channel__isnull=False)
        .filter(Q(finished_at__isnull=True) | (Q(finished_at__gte=since) & FAILED_OUTCOMES))
        .values("channel_id")
        .annotate(
            queued=Count("pk", filter=Q(finished_at__isnull=True, started_at__isnull=True)),
            running=Count("pk", filter=Q(finished_at__isnull=True, started_at__isnull=False)),
            failed=Count("pk", filter=Q(finished_at__isnull=False)),
        )
    }
    pushes = dict(
        PendingPush.objects.values("channel_id")
        .annotate(n=Count("pk"))
        .values_list("channel_id", "n")
    )
    rows = []
    for channel in channels:
        scheduled = channel.enabled and not channel.sync_paused and not channel.needs_reauth
        due = {
            job: next_due(now, every) if scheduled else None
            for job, every in jobs.channel_intervals(channel).items()
        }
        open_slots: Mapping[str, Any] = slots.get(channel.pk, {})
        last_run = channel.latest_runs[0] if channel.latest_runs else None
        rows.append(
            ChannelRow(
                channel=channel,
                scheduled=scheduled,
                next_orders=due["sync:orders"],
                next_pass=due["sync:pass"],
                next_reconcile=due["sync:reconcile"],
                last_run=last_run,
                last_counts=last_run.counts_text() if last_run else "",
                queued=open_slots.get("queued", 0),
                running=open_slots.get("running", 0),
                failures=channel.failed_runs + open_slots.get("failed", 0),
                pending_pushes=pushes.get(channel.pk, 0),
            )
        )
    return rows


def global_rows(now: datetime.datetime) -> list[dict]:
    """One indexed query per job (a handful, whatever the number of channels)."""
    rows = []
    for job in jobs.GLOBAL_JOBS:
        last = (
            Slot.objects.filter(key=job.name, finished_at__isnull=False)
            .order_by("-due_at")
            .only("outcome", "finished_at")
            .first()
        )
        rows.append(
            {
                "name": job.name,
                "days": job.every // DAY if not job.every % DAY else None,
                "minutes": int(job.every.total_seconds() // 60),
                "last": last,
                "next_due": next_due(now, job.every),
            }
        )
    return rows


def sync_view(request: HttpRequest) -> HttpResponse:
    _check(request)
    now = timezone.now()
    return TemplateResponse(
        request,
        "background/sync.html",
        {
            "page_title": gettext("Đồng bộ"),
            "header_icon": "rotate",
            "beats": health.heartbeats(now),
            "task_backend": health.task_backend(),
            "outbox": PendingTask.objects.count(),
            "channels": channel_rows(now),
            "global_jobs": global_rows(now),
        },
    )


@require_POST
def pause_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause or resume a channel's scheduled passes; only `sync_paused` changes. The form
    says which ("paused" 1 or 0), so a second click on a stale page does not undo it."""
    _check(request)
    channel = get_object_or_404(Channel.objects.only("pk", "name", "sync_paused"), pk=pk)
    wanted = request.POST.get("paused")
    paused = wanted == "1" if wanted in ("0", "1") else not channel.sync_paused
    Channel.objects.filter(pk=channel.pk).update(sync_paused=paused)
    if paused:
        message = gettext("Đã tạm dừng đồng bộ theo lịch của kênh “%(name)s”.")
    else:
        message = gettext("Kênh “%(name)s” đồng bộ theo lịch trở lại.")
    messages.success(request, message % {"name": channel.name})
    return redirect("background_sync")


@require_POST
def run_now_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Đồng bộ ngay": a full pass of one channel now, through a slot like any other, so
    it never runs beside a pass of the same channel that is queued or running."""
    _check(request)
    channel = get_object_or_404(Channel, pk=pk)
    if channel.enabled and tasks.run_now(channel):
        messages.success(
            request,
            gettext("Đã yêu cầu đồng bộ kênh “%(name)s”: kết quả ở mục “Lượt đồng bộ”.")
            % {"name": channel.name},
        )
    elif channel.enabled:
        messages.info(
            request,
            gettext("Kênh “%(name)s” đang có lượt đồng bộ chờ hoặc đang chạy.")
            % {"name": channel.name},
        )
    else:
        messages.warning(
            request,
            gettext("Kênh “%(name)s” đang tắt: hãy bật kênh trước khi đồng bộ.")
            % {"name": channel.name},
        )
    return redirect("marketplace_channels:index")
