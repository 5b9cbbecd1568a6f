import signal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from connectors.registry import descriptor, descriptors
from connectors.sandbox.server import serve


def _stop(signum, frame) -> None:
    """SIGTERM (kill, a supervisor) ends like Ctrl+C, so the state file is written."""
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = (
        "Run a marketplace sandbox on 127.0.0.1 (state kept in a JSON file; its items, stock "
        "and orders at http://127.0.0.1:<port>/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(market.kind for market in descriptors()))
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--state", type=Path, help="default var/<kind>-sandbox.json")

    def handle(self, *args, kind, port, state, **options):
        market = descriptor(kind)
        state = state or Path(settings.VAR_DIR) / f"{kind}-sandbox.json"
        sandbox = market.sandbox(state_file=state)
        server = serve(sandbox, port)
        page = f"http://127.0.0.1:{port}"
        self.stdout.write(
            f"{kind} sandbox: API {market.sandbox_api(page)}, page {page}/ (Ctrl+C stops)"
        )
        signal.signal(signal.SIGTERM, _stop)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            sandbox.state.flush()
