from django.core.management.base import BaseCommand

from catalogue.site_setup import ensure_site_structure


class Command(BaseCommand):
    help = "Create the home page, indexes, province staff group and approval workflow (idempotent)."

    def handle(self, *args, **options):
        structure = ensure_site_structure()
        self.stdout.write(self.style.SUCCESS(f"Site ready at {structure.home.url_path}"))
