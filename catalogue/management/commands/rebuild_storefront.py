import time

from django.core.management.base import BaseCommand

from catalogue.storefront import index, reference


class Command(BaseCommand):
    help = (
        "Rebuild the storefront read model (listing rows, search words, facet data) from the "
        "live catalogue. Safe at any time; use after bulk imports or direct database edits."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        reference.forget()
        entries = index.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"{entries} products listed on the storefront "
                f"({time.perf_counter() - started:.1f} s)."
            )
        )
