from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo catalogue (idempotent) and print the demo accounts' passwords."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (resets demo passwords)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo resets demo passwords; on a real site pass --force.")
        result = load_demo()
        self.stdout.write(
            f"Demo: {result.producers_created} producers and "
            f"{result.products_created} products created.\n"
        )
        self.stdout.write(self.style.SUCCESS("Đăng nhập quản trị / admin logins: /admin/"))
        for role, username, password in result.credentials:
            self.stdout.write(f"  {role:<28} {username:<48} {password}")
