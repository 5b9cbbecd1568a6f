import signal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from connectors.lazada.sandbox import LazadaSandbox
from connectors.sandbox.server import serve
from connectors.shopee.sandbox import ShopeeSandbox

SANDBOXES = {"shopee": (ShopeeSandbox, ""), "lazada": (LazadaSandbox, "/rest")}


def _stop(signum, frame) -> None:
    """SIGTERM (kill, a supervisor) ends like Ctrl+C, so the state file is written."""
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = (
        "Run a marketplace sandbox on 127.0.0.1 (state kept in a JSON file; its items, stock "
        "and orders at http://127.0.0.1:<port>/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(SANDBOXES))
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--state", type=Path, help="default var/<kind>-sandbox.json")

    def handle(self, *args, kind, port, state, **options):
        sandbox_class, api_path = SANDBOXES[kind]
        sandbox = sandbox_class(state_file=state or Path(settings.VAR_DIR) / f"{kind}-sandbox.json")
        server = serve(sandbox, port)
        self.stdout.write(
            f"{kind} sandbox: API http://127.0.0.1:{port}{api_path}, "
            f"page http://127.0.0.1:{port}/ (Ctrl+C stops)"
        )
        signal.signal(signal.SIGTERM, _stop)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            sandbox.state.flush()
