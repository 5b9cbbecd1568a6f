import time
from functools import partial

from django.core.management.base import BaseCommand, CommandError

from connectors.engine import run_pass
from connectors.lease import ChannelBusy
from connectors.models import Channel
from connectors.registry import adapter_for


class Command(BaseCommand):
    help = "Run one sync pass now for every enabled channel (or one), printing progress."

    def add_arguments(self, parser):
        parser.add_argument("--channel", metavar="SLUG")
        parser.add_argument(
            "--dry-run", action="store_true", help="print the plan and call nothing"
        )
        parser.add_argument(
            "--reconcile",
            action="store_true",
            help="first read the marketplace's listings and re-push what differs",
        )

    def handle(self, *args, channel=None, dry_run=False, reconcile=False, **options):
        channels = Channel.objects.filter(enabled=True)
        if channel:
            channels = Channel.objects.filter(slug=channel)
            if not channels.exists():
                raise CommandError(f"No channel {channel!r}.")
        failed = False
        for item in channels:
            started = time.monotonic()
            try:
                run = run_pass(
                    item,
                    adapter_for(item),
                    dry_run=dry_run,
                    kind="reconcile" if reconcile else "pass",
                    progress=partial(self._progress, item.slug),
                )
            except ChannelBusy as error:
                self.stdout.write(str(error))
                continue
            counts = run.counts_text() or "nothing to do"
            self.stdout.write(
                f"{item.slug}: {run.get_status_display()} in {time.monotonic() - started:.1f} s — "
                f"{counts}"
            )
            for line in run.errors[:20]:
                self.stdout.write(f"  {line}")
            if dry_run:  # what the channel will not carry, and why
                for line in run.skipped:
                    self.stdout.write(f"  không đăng: {line}")
            failed |= run.status == run.Status.FAILED
        if failed:
            raise CommandError("At least one channel failed; see above.")

    def _progress(self, slug: str, stage: str) -> None:
        self.stdout.write(f"{slug}: {stage}…")
