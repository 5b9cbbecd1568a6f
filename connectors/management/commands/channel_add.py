"""Secrets never come on the command line (they would sit in `ps` and the shell's history):
they are read from a file of KEY=VALUE lines, which the operator then deletes, or typed at
a prompt that does not echo."""

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalogue.models import ProducerPage
from catalogue.text import slugify_vi
from connectors.models import Channel
from connectors.registry import descriptor, descriptors


class Command(BaseCommand):
    help = "Create or update a marketplace channel (secrets are stored encrypted)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=Channel.Kind.values)
        parser.add_argument("name")
        parser.add_argument("--slug")
        parser.add_argument("--base-url", required=True)
        keys = "; ".join(
            f"{', '.join(market.secret_keys)} ({market.label})" for market in descriptors()
        )
        parser.add_argument(
            "--credentials-file",
            type=Path,
            metavar="FILE",
            help=f"KEY=VALUE lines, one per secret: {keys}",
        )
        parser.add_argument(
            "--ask", action="store_true", help="prompt for each secret (Enter keeps the current)"
        )
        parser.add_argument("--producer", action="append", default=[], metavar="SLUG")
        parser.add_argument("--markup", type=int, help="price markup in percent")
        parser.add_argument("--buffer", type=int, help="units held back from this channel")
        parser.add_argument("--share", type=int, help="percent of available stock offered")

    @transaction.atomic
    def handle(
        self,
        *args,
        kind,
        name,
        slug,
        base_url,
        credentials_file,
        ask,
        producer,
        markup,
        buffer,
        share,
        **options,
    ):
        slug = slug or slugify_vi(name)
        channel = Channel.objects.filter(slug=slug).first() or Channel(slug=slug)
        channel.kind, channel.name, channel.base_url = kind, name, base_url
        secrets = channel.get_secrets() if channel.pk else {}
        keys = descriptor(kind).secret_keys
        if credentials_file is not None:
            secrets |= _read_file(credentials_file, keys)
        if ask:
            secrets |= _prompt(keys)
        channel.set_secrets(secrets)
        if markup is not None:
            channel.price_markup_percent = markup
        if buffer is not None:
            channel.stock_buffer = buffer
        if share is not None:
            channel.stock_share_percent = share
        channel.full_clean(exclude=["secrets"])
        channel.save()
        if producer:
            pages = list(ProducerPage.objects.filter(slug__in=producer))
            missing = set(producer) - {page.slug for page in pages}
            if missing:
                raise CommandError(f"No producer page with slug {', '.join(sorted(missing))}")
            channel.producers.set(pages)
        shown = ", ".join(f"{k}={v}" for k, v in sorted(channel.masked_secrets().items()))
        self.stdout.write(f"Channel {channel.slug} ({kind}) saved. Secrets: {shown or 'none'}")


def _read_file(path: Path, keys: tuple[str, ...]) -> dict[str, str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise CommandError(f"--credentials-file: cannot read {path}: {error.strerror}") from None
    secrets = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or key not in keys:
            # The line itself is not echoed: it may hold a secret typed in the wrong place.
            raise CommandError(
                f"{path}, line {number}: expected KEY=VALUE with KEY one of {', '.join(keys)}"
            )
        secrets[key] = value.strip()
    return secrets


def _prompt(keys: tuple[str, ...]) -> dict[str, str]:
    typed = {key: getpass.getpass(f"{key} (Enter: keep): ") for key in keys}
    return {key: value.strip() for key, value in typed.items() if value.strip()}
