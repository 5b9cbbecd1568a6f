from django.core.management.base import BaseCommand

from orders import expiry


class Command(BaseCommand):
    help = "Give back the stock of card checkouts whose hold ran out (run every few minutes)."

    def handle(self, *args, **options):
        released = expiry.expire_holds()
        self.stdout.write(f"Released {released} expired hold(s).")
