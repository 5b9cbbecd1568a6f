"""What the sync engine asks of a marketplace, and what a connector answers.

A connector (`connectors/<kind>/adapter.py`) is a thin protocol adapter: it signs and
sends requests, splits work into the marketplace's documented batches, and turns the
answers into these types. Everything else (what to push, retries, bookkeeping) is the
engine's. All money is integer VND; weights in grams, dimensions in centimetres.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol


class MarketplaceError(Exception):
    """A refusal from the marketplace. `message` is for people (a cooperative member
    reads it on the listing); `code` is the marketplace's own error code."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.message, self.code = message, code


class TransientError(MarketplaceError):
    """Worth trying again later: 5xx, timeouts, rate limits (`retry_after` seconds if the
    marketplace said so)."""

    def __init__(self, message: str, code: str = "", retry_after: float | None = None):
        super().__init__(message, code)
        self.retry_after = retry_after


class AuthError(MarketplaceError):
    """The access token was refused: refresh it once, then ask for re-authorisation."""


class PermanentError(MarketplaceError):
    """The request itself is wrong (validation): retrying the same thing cannot help."""


class UnknownOutcome(TransientError):
    """The request may or may not have taken effect (timeout, 5xx after sending): a
    create is looked up before it is sent again."""


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: float  # unix time
    # When the seller must authorise again (the refresh token's or the shop
    # authorisation's end), if the marketplace says.
    authorisation_expires_at: float | None = None


@dataclass(frozen=True)
class SkuPayload:
    seller_sku: str  # our SKU, e.g. "19-00001-2": the key on every marketplace
    name: str  # variant name, e.g. "Hộp 200 g"
    price: int  # VND, after the channel's price rule
    stock: int  # absolute quantity to show, after the channel's buffer
    weight_grams: int


@dataclass(frozen=True)
class ListingPayload:
    """Desired state of one product on one channel."""

    product_code: str
    title: str
    description: str  # plain text
    category_id: str
    attributes: dict[str, str]
    image_ids: list[str]  # ids/URLs returned by `upload_image`
    skus: list[SkuPayload]


@dataclass(frozen=True)
class RemoteSku:
    seller_sku: str
    external_id: str  # Shopee model_id / Lazada SkuId
    price: int | None = None
    stock: int | None = None


@dataclass(frozen=True)
class RemoteItem:
    external_id: str  # Shopee item_id / Lazada item_id
    skus: list[RemoteSku] = field(default_factory=list)
    url: str = ""
    status: str = ""


@dataclass(frozen=True)
class SkuChange:
    """A price or stock value for one SKU of an item already on the marketplace."""

    item_id: str
    sku_id: str
    seller_sku: str
    value: int


@dataclass(frozen=True)
class SkuOutcome:
    seller_sku: str
    error: MarketplaceError | None = None  # None: done


@dataclass(frozen=True)
class RemoteOrderLine:
    seller_sku: str
    quantity: int


@dataclass(frozen=True)
class RemoteOrder:
    """An order taken on the marketplace. `state`: "open" (hold the stock), "shipped"
    (it left the shelf) or "cancelled" (give it back)."""

    external_id: str
    state: str
    lines: list[RemoteOrderLine]
    updated_at: float  # unix time


class Adapter(Protocol):
    kind: str
    # Seconds to leave between creating an item and adding its variations; when not 0,
    # `create_item` only creates the item (no SKUs in the answer) and the engine calls
    # `add_variations` for the pass's new items after one such wait.
    variations_after_seconds: float

    def refresh(self, refresh_token: str) -> Tokens: ...

    def authorisation_end(self) -> float | None:
        """When the seller's authorisation of the app ends (unix time), if the
        marketplace answers that apart from the tokens."""

    def upload_image(self, data: bytes, filename: str) -> str: ...

    def find_item(self, product_code: str, seller_skus: list[str]) -> RemoteItem | None:
        """The item carrying these SKUs, if one exists (so a create that timed out is
        never made twice)."""

    def create_item(self, payload: ListingPayload) -> RemoteItem: ...

    def add_variations(self, item_id: str, skus: list[SkuPayload]) -> list[RemoteSku]:
        """The SKUs of an item `create_item` made without them (see above)."""

    def update_item(self, item: RemoteItem, payload: ListingPayload) -> None: ...

    def update_prices(self, changes: list[SkuChange]) -> list[SkuOutcome]:
        """Every change, in as few calls as the marketplace allows; one outcome each."""

    def update_stock(self, changes: list[SkuChange]) -> list[SkuOutcome]: ...

    def delist(self, item: RemoteItem) -> None: ...

    def relist(self, item: RemoteItem) -> None:
        """Put a delisted item on sale again (the product is wanted again)."""

    def items(self) -> Iterator[RemoteItem]:
        """Every item of the shop with its SKUs' current price and stock (reconcile)."""

    def orders_since(self, cursor: str) -> tuple[list[RemoteOrder], str]:
        """Orders created or changed since `cursor` ("" = the start), and the new cursor."""


AdapterFactory = Callable[..., Adapter]


def chunks(values: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of at most `size` values (a batch limit, an IN (...) list)."""
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk
