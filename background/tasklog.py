"""One structured line per task run, from whichever worker runs it:

    task=background.tasks.run_slot job=sync:pass channel=shopee-demo duration_ms=812 outcome=ok

Scheduled jobs log their own line (background.tasks, which knows the job and channel);
every other task (Wagtail's search and reference index, notifications) is logged here
from the task backend's started/finished signals. Values are ids, names and outcomes
only: never arguments that could hold a secret."""

import logging
import time

from django_tasks.signals import task_finished, task_started

logger = logging.getLogger("ocop.tasks")
_started: dict[str, float] = {}  # task result id → monotonic start, in this process
SELF_LOGGING = {"background.tasks.run_slot"}


def line(**fields: object) -> None:
    logger.info(" ".join(f"{key}={_value(value)}" for key, value in fields.items()))


def _value(value: object) -> str:
    text = str(value).replace("\n", " ")
    return f'"{text}"' if " " in text or not text else text


def _on_started(sender, task_result, **kwargs) -> None:
    _started[task_result.id] = time.monotonic()


def _on_finished(sender, task_result, **kwargs) -> None:
    started = _started.pop(task_result.id, None)
    path = task_result.task.module_path
    if path in SELF_LOGGING:
        return
    line(
        task=path,
        duration_ms=round((time.monotonic() - started) * 1000) if started else "?",
        outcome=str(task_result.status).lower(),
    )


def connect() -> None:
    task_started.connect(_on_started, dispatch_uid="ocop-tasklog-started")
    task_finished.connect(_on_finished, dispatch_uid="ocop-tasklog-finished")
