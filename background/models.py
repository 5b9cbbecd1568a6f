"""What the scheduler decided, what workers did, and what could not be sent yet.

A Slot is one due run of one job (a channel's stock pass at 10:05, the certificate job
of 23 November): unique per job and due time, so two schedulers cannot both enqueue
it, and claimed by the worker that starts it, so a task delivered twice runs once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def channel_key(job: str, channel_id: int) -> str:
    """A channel job's slot key, e.g. "sync:orders@3"."""
    return f"{job}@{channel_id}"


class Slot(models.Model):
    key = models.CharField(max_length=80)  # job name, "@channel id" for channel jobs
    job = models.CharField(max_length=40)
    channel = models.ForeignKey(
        "connectors.Channel", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    due_at = models.DateTimeField()
    enqueued_at = models.DateTimeField(null=True, blank=True)  # the scheduler's clock
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("lượt chạy theo lịch")
        verbose_name_plural = _("lượt chạy theo lịch")
        constraints = [models.UniqueConstraint(fields=["key", "due_at"], name="slot_unique")]
        indexes = [
            models.Index(fields=["key", "due_at"], name="slot_key_due"),
            models.Index(fields=["finished_at"], name="slot_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.due_at:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """The last time the scheduler ticked, or a worker finished a task."""

    name = models.CharField(max_length=32, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.at:%H:%M:%S}"


class PendingTask(models.Model):
    """A task the queue (Redis) could not take when it was enqueued: the outbox. The
    scheduler sends it when the queue answers again (background.outbox)."""

    result_id = models.CharField(max_length=64, unique=True)
    task_path = models.CharField(max_length=200)
    backend = models.CharField(max_length=32)
    queue_name = models.CharField(max_length=64)
    priority = models.SmallIntegerField(default=0)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.task_path} ({self.result_id})"
