from django.core.management.base import BaseCommand

from connectors.registry import descriptors


class Command(BaseCommand):
    help = (
        "The marketplaces this site connects to, one a line: kind, the port ./scripts/start "
        "runs its sandbox on, capabilities (or -) and label."
    )

    def handle(self, *args, **options):
        for market in descriptors():
            can = [
                name
                for name, able in (
                    ("push-listings", market.pushes_listings),
                    ("pull-orders", market.pulls_orders),
                    ("push-notifications", market.receives_push_notifications),
                )
                if able
            ]
            self.stdout.write(
                f"{market.kind} {market.demo.port} {','.join(can) or '-'} {market.label}"
            )
