from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalogue.models import Commune, ProducerType
from catalogue.producers import create_producer


class Command(BaseCommand):
    help = (
        "Create a producer in one step: its page, image collection, editors' group with "
        "page permissions, and its first user (password printed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("title", help='Display name, e.g. "HTX Chè Hảo Đạt"')
        parser.add_argument("--commune", required=True, help="Commune code (5 digits), e.g. 05977")
        parser.add_argument(
            "--username", default="", help="Made from the title when left out (htx-che-hao-dat)"
        )
        parser.add_argument("--type", default="htx", choices=ProducerType.values)
        parser.add_argument("--phone", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--registration-code", default="")
        parser.add_argument("--representative", default="")
        parser.add_argument(
            "--old-locality", default="", help="Address text before the 2025 reform"
        )
        parser.add_argument("--draft", action="store_true", help="Do not publish the producer page")

    def handle(self, *args, **options):
        try:
            commune = Commune.objects.select_related("province").get(code=options["commune"])
        except Commune.DoesNotExist as error:
            raise CommandError(f"No commune with code {options['commune']!r}.") from error
        try:
            created = create_producer(
                title=options["title"],
                commune=commune,
                username=options["username"] or None,
                publish=not options["draft"],
                producer_type=options["type"],
                phone=options["phone"],
                email=options["email"],
                registration_code=options["registration_code"],
                representative=options["representative"],
                old_locality=options["old_locality"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Created {created.page.title} at {created.page.url_path}")
        )
        self.stdout.write(f"  group: {created.group.name}; collection: {created.collection.name}")
        self.stdout.write(f"  login: {created.user.username} / {created.password}")
