import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from background.schedule import Scheduler

logger = logging.getLogger("background.schedule")


class Command(BaseCommand):
    help = (
        "Enqueue scheduled background work when it is due (marketplace passes, hold and "
        "certificate expiry, publish_scheduled). Runs until stopped; --once ticks once, "
        "for cron. Several schedulers may run at once: each slot is enqueued once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one tick, then exit")

    def handle(self, *args, once=False, **options):
        scheduler = Scheduler()
        if once:
            self._report(scheduler.tick())
            return
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        every = settings.SCHEDULER_TICK_SECONDS
        self.stdout.write(f"Scheduler running, a tick every {every} s (Ctrl+C stops).")
        while self.running:
            started = time.monotonic()
            close_old_connections()
            try:
                self._report(scheduler.tick())
            except Exception:  # a locked or restarting database: try again next tick
                logger.exception("scheduler tick failed")
            time.sleep(max(0.0, every - (time.monotonic() - started)))

    def _stop(self, signum, frame) -> None:
        self.running = False

    def _report(self, slots) -> None:
        for slot in slots:
            self.stdout.write(f"enqueued {slot.key} (due {slot.due_at:%H:%M})")
