from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalogue.models import ProducerPage
from catalogue.producers import add_editor


class Command(BaseCommand):
    help = "Give a user (e.g. a community digital team helper) editing rights on producers."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("producer_slugs", nargs="+", metavar="producer-slug")

    def handle(self, *args, username, producer_slugs, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        producers = list(ProducerPage.objects.filter(slug__in=producer_slugs))
        missing = set(producer_slugs) - {producer.slug for producer in producers}
        if missing:
            raise CommandError(f"No producer with slug: {', '.join(sorted(missing))}")
        try:
            add_editor(user, producers)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        names = ", ".join(producer.title for producer in producers)
        self.stdout.write(self.style.SUCCESS(f"{username} may now edit: {names}"))
