import requests
from django.core.management.base import BaseCommand, CommandError

from catalogue.models import OcopCategory
from connectors import push
from connectors.marketplace import Marketplace
from connectors.models import CategoryMapping, Channel
from connectors.registry import descriptors

DEMO_CATEGORY = "100001"  # the sandboxes accept any category id


class Command(BaseCommand):
    help = (
        "Demo: one channel on each running marketplace sandbox (tokens issued by the sandbox, "
        "order pushes sent to the channel's webhook), every OCOP set mapped to a sandbox "
        "category."
    )

    def add_arguments(self, parser):
        for market in descriptors():
            parser.add_argument(
                f"--{market.kind}",
                default=f"http://127.0.0.1:{market.demo.port}",
                metavar="URL",
                help=f"the {market.label} sandbox",
            )

    def handle(self, *args, **options):
        for market in descriptors():
            self._channel(market, options[market.kind])

    def _channel(self, market: Marketplace, sandbox: str) -> None:
        try:
            response = requests.post(f"{sandbox}/_sandbox/tokens", json={}, timeout=5)
            response.raise_for_status()
        except requests.RequestException as error:
            raise CommandError(
                f"{market.kind} sandbox not reachable at {sandbox}: {error}"
            ) from None
        api = market.sandbox_api(sandbox)
        channel, created = Channel.objects.get_or_create(
            slug=market.demo.slug,
            defaults={"kind": market.kind, "name": market.demo.name, "base_url": api},
        )
        if created:  # a new site database: forget what an earlier demo listed there
            requests.post(f"{sandbox}/_sandbox/reset", timeout=5).raise_for_status()
        channel.base_url = api
        channel.set_secrets(market.sandbox_secrets(response.json()))
        channel.needs_reauth = False
        channel.save()
        for category in OcopCategory.objects.filter(is_leaf=True):
            CategoryMapping.objects.update_or_create(
                channel=channel,
                ocop_category=category,
                defaults={
                    "category_id": DEMO_CATEGORY,
                    "attributes": dict(market.demo.mapping_attributes),
                },
            )
        if market.receives_push_notifications:  # as the app's callback URL in its console
            target = {"url": push.webhook_url(channel)}
            requests.post(f"{sandbox}/_sandbox/push", json=target, timeout=5).raise_for_status()
        self.stdout.write(f"Channel {channel.slug} → {api}")
