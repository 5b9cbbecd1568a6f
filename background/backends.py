"""The RQ task backend with the two guarantees a web request needs from a queue.

1. A task enqueued inside a transaction reaches Redis only once the transaction commits,
   so a worker never looks for a row that is not there yet (Wagtail enqueues its search
   and reference-index tasks from post_save, inside the page's transaction).
2. A task Redis cannot take (down, unreachable) is kept in the database outbox with a
   warning, and the request goes on; the scheduler sends it later (background.outbox).
"""

import logging

import django_rq
from django.db import transaction
from django_tasks.base import TaskResult
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq import backend as rq_backend
from redis.exceptions import RedisError
from rq.job import Callback, JobStatus

from background import outbox

logger = logging.getLogger(__name__)


class RQBackend(rq_backend.RQBackend):
    def enqueue(self, task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        result = outbox.ready_result(task, get_random_id(), list(args), dict(kwargs))
        # Runs at once outside a transaction, after the commit inside one.
        transaction.on_commit(lambda: self.send_or_keep(result))
        return result

    def send_or_keep(self, result: TaskResult) -> None:
        try:
            self.send(result)
        except (RedisError, OSError) as error:
            logger.warning(
                "task=%s queue=%s not sent (%s): kept in the outbox for the scheduler",
                result.task.module_path,
                result.task.queue_name,
                type(error).__name__,
            )
            outbox.keep(result, error)

    def send(self, result: TaskResult) -> None:
        """Put the task on its RQ queue under the result's id (raises if Redis fails)."""
        task = result.task
        queue = django_rq.get_queue(task.queue_name, job_class=rq_backend.Job)
        job = queue.create_job(
            task.module_path,
            args=result.args,
            kwargs=result.kwargs,
            job_id=result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(rq_backend.failed_callback),
            on_success=Callback(rq_backend.success_callback),
            meta={"backend_name": self.alias},
        )
        if task.run_after is None:
            queue.enqueue_job(job, at_front=task.priority == rq_backend.TASK_MAX_PRIORITY)
        else:
            queue.schedule_job(job, task.run_after)
        task_enqueued.send(type(self), task_result=result)
