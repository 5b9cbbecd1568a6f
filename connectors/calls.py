"""Calls to a marketplace adapter within one pass: a per-channel rate limit, retries of
transient failures with exponential backoff and jitter (honouring Retry-After), and one
token refresh on an auth error; after that the seller must authorise the app again."""

import datetime
import random
import time
from collections.abc import Callable, Iterator

from connectors import authorisation
from connectors.base import (
    Adapter,
    AuthError,
    MarketplaceError,
    SkuChange,
    SkuOutcome,
    TransientError,
)
from connectors.lease import LeaseKeeper
from connectors.models import Channel

ATTEMPTS = 4  # per operation within one pass; what still fails waits for the next pass
BACKOFF_BASE = 0.5  # seconds: 0.5, 1, 2 (+ jitter), or the marketplace's Retry-After


class NeedsReauthorisation(Exception):
    """The token was refused even after a refresh: the seller must authorise again. Not
    a MarketplaceError, so no single operation swallows it: the pass stops."""


class Caller:
    """Calls the adapter with a per-channel rate limit, retries transient failures with
    exponential backoff and jitter (honouring Retry-After), and refreshes the access
    token once on an auth error."""

    def __init__(
        self,
        channel: Channel,
        adapter: Adapter,
        refresh: Callable[[], None],
        sleep: Callable[[float], None] = time.sleep,
        rate_per_second: float = 10.0,
        lease: LeaseKeeper | None = None,
    ):
        self.channel, self.adapter, self.refresh, self.sleep = channel, adapter, refresh, sleep
        self.interval = 1.0 / rate_per_second
        self.last_call = 0.0
        self.lease = lease
        self.refreshed = False
        self.calls = 0

    def wait_turn(self) -> None:
        if self.lease:
            self.lease.check()  # another pass took the channel: stop before calling
        gap = self.last_call + self.interval - time.monotonic()
        if gap > 0:
            self.sleep(gap)
        self.last_call = time.monotonic()

    def backoff(self, attempt: int, error: TransientError) -> None:
        delay = error.retry_after or BACKOFF_BASE * 2**attempt
        self.sleep(delay + random.uniform(0, delay / 2))

    def __call__(self, method: str, *args, before_retry: Callable[[], object] | None = None):
        """Call `adapter.<method>(*args)`; `before_retry` runs before each retry and may
        return a value to use instead (an idempotent create looks the item up first)."""
        for attempt in range(ATTEMPTS):
            if attempt and before_retry is not None:
                found = before_retry()
                if found is not None:
                    return found
            self.wait_turn()
            self.calls += 1
            try:
                result = getattr(self.adapter, method)(*args)
                # A generator (items()) must be read here, inside the retries.
                return list(result) if isinstance(result, Iterator) else result
            except AuthError as error:
                if self.refreshed:
                    Channel.objects.filter(pk=self.channel.pk).update(needs_reauth=True)
                    raise NeedsReauthorisation(error.message) from None
                self.refreshed = True
                self.refresh()
            except TransientError as error:
                if attempt == ATTEMPTS - 1:
                    raise
                self.backoff(attempt, error)
        raise TransientError("Hết số lần thử trong lượt này.")

    def batch(self, method: str, changes: list[SkuChange]) -> dict[str, MarketplaceError | None]:
        """A batch call; SKUs that failed transiently are sent again (only them)."""
        results: dict[str, MarketplaceError | None] = {}
        pending = changes
        for attempt in range(ATTEMPTS):
            if not pending:
                break
            outcomes: list[SkuOutcome] = self(method, pending)
            results.update({o.seller_sku: o.error for o in outcomes})
            retry = [c for c in pending if isinstance(results.get(c.seller_sku), TransientError)]
            if retry and attempt < ATTEMPTS - 1:
                self.backoff(attempt, results[retry[0].seller_sku])  # type: ignore[arg-type]
            pending = retry
        return results


def refresher(channel: Channel, adapter: Adapter) -> Callable[[], None]:
    """Refresh the access token and keep the new pair; when that fails, the channel is
    marked as needing re-authorisation by the seller."""

    def refresh() -> None:
        secrets = channel.get_secrets()
        try:
            tokens = adapter.refresh(secrets.get("refresh_token", ""))
        except MarketplaceError as error:
            Channel.objects.filter(pk=channel.pk).update(needs_reauth=True)
            raise NeedsReauthorisation(
                f"Token hết hạn và không làm mới được ({error.message}): cần cấp quyền lại."
            ) from None
        secrets.update(access_token=tokens.access_token, refresh_token=tokens.refresh_token)
        channel.set_secrets(secrets)
        channel.token_expires_at = datetime.datetime.fromtimestamp(
            tokens.expires_at, tz=datetime.UTC
        )
        if tokens.authorisation_expires_at:
            end = datetime.datetime.fromtimestamp(tokens.authorisation_expires_at, tz=datetime.UTC)
            authorisation.ends_at(channel, end)
        channel.needs_reauth = False
        channel.save(update_fields=["secrets", "token_expires_at", "needs_reauth"])

    return refresh
