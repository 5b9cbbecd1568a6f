import requests
from django.core.management.base import BaseCommand, CommandError

from catalogue.models import OcopCategory
from connectors.lazada.sandbox import DEFAULT_APP_KEY, DEFAULT_APP_SECRET
from connectors.models import CategoryMapping, Channel
from connectors.shopee.sandbox import PARTNER_ID, PARTNER_KEY, SHOP_ID

DEMO_CATEGORY = "100001"  # the sandboxes accept any category id


class Command(BaseCommand):
    help = (
        "Demo: one channel on each running marketplace sandbox (tokens issued by the sandbox), "
        "every OCOP set mapped to a sandbox category."
    )

    def add_arguments(self, parser):
        parser.add_argument("--shopee", default="http://127.0.0.1:8801", metavar="URL")
        parser.add_argument("--lazada", default="http://127.0.0.1:8802", metavar="URL")

    def handle(self, *args, shopee, lazada, **options):
        self._channel(
            "shopee",
            "Shopee (sandbox)",
            shopee,
            shopee,
            {"partner_id": str(PARTNER_ID), "partner_key": PARTNER_KEY, "shop_id": str(SHOP_ID)},
            {"brand": "No brand", "brand_id": "0"},  # Shopee's "No brand"
        )
        self._channel(
            "lazada",
            "Lazada (sandbox)",
            lazada,
            lazada + "/rest",
            {"app_key": DEFAULT_APP_KEY, "app_secret": DEFAULT_APP_SECRET},
            {"brand_id": "30768"},  # the brand of create-a-product.md's example
        )

    def _channel(
        self, kind: str, name: str, sandbox: str, api: str, keys: dict, attributes: dict
    ) -> None:
        try:
            response = requests.post(f"{sandbox}/_sandbox/tokens", json={}, timeout=5)
            response.raise_for_status()
        except requests.RequestException as error:
            raise CommandError(f"{kind} sandbox not reachable at {sandbox}: {error}") from None
        tokens = response.json()
        channel, created = Channel.objects.get_or_create(
            slug=f"{kind}-sandbox", defaults={"kind": kind, "name": name, "base_url": api}
        )
        if created:  # a new site database: forget what an earlier demo listed there
            requests.post(f"{sandbox}/_sandbox/reset", timeout=5).raise_for_status()
        channel.base_url = api
        channel.set_secrets(
            {
                **keys,
                "access_token": tokens["access_token"],
                "refresh_token": tokens["refresh_token"],
            }
        )
        channel.needs_reauth = False
        channel.save()
        for category in OcopCategory.objects.filter(is_leaf=True):
            CategoryMapping.objects.update_or_create(
                channel=channel,
                ocop_category=category,
                defaults={"category_id": DEMO_CATEGORY, "attributes": attributes},
            )
        self.stdout.write(f"Channel {channel.slug} → {api}")
