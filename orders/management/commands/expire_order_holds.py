from django.core.management.base import BaseCommand, CommandError
from django_tasks.base import TaskResultStatus

from orders.tasks import expire_holds


class Command(BaseCommand):
    help = (
        "Give back the stock of card checkouts whose hold ran out: enqueues the "
        "orders.tasks.expire_holds task (run every few minutes, e.g. from cron)."
    )

    def handle(self, *args, **options):
        result = expire_holds.enqueue()
        if result.status == TaskResultStatus.SUCCESSFUL:  # the immediate backend
            self.stdout.write(f"Released {result.return_value} expired hold(s).")
        elif result.status == TaskResultStatus.FAILED:
            raise CommandError("expire_holds failed; see the log.")
        else:
            self.stdout.write(f"Enqueued expire_holds ({result.id}).")
