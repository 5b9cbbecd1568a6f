"""Tasks the queue could not take at enqueue time, kept in the database and sent later.

Only the RQ backend needs this: the database backend's queue is the database itself,
so its enqueue succeeds or fails with the request's own transaction."""

import logging

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task_backends
from django_tasks.base import Task, TaskResult, TaskResultStatus

from background.models import PendingTask

logger = logging.getLogger(__name__)


def keep(result: TaskResult, error: Exception) -> None:
    task = result.task
    PendingTask.objects.get_or_create(
        result_id=result.id,
        defaults={
            "task_path": task.module_path,
            "backend": result.backend,
            "queue_name": task.queue_name,
            "priority": task.priority,
            "args": list(result.args),
            "kwargs": dict(result.kwargs),
            "last_error": type(error).__name__,
        },
    )


def flush() -> int:
    """Send what the outbox holds, oldest first, and return how many were sent. Stops at
    the first row the queue refuses (it is still down); a row that cannot be sent at all
    (its task was renamed or removed) is skipped with an error and kept for a person to
    look at. Safe in two schedulers at once: a row is deleted in the transaction that
    sends it, and a task sent twice finds its slot already claimed (background.tasks)."""
    sent = 0
    for pk in PendingTask.objects.values_list("pk", flat=True):
        with transaction.atomic():
            row = PendingTask.objects.select_for_update().filter(pk=pk).first()
            if row is None:
                continue  # another scheduler sent it
            try:
                task, result = _rebuild(row)
            except Exception as error:  # noqa: BLE001 - a task that no longer exists
                _failed(row, error)
                logger.error(
                    "outbox: task %s (%s) cannot be sent: %s", row.pk, row.task_path, error
                )
                continue
            try:
                backend = task_backends[row.backend]
                if hasattr(backend, "send"):
                    backend.send(result)
                else:  # the deployment moved to another backend since
                    task.enqueue(*row.args, **row.kwargs)
            except Exception as error:  # noqa: BLE001 - any failure: keep it, try later
                _failed(row, error)
                logger.warning(
                    "outbox: %d task(s) still waiting, queue not answering (%s)",
                    PendingTask.objects.count(),
                    type(error).__name__,
                )
                return sent
            row.delete()
            sent += 1
    if sent:
        logger.info("outbox: sent %d task(s) kept while the queue was down", sent)
    return sent


def ready_result(task: Task, result_id: str, args: list, kwargs: dict) -> TaskResult:
    """The result of a task that is enqueued but not yet on its queue."""
    return TaskResult(
        task=task,
        id=result_id,
        status=TaskResultStatus.READY,
        enqueued_at=None,
        started_at=None,
        last_attempted_at=None,
        finished_at=None,
        args=args,
        kwargs=kwargs,
        backend=task.backend,
        errors=[],
        worker_ids=[],
    )


def _rebuild(row: PendingTask) -> tuple[Task, TaskResult]:
    task = import_string(row.task_path).using(
        queue_name=row.queue_name, priority=row.priority, backend=row.backend
    )
    return task, ready_result(task, row.result_id, row.args, row.kwargs)


def _failed(row: PendingTask, error: Exception) -> None:
    PendingTask.objects.filter(pk=row.pk).update(
        attempts=row.attempts + 1, last_error=type(error).__name__
    )
