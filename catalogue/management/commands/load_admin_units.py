from django.core.management.base import BaseCommand

from catalogue.models import Commune, Province
from catalogue.reference_data import load_admin_units
from catalogue.storefront import index, reference


class Command(BaseCommand):
    help = "Load or update provinces and communes from catalogue/data (missing ones are retired)."

    def handle(self, *args, **options):
        provinces, communes = load_admin_units(Province, Commune)
        reference.forget()
        # Commune and province names are copied onto every storefront entry.
        entries = index.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"{provinces} provinces, {communes} communes loaded; "
                f"{entries} storefront entries refreshed."
            )
        )
