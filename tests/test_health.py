"""/healthz: answers without login, never cached; "down" (503) when the database or the
task queue does not answer, or the scheduler or a worker stopped beating."""

import datetime
import time

import pytest
from django.test import override_settings
from django.utils import timezone

from background.models import Heartbeat, PendingTask
from ocop_site.settings.env import tasks_config as tasks
from tests.ports import free_port

pytestmark = pytest.mark.django_db


def beat(name: str, seconds_ago: float) -> None:
    at = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    Heartbeat.objects.update_or_create(name=name, defaults={"at": at})


@override_settings(TASKS=tasks("database"))
def test_a_fresh_database_is_down_with_both_heartbeats_missing(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "down"
    assert body["database"] == "ok" and body["queue"] == "ok"
    assert body["scheduler_heartbeat_age"] is None and body["worker_heartbeat_age"] is None
    assert body["problems"] == ["scheduler heartbeat missing", "worker heartbeat missing"]


@override_settings(TASKS=tasks("database"), SCHEDULER_TICK_SECONDS=10)
def test_fresh_heartbeats_are_ok(client):
    beat("scheduler", 4)
    beat("worker", 12)
    PendingTask.objects.create(result_id="r1", task_path="x.y", backend="default", queue_name="q")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    scheduler_age = body.pop("scheduler_heartbeat_age")
    worker_age = body.pop("worker_heartbeat_age")
    assert body == {
        "status": "ok",
        "database": "ok",
        "task_backend": "database",
        "queue": "ok",
        "outbox": 1,
        "problems": [],
    }
    assert 4 <= scheduler_age < 6 and 12 <= worker_age < 14
    assert isinstance(scheduler_age, float) and round(scheduler_age, 1) == scheduler_age
    assert "no-cache" in response["Cache-Control"]


@override_settings(TASKS=tasks("database"), SCHEDULER_TICK_SECONDS=10)
def test_a_stale_scheduler_heartbeat_is_down(client):
    beat("scheduler", 95)
    beat("worker", 5)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    age = body["scheduler_heartbeat_age"]  # 95 s, or a second more on a busy machine
    assert body["problems"] == [f"scheduler heartbeat {age:.0f} s old (limit 30 s)"]
    assert 95 <= age < 100


@pytest.mark.parametrize("backend, status", [("database", 503), ("immediate", 200)])
def test_a_stale_worker_heartbeat_is_down_unless_tasks_run_inline(client, backend, status):
    beat("scheduler", 1)
    beat("worker", 200)
    with override_settings(TASKS=tasks(backend)):
        response = client.get("/healthz")
    assert response.status_code == status
    body = response.json()
    assert body["task_backend"] == backend and body["worker_heartbeat_age"] >= 200
    if status == 503:  # the age read at the request: 200 s, or a second more on a busy machine
        [problem] = body["problems"]
        age = body["worker_heartbeat_age"]
        assert problem == f"worker heartbeat {age:.0f} s old (limit 180 s)" and age < 205


def test_redis_not_answering_is_down_quickly(client):
    beat("scheduler", 1)
    beat("worker", 1)
    queues = {"default": {"URL": f"redis://127.0.0.1:{free_port()}/0"}}
    with override_settings(TASKS=tasks("rq"), RQ_QUEUES=queues):
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["task_backend"] == "rq" and body["queue"] == "error"
    assert body["database"] == "ok"
    assert body["problems"] == ["task queue (redis) not answering"]
    assert elapsed < 3


def test_no_login_needed_and_only_reads(client):
    beat("scheduler", 1)
    assert client.get("/healthz").status_code == 200  # immediate backend: no worker needed
    assert client.post("/healthz").status_code == 405
