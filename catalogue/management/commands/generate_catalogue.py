import time

from django.core.management.base import BaseCommand

from catalogue.synthetic import generate_catalogue


class Command(BaseCommand):
    help = "Create a large synthetic catalogue (3 variants a product) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=20_000)
        parser.add_argument("--per-producer", type=int, default=100)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, products, per_producer, seed, **options):
        started = time.perf_counter()
        result = generate_catalogue(products, per_producer=per_producer, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.producers} producers, {result.products} products, "
                f"{result.variants} variants in {time.perf_counter() - started:.1f} s"
            )
        )
