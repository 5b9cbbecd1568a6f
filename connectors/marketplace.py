"""What the rest of the site knows about one marketplace: each package `connectors/<kind>/`
declares one `Marketplace` in its `__init__.py`, and `connectors/registry.py` collects them."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from connectors.base import Adapter
from connectors.images import ImageRules
from connectors.push import Receiver
from connectors.sandbox.server import Sandbox

# Tokens come from the seller's authorisation (or the sandbox); every other secret signs.
TOKEN_KEYS = ("access_token", "refresh_token")


@dataclass(frozen=True)
class Demo:
    """The demo channel on the marketplace's local sandbox (`manage.py demo_channels`)."""

    name: str
    slug: str
    port: int  # where ./scripts/start runs the sandbox
    secrets: Mapping[str, str]  # the sandbox's default keys; tokens are issued by it
    # Attributes of every category mapping of a demo or test channel (e.g. the brand).
    mapping_attributes: Mapping[str, str]


@dataclass(frozen=True)
class Marketplace:
    """One marketplace: its channel kind (a `Channel.Kind` value), the secrets a channel
    holds, its photo rules, how to build its adapter, its sandbox and what it can do."""

    kind: str
    label: str
    secret_keys: tuple[str, ...]
    image_rules: ImageRules
    adapter: Callable[[str, Mapping[str, str]], Adapter]  # (base URL, secrets) → adapter
    sandbox: type[Sandbox]
    api_prefix: str  # the sandbox's API below its root, e.g. "/rest"
    demo: Demo
    pushes_listings: bool = True
    pulls_orders: bool = True
    push: Receiver | None = None  # how its order pushes to our webhook are checked and read

    @property
    def receives_push_notifications(self) -> bool:
        return self.push is not None

    def sandbox_api(self, sandbox_url: str) -> str:
        """A channel's base URL on the sandbox served at `sandbox_url`."""
        return sandbox_url + self.api_prefix

    def sandbox_secrets(self, tokens: Mapping[str, str]) -> dict[str, str]:
        """A sandbox channel's secrets: the default keys and the tokens the sandbox issued."""
        return {**self.demo.secrets, **{key: tokens[key] for key in TOKEN_KEYS}}
