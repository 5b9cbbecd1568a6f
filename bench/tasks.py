"""Background workers: enqueue-to-start latency and sync passes per minute, on the
embedded database queue (`manage.py db_worker`) and on RQ (`manage.py rqworker default`).

    .venv/bin/python bench/tasks.py [--tasks 50] [--passes 50] [--channels 4]
    .venv/bin/python bench/tasks.py --database-url postgresql://postgres@127.0.0.1:5432/ocop_bench_tasks

Uses its own database (default: a fresh var/bench-tasks.sqlite3; a PostgreSQL database is
created if missing, and its channels, slots and queued tasks are deleted first: give it a
database of its own), the demo catalogue, Redis database 13 (`--redis-url`; its "default"
queue is emptied) and real worker and sandbox processes, whose output goes to
var/bench-tasks.log. Prints:

- latency from `run_slot.enqueue()` to the slot's `started_at`, one cheap task at a time
  (the "heartbeat" job) with an idle worker: db_worker polling every 0.1 s and every 1 s
  (its default `--interval`), RQ's default worker (forks a work-horse per job) and its
  SimpleWorker;
- passes per minute against the marketplace sandboxes: one sandbox process per channel
  (Lazada refuses a second item with the same seller SKU in a shop, so channels cannot
  share one), one first pass per channel (lists everything), then `--passes` no-change
  passes per channel queued at once, run by 1 db_worker, 1 RQ SimpleWorker, 1 rqworker
  and 2 rqworkers. A channel runs one pass at a time (its lease): a pass that finds the
  channel busy returns "busy" and is counted apart, not as a pass.
"""

import argparse
import contextlib
import datetime
import io
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DEFAULT_SQLITE = VAR / "bench-tasks.sqlite3"
LOG = VAR / "bench-tasks.log"
SETTINGS = "ocop_site.settings.dev"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=50, help="tasks per latency run")
    parser.add_argument("--passes", type=int, default=50, help="no-change passes per channel")
    parser.add_argument("--channels", type=int, default=4, help="channels (marketplaces in turn)")
    parser.add_argument("--database-url", help="default: a fresh var/bench-tasks.sqlite3")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    return parser.parse_args()


ARGS = parse_args()
if ARGS.database_url:
    DATABASE_URL = ARGS.database_url
else:
    VAR.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):  # fresh each run
        Path(f"{DEFAULT_SQLITE}{suffix}").unlink(missing_ok=True)
    DATABASE_URL = f"sqlite:///{DEFAULT_SQLITE}"

sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["TASKS_BACKEND"] = "database"  # this process enqueues to RQ under override_settings
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("LOG_LEVEL", "WARNING")


def create_postgres_database(url: str) -> None:
    """CREATE DATABASE when the PostgreSQL database does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    try:
        psycopg.connect(url, connect_timeout=5).close()
        return
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    print(f"created PostgreSQL database {name}")


if DATABASE_URL.startswith(("postgres://", "postgresql://")):
    create_postgres_database(DATABASE_URL)

import django  # noqa: E402

django.setup()

import django_rq  # noqa: E402
import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from rq import Worker  # noqa: E402

from background.models import Slot  # noqa: E402
from background.tasks import run_slot  # noqa: E402
from catalogue.demo import load_demo  # noqa: E402
from catalogue.models import ProductPage  # noqa: E402
from connectors.engine import run_pass  # noqa: E402
from connectors.models import CategoryMapping, Channel, Listing  # noqa: E402
from connectors.registry import adapter_for, descriptor, descriptors  # noqa: E402
from ocop_site.settings.env import tasks_config  # noqa: E402

# RQ runs a django-tasks task only with this job class ("'Task' object is not callable"
# otherwise), unless settings.RQ["JOB_CLASS"] names it.
RQ_JOB_CLASS = "django_tasks_rq.Job"
WAIT = 60.0  # seconds a single task may take before the bench gives up
POLL = 0.01


class Processes:
    """Every subprocess the bench starts; all stopped on exit (terminate, then kill)."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen] = []
        self.log = open(LOG, "a")  # noqa: SIM115 - closed in stop_all

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        self.log.write(f"\n===== {datetime.datetime.now():%H:%M:%S} {name}: {' '.join(args)}\n")
        self.log.flush()
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "INFO", **env},
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl+C reaches the bench only; it stops them in order
        )
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):  # with an RQ work-horse, if any
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if process in self.running:
            self.running.remove(process)

    def stop_all(self) -> None:
        for process in list(reversed(self.running)):
            self.stop(process)
        self.log.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(ready, what: str, timeout: float = WAIT, processes: list | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = ready()
        if value:
            return value
        for process in processes or []:
            if process.poll() is not None:
                raise SystemExit(f"{what}: process exited with {process.returncode}; see {LOG}")
        time.sleep(POLL)
    raise SystemExit(f"timed out waiting for {what}; see {LOG}")


def worker_env(backend: str) -> dict[str, str]:
    env = {"DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": DATABASE_URL}
    env["TASKS_BACKEND"] = backend
    if backend == "rq":
        env["REDIS_URL"] = ARGS.redis_url
    return env


def rq_settings():
    """This process enqueues to RQ, on the bench's Redis database."""
    return override_settings(
        TASKS=tasks_config("rq"),
        RQ_QUEUES={"default": {"URL": ARGS.redis_url, "DEFAULT_TIMEOUT": 3600}},
    )


def start_db_worker(processes: Processes, interval: str) -> subprocess.Popen:
    worker = processes.start(
        f"db_worker --interval {interval}",
        ["db_worker", "--interval", interval, "--no-startup-delay", "--no-reload"],
        worker_env("database"),
    )
    # Ready once it has run what loading the catalogue queued (Wagtail's index tasks).
    probe, _ = enqueue_heartbeat(f"ready-{worker.pid}")
    wait_for(lambda: finished(probe), "db_worker start", processes=[worker])
    wait_for(
        lambda: not DBTaskResult.objects.ready().exists(), "db queue drained", processes=[worker]
    )
    return worker


def rq_workers() -> int:
    return len(Worker.all(connection=django_rq.get_connection("default")))


def start_rq_worker(processes: Processes, worker_class: str | None = None) -> subprocess.Popen:
    before = rq_workers()
    args = ["rqworker", "default", "--job-class", RQ_JOB_CLASS]
    args += ["--worker-class", worker_class] if worker_class else []
    worker = processes.start(" ".join(args), args, worker_env("rq"))
    wait_for(lambda: rq_workers() > before, "rqworker start", processes=[worker])
    return worker


# Latency


def enqueue_heartbeat(tag: str) -> tuple[Slot, datetime.datetime]:
    """A cheap slot, and the time just before it was enqueued."""
    now = timezone.now()
    slot = Slot.objects.create(
        key=f"heartbeat-bench-{tag}", job="heartbeat", due_at=now, enqueued_at=now
    )
    enqueued = timezone.now()
    run_slot.enqueue(slot.pk)
    return slot, enqueued


def finished(slot: Slot) -> bool:
    return Slot.objects.filter(pk=slot.pk, finished_at__isnull=False).exists()


def start_time(slot: Slot) -> datetime.datetime:
    """When a worker started `slot` (it has run)."""
    assert slot.started_at is not None, slot.key
    return slot.started_at


def finish_time(slot: Slot) -> datetime.datetime:
    """When `slot` finished (it has)."""
    assert slot.finished_at is not None, slot.key
    return slot.finished_at


def latency(label: str, tag: str, count: int, gap: float, workers: list) -> None:
    """One task at a time, each after a random pause (so enqueues fall anywhere in a
    polling worker's sleep), waiting for each to finish before the next."""
    rng = random.Random(1)
    samples = []
    for i in range(count):
        time.sleep(rng.uniform(0, gap))
        slot, enqueued = enqueue_heartbeat(f"{tag}-{i}")
        wait_for(lambda s=slot: finished(s), f"{label} task {i}", processes=workers)
        slot.refresh_from_db()
        samples.append((start_time(slot) - enqueued).total_seconds() * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(len(samples) * 0.95) - 1)]
    print(
        f"  {label:<34} n={count:<3} p50 {statistics.median(samples):7.1f} ms   "
        f"p95 {p95:7.1f} ms   max {samples[-1]:7.1f} ms",
        flush=True,
    )


# Sync passes


def start_sandboxes(processes: Processes, kinds: list[str], state_dir: Path) -> list[str]:
    urls, started = [], []
    for n, kind in enumerate(kinds):
        port = free_port()
        state = state_dir / f"{kind}-{n}.json"
        started.append(
            processes.start(
                f"sandbox {kind} {port}",
                ["marketplace_sandbox", kind, "--port", str(port), "--state", str(state)],
                {"DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": DATABASE_URL},
            )
        )
        urls.append(f"http://127.0.0.1:{port}")

    def up(url: str) -> bool:
        try:
            return requests.get(url + "/", timeout=1).ok
        except requests.RequestException:
            return False

    for url, process in zip(urls, started, strict=True):
        wait_for(lambda u=url: up(u), f"sandbox {url}", processes=[process])
    return urls


def make_channels(kinds: list[str], urls: list[str]) -> list[Channel]:
    """demo_channels on the first sandbox of each marketplace; copies of those channels
    (keys, mappings, new tokens) on the others."""
    markets = descriptors()
    done = len(markets)  # kinds starts with each marketplace once
    sandboxes = dict(zip(kinds[:done], urls[:done], strict=True))
    call_command("demo_channels", **sandboxes, stdout=io.StringIO())
    first = {c.kind: c for c in Channel.objects.filter(slug__in=[m.demo.slug for m in markets])}
    channels = [first[m.kind] for m in markets]
    for n, (kind, url) in enumerate(zip(kinds[done:], urls[done:], strict=True), start=done):
        template = first[kind]
        tokens = requests.post(f"{url}/_sandbox/tokens", json={}, timeout=5)
        tokens.raise_for_status()
        copy = Channel(
            kind=kind,
            name=f"{template.name} {n}",
            slug=f"{kind}-sandbox-{n}",
            base_url=descriptor(kind).sandbox_api(url),
            calls_per_second=template.calls_per_second,
        )
        copy.set_secrets(descriptor(kind).sandbox_secrets(tokens.json()))
        copy.save()
        CategoryMapping.objects.bulk_create(
            CategoryMapping(
                channel=copy,
                ocop_category_id=m.ocop_category_id,
                category_id=m.category_id,
                attributes=m.attributes,
            )
            for m in template.mappings.all()
        )
        channels.append(copy)
    return channels


def throughput(label: str, tag: str, channels: list[Channel], passes: int, workers: list) -> float:
    """Queue `passes` no-change passes per channel at once (round-robin over channels);
    passes per minute from the first enqueue to the last finish."""
    now = timezone.now()
    slots = [
        Slot.objects.create(
            key=f"sync:pass@{channel.pk}-bench-{tag}-{i}",
            job="sync:pass",
            channel=channel,
            due_at=now,
            enqueued_at=now,
        )
        for i in range(passes)
        for channel in channels
    ]
    started = timezone.now()
    for slot in slots:
        run_slot.enqueue(slot.pk)
    ids = [slot.pk for slot in slots]
    wait_for(
        lambda: not Slot.objects.filter(pk__in=ids, finished_at__isnull=True).exists(),
        f"{label} passes",
        timeout=WAIT * len(ids),
        processes=workers,
    )
    done = Slot.objects.filter(pk__in=ids)
    outcomes = Counter(done.values_list("outcome", flat=True))
    elapsed = (max(finish_time(s) for s in done) - started).total_seconds()
    ran = [s for s in done if s.outcome != "busy"]
    rate = len(ran) / elapsed * 60
    each = statistics.median((finish_time(s) - start_time(s)).total_seconds() * 1000 for s in ran)
    print(
        f"  {label:<24} {len(ran)} passes in {elapsed:5.1f} s = {rate:5.0f} passes/min "
        f"(median pass {each:.0f} ms)   busy {outcomes.get('busy', 0)}   {dict(outcomes)}",
        flush=True,
    )
    return rate


def prepare_database() -> None:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not ProductPage.objects.exists():
        load_demo()
    # A reused database (PostgreSQL): forget the previous run's channels and queue.
    Channel.objects.all().delete()
    Slot.objects.all().delete()
    DBTaskResult.objects.all().delete()
    engine = "PostgreSQL" if "postgres" in DATABASE_URL else "SQLite"
    print(
        f"database: {engine}, {ProductPage.objects.count()} demo products "
        f"(ready in {time.perf_counter() - started:.0f} s); worker output: {LOG}",
        flush=True,
    )


def interrupted(signum, frame) -> None:
    """Ctrl+C or SIGTERM: workers and sandboxes are stopped (finally) before exiting."""
    raise KeyboardInterrupt


def main() -> None:
    LOG.unlink(missing_ok=True)
    prepare_database()
    processes = Processes()
    state_dir = Path(tempfile.mkdtemp(prefix="bench-tasks-"))
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)  # even when started with SIGINT ignored (`&`)
    bench_started = time.monotonic()
    try:
        with rq_settings():
            django_rq.get_queue("default").empty()

        print("\nEnqueue → start latency (heartbeat job, idle worker, one task at a time)")
        fast = start_db_worker(processes, "0.1")
        latency("database, db_worker --interval 0.1", "db01", ARGS.tasks, 0.1, [fast])
        processes.stop(fast)
        slow = start_db_worker(processes, "1")
        latency("database, db_worker --interval 1", "db1", min(ARGS.tasks, 20), 1.0, [slow])
        processes.stop(slow)
        with rq_settings():
            forking = start_rq_worker(processes)
            latency("rq, rqworker (forks per job)", "rqfork", ARGS.tasks, 0.05, [forking])
            processes.stop(forking)
            simple = start_rq_worker(processes, "rq.worker.SimpleWorker")
            latency("rq, rqworker SimpleWorker", "rqsimple", ARGS.tasks, 0.05, [simple])
            processes.stop(simple)

        every = [market.kind for market in descriptors()]
        count = max(len(every), ARGS.channels)
        kinds = [every[n % len(every)] for n in range(count)]
        print(f"\nSync passes: {count} channels, one sandbox process each")
        urls = start_sandboxes(processes, kinds, state_dir)
        channels = make_channels(kinds, urls)
        for channel in channels:
            began = time.perf_counter()
            run = run_pass(channel, adapter_for(channel))
            live = Listing.objects.filter(channel=channel, state="live").count()
            print(
                f"  first pass {channel.slug:<18} {time.perf_counter() - began:5.1f} s  "
                f"{run.status}, {live} live SKUs, {run.counts.get('calls')} calls",
                flush=True,
            )
        began = time.perf_counter()
        run = run_pass(channels[0], adapter_for(channels[0]))
        print(
            f"  no-change pass in-process ({channels[0].slug}): "
            f"{(time.perf_counter() - began) * 1000:.0f} ms, {run.counts.get('calls')} calls"
        )

        print(f"\nThroughput: {ARGS.passes} no-change passes per channel queued at once")
        worker = start_db_worker(processes, "0.1")
        db_rate = throughput("database, 1 db_worker", "db", channels, ARGS.passes, [worker])
        processes.stop(worker)
        with rq_settings():
            simple = start_rq_worker(processes, "rq.worker.SimpleWorker")
            throughput("rq, 1 SimpleWorker", "rqs", channels, ARGS.passes, [simple])
            processes.stop(simple)
            one = start_rq_worker(processes)
            rq1 = throughput("rq, 1 rqworker", "rq1", channels, ARGS.passes, [one])
            two = start_rq_worker(processes)
            rq2 = throughput("rq, 2 rqworkers", "rq2", channels, ARGS.passes, [one, two])
        print(
            f"  scaling 1 → 2 rqworkers: ×{rq2 / rq1:.2f}   "
            f"1 rqworker vs 1 db_worker: ×{rq1 / db_rate:.2f}"
        )
        print(f"\nbench took {time.monotonic() - bench_started:.0f} s")
    except KeyboardInterrupt:
        print("\ninterrupted: stopping workers and sandboxes")
    finally:
        processes.stop_all()
        shutil.rmtree(state_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
