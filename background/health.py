"""Is the site able to do its background work? `/healthz` for a load balancer or an
uptime monitor, and the top of the admin screen "Đồng bộ" (background.admin_views).

"down" (HTTP 503) when the database or the task queue does not answer, when the
scheduler missed three ticks, or when no worker finished a task for three minutes (a
worker runs the "heartbeat" job every minute, so an idle worker still beats). With the
immediate backend tasks run in the web process: there is no worker to wait for."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from background import jobs
from background.models import Heartbeat, PendingTask
from ocop_site.settings.env import TASK_BACKENDS

logger = logging.getLogger(__name__)

BACKENDS = {path: name for name, path in TASK_BACKENDS.items()}  # dotted path → name
MISSED_BEATS = 3  # heartbeats missed before the site counts as down
QUEUE_TIMEOUT = 1.0  # seconds Redis has to answer a ping


def task_backend() -> str:
    """ "database", "rq" or "immediate" (another backend: its dotted path)."""
    path = settings.TASKS["default"]["BACKEND"]
    return BACKENDS.get(path, path)


@dataclass(frozen=True)
class Beat:
    """A heartbeat's age in seconds (None: never beat) against its limit."""

    name: str
    age: float | None
    limit: float
    required: bool = True

    @property
    def ok(self) -> bool:
        return not self.required or (self.age is not None and self.age <= self.limit)

    @property
    def problem(self) -> str | None:
        if self.ok:
            return None
        if self.age is None:
            return f"{self.name} heartbeat missing"
        return f"{self.name} heartbeat {self.age:.0f} s old (limit {self.limit:.0f} s)"


def heartbeats(now: datetime.datetime | None = None, backend: str | None = None) -> list[Beat]:
    """The scheduler's and the worker's heartbeats (one query)."""
    now = now or timezone.now()
    backend = backend or task_backend()
    at = dict(Heartbeat.objects.filter(name__in=["scheduler", "worker"]).values_list("name", "at"))

    def age(name: str) -> float | None:
        if name not in at:
            return None
        return max(0.0, round((now - at[name]).total_seconds(), 1))

    return [
        Beat("scheduler", age("scheduler"), MISSED_BEATS * settings.SCHEDULER_TICK_SECONDS),
        Beat(
            "worker",
            age("worker"),
            MISSED_BEATS * jobs.MINUTE.total_seconds(),
            required=backend != "immediate",
        ),
    ]


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "error"
        logger.warning("healthz: database not answering (%s)", type(error).__name__)
        return "error"
    return "ok"


def ping_redis() -> str:
    """Ping the queue's Redis with a client of its own: one try, answered within a second."""
    try:
        client = Redis.from_url(
            settings.RQ_QUEUES["default"]["URL"],
            socket_connect_timeout=QUEUE_TIMEOUT,
            socket_timeout=QUEUE_TIMEOUT,
            retry=Retry(NoBackoff(), 0),
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:  # noqa: BLE001 - redis errors, bad URL, no RQ_QUEUES
        logger.warning("healthz: task queue (Redis) not answering (%s)", type(error).__name__)
        return "error"
    return "ok"


def check_queue(backend: str, database: str) -> str:
    if backend == "rq":
        return ping_redis()
    if backend == "database":
        return database  # the queue is a table
    return "ok"


def report(now: datetime.datetime | None = None) -> dict:
    """What /healthz answers; "problems" lists what makes the status "down"."""
    backend = task_backend()
    database = check_database()
    queue = check_queue(backend, database)
    problems = []
    if database != "ok":
        problems.append("database not answering")
    if queue != "ok" and backend != "database":
        problems.append("task queue (redis) not answering")
    beats, outbox = [], None
    if database == "ok":
        try:
            beats = heartbeats(now, backend)
            outbox = PendingTask.objects.count()
        except Exception as error:  # noqa: BLE001 - tables missing (not migrated), ...
            logger.warning("healthz: heartbeats unreadable (%s)", type(error).__name__)
            problems.append("heartbeats unreadable")
    problems += [beat.problem for beat in beats if beat.problem]
    ages = {beat.name: beat.age for beat in beats}
    return {
        "status": "down" if problems else "ok",
        "database": database,
        "task_backend": backend,
        "queue": queue,
        "worker_heartbeat_age": ages.get("worker"),
        "scheduler_heartbeat_age": ages.get("scheduler"),
        "outbox": outbox,
        "problems": problems,
    }


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    body = report()
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
