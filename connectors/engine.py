"""One sync pass for one channel: pull marketplace orders into our stock, compare what
the channel should show with what was last pushed, and send only the difference.

Connectors are thin protocol adapters (connectors.base.Adapter); this module decides
what to send and records every outcome on the Listing rows, so a pass that dies half-way
loses nothing: the next one starts from the rows. A pass holds the channel's lease
(connectors.lease) and calls the marketplace through a Caller (connectors.calls), which
retries what may succeed later.
"""

import datetime
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model

from connectors import authorisation, stock_push
from connectors import images as image_rules
from connectors.base import (
    Adapter,
    ListingPayload,
    MarketplaceError,
    RemoteItem,
    RemoteSku,
    SkuChange,
    TransientError,
    UnknownOutcome,
)
from connectors.calls import Caller, NeedsReauthorisation, refresher
from connectors.desired import Desired, desired_products
from connectors.lease import LeaseKeeper, LeaseLost, acquire, release
from connectors.models import Channel, ImageUpload, Listing, SyncRun
from connectors.orders import pull_orders
from connectors.registry import descriptor

logger = logging.getLogger(__name__)

REFRESH_AHEAD = datetime.timedelta(minutes=10)
PASS_KINDS = ("orders", "push", "pass", "reconcile")  # each covers the ones before it


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "code: why the channel does not carry it"

    def error(self, sku_or_code: str, message: str) -> None:
        self.counts["errors"] += 1
        self.errors.append(f"{sku_or_code}: {message}"[:300])


@dataclass
class Pass:
    """`kind` is what the pass covers: "orders" only pulls orders; "push" pulls orders
    and then sends only the SKUs waiting in connectors.stock_push; "pass" looks at every
    product; "reconcile" first reads back what the marketplace shows."""

    channel: Channel
    caller: Caller
    kind: str = "pass"
    dry_run: bool = False
    report: Report = field(default_factory=Report)
    progress: Callable[[str], None] = lambda line: None
    # Items created this pass whose variations are added after a wait (`_add_variations`).
    _without_variations: list[tuple[Desired, dict[str, Listing], RemoteItem]] = field(
        default_factory=list
    )
    _last_create: float = 0.0

    def run(self) -> Report:
        self.progress("orders")
        if not self.dry_run:
            pull_orders(self.channel, self.caller, self.report)
            if self.kind == "reconcile" or self.channel.authorisation_expires_at is None:
                self._authorisation_end()
        if self.kind == "orders":
            return self.report
        # Read after the pull, so stock the pull just changed is pushed by this pass.
        pending = stock_push.take(self.channel)
        if self.kind == "reconcile" and not self.dry_run:
            self.progress("reconcile")
            self._reconcile()
        self.progress("plan")
        only = stock_push.product_ids(pending) if self.kind == "push" else None
        desired = desired_products(self.channel, only)
        listings: dict[int, dict[str, Listing]] = {}
        for listing in Listing.objects.filter(channel=self.channel):
            listings.setdefault(listing.product_id, {})[listing.sku] = listing
        prices: list[tuple[Listing, SkuChange]] = []
        stocks: list[tuple[Listing, SkuChange]] = []
        for item in desired:
            rows = listings.get(item.product_id, {})
            if not item.wanted:
                self._delist(item, rows)
            elif item.reason:
                self._report_unpushable(item, rows)
            elif not any(row.external_item_id for row in rows.values()):
                self._create(item, rows)
            else:
                self._update(item, rows, prices, stocks)
        self._add_variations()
        self.progress("price")
        self._push("update_prices", prices, "pushed_price", "price")
        self.progress("stock")
        self._push("update_stock", stocks, "pushed_stock", "stock")
        if not self.dry_run:
            stock_push.done(pending)  # failed SKUs keep their row state for the next pass
        return self.report

    def _authorisation_end(self) -> None:
        """Learn when the seller must authorise the app again (daily, and until known);
        a marketplace that does not answer it here tells it with the tokens."""
        try:
            end = self.caller("authorisation_end")
        except MarketplaceError as error:
            logger.info("%s: authorisation end not read: %s", self.channel.slug, error.message)
            return
        if end is not None:
            authorisation.ends_at(
                self.channel, datetime.datetime.fromtimestamp(end, tz=datetime.UTC)
            )

    def _reconcile(self) -> None:
        """Read what the marketplace shows and forget what we believe we pushed wherever
        it differs (someone edited it on the marketplace, or an item was deleted there),
        so this pass pushes it again."""
        remote: dict[str, tuple[str, RemoteSku]] = {}
        for item in self.caller("items"):
            for sku in item.skus:
                remote[sku.seller_sku] = (item.external_id, sku)
        for row in Listing.objects.filter(channel=self.channel).exclude(external_item_id=""):
            seen = remote.get(row.sku)
            if seen is None or seen[0] != row.external_item_id:
                if row.state != Listing.State.DELISTED:
                    self.report.counts["reconcile_missing"] += 1
                    row.external_item_id = row.external_sku_id = row.content_fingerprint = ""
                    row.create_attempted, row.state = True, Listing.State.PENDING
                    row.save()
                continue
            _, sku = seen
            drift: dict[str, None] = {}
            if sku.stock is not None and sku.stock != row.pushed_stock:
                drift["pushed_stock"] = None
            if sku.price is not None and sku.price != row.pushed_price:
                drift["pushed_price"] = None
            if drift:
                self.report.counts["reconcile_drift"] += 1
                Listing.objects.filter(pk=row.pk).update(**drift)

    # creates and content

    def _rows(self, item: Desired, rows: dict[str, Listing]) -> dict[str, Listing]:
        for sku in item.skus:
            if sku.seller_sku not in rows:
                rows[sku.seller_sku] = Listing.objects.create(
                    channel=self.channel, sku=sku.seller_sku, product_id=item.product_id
                )
        return rows

    def _payload(self, item: Desired) -> ListingPayload:
        return ListingPayload(
            product_code=item.product_code,
            title=item.title,
            description=item.description,
            category_id=item.category_id,
            attributes=item.attributes,
            image_ids=[self._image_id(*image) for image in item.images],
            skus=item.skus,
        )

    def _image_id(self, image_id: int, file_hash: str) -> str:
        """Upload once per file; reuse while the file is unchanged."""
        known = ImageUpload.objects.filter(
            channel=self.channel, image_id=image_id, file_hash=file_hash
        ).first()
        if known:
            return known.external_id
        image = get_image_model().objects.get(pk=image_id)
        with image.open_file() as handle:
            data = image_rules.prepare(handle.read(), descriptor(self.channel.kind).image_rules)
        external_id = self.caller("upload_image", data, f"{image_id}.jpg")
        ImageUpload.objects.create(
            channel=self.channel, image_id=image_id, file_hash=file_hash, external_id=external_id
        )
        self.report.counts["images"] += 1
        return external_id

    def _create(self, item: Desired, rows: dict[str, Listing]) -> None:
        if self.dry_run:
            self.report.counts["create"] += 1
            return
        rows = self._rows(item, rows)
        code, skus = item.product_code, [s.seller_sku for s in item.skus]
        found = False

        def look_up() -> RemoteItem | None:
            nonlocal found
            remote = self.caller("find_item", code, skus)
            found = remote is not None
            return remote

        try:
            # A create that timed out earlier may have gone through: look before sending.
            remote = look_up() if any(r.create_attempted for r in rows.values()) else None
            if remote is None:
                Listing.objects.filter(pk__in=[r.pk for r in rows.values()]).update(
                    create_attempted=True
                )
                remote = self.caller("create_item", self._payload(item), before_retry=look_up)
        except UnknownOutcome as error:
            self._fail(rows.values(), error, keep_state=True)
            return
        except MarketplaceError as error:
            self._fail(rows.values(), error)
            return
        # An item found rather than created shows what some earlier attempt sent, which
        # may be stale: record what it shows, so the next pass sends what differs.
        self._bind(item, rows, remote, pushed=not found)
        self.report.counts["create"] += 1
        if not found and not remote.skus:  # its variations come after a wait
            self._without_variations.append((item, rows, remote))
            self._last_create = time.monotonic()

    def _add_variations(self) -> None:
        """The variations of the items this pass created without them, after one wait
        for all (the marketplace's `variations_after_seconds` since the last create)."""
        if not self._without_variations:
            return
        after = self.caller.adapter.variations_after_seconds
        self.caller.sleep(max(0.0, self._last_create + after - time.monotonic()))
        for item, rows, remote in self._without_variations:
            try:
                skus = self.caller("add_variations", remote.external_id, self._payload(item).skus)
            except MarketplaceError as error:
                self._fail(rows.values(), error, keep_state=True)  # the next pass adds them
                continue
            self._bind(item, rows, replace(remote, skus=skus), pushed=True)
        self._without_variations = []

    def _bind(self, item: Desired, rows: dict[str, Listing], remote: RemoteItem, pushed: bool):
        """Record the marketplace's ids. A SKU the item does not carry yet (a create
        whose variations failed half-way) stays pending with no fingerprint, so the
        content step completes it."""
        by_sku: dict[str, RemoteSku] = {s.seller_sku: s for s in remote.skus}
        fingerprint = item.content_fingerprint()
        for sku in item.skus:
            row = rows[sku.seller_sku]
            remote_sku = by_sku.get(sku.seller_sku)
            row.external_item_id, row.url = remote.external_id, remote.url
            row.last_error = ""
            if remote_sku is None:
                row.external_sku_id, row.state, row.content_fingerprint = (
                    "",
                    Listing.State.PENDING,
                    "",
                )
            else:
                row.external_sku_id, row.state = remote_sku.external_id, Listing.State.LIVE
                if pushed:
                    row.content_fingerprint = fingerprint
                    row.pushed_price, row.pushed_stock = sku.price, sku.stock
                else:
                    row.pushed_price, row.pushed_stock = remote_sku.price, remote_sku.stock
            row.save()

    def _update(self, item, rows, prices, stocks) -> None:
        fingerprint = item.content_fingerprint()
        rows = rows if self.dry_run else self._rows(item, rows)
        if any(row.state == Listing.State.DELISTED for row in rows.values()):
            self.report.counts["relist"] += 1
            if not self.dry_run and not self._relist(rows):
                return
        if any(row.content_fingerprint != fingerprint for row in rows.values()):
            self.report.counts["content"] += 1
            if not self.dry_run:
                self._update_content(item, rows, fingerprint)
        for sku in item.skus:
            row = rows.get(sku.seller_sku)
            if row is None or not row.external_sku_id:
                continue
            ids = (row.external_item_id, row.external_sku_id, sku.seller_sku)
            if row.pushed_price != sku.price:
                prices.append((row, SkuChange(*ids, value=sku.price)))
            if row.pushed_stock != sku.stock:
                stocks.append((row, SkuChange(*ids, value=sku.stock)))

    def _update_content(self, item: Desired, rows: dict[str, Listing], fingerprint: str):
        item_id = next(row.external_item_id for row in rows.values() if row.external_item_id)

        def learn_ids() -> None:
            """SKUs without a marketplace id (a half-finished create, a new variant):
            ask the marketplace what the item carries now."""
            if any(not row.external_sku_id for row in rows.values()):
                remote = self.caller(
                    "find_item", item.product_code, [s.seller_sku for s in item.skus]
                )
                if remote is not None:
                    self._bind(item, rows, remote, pushed=False)

        try:
            learn_ids()
            known = [RemoteSku(row.sku, row.external_sku_id) for row in rows.values()]
            self.caller("update_item", RemoteItem(item_id, known), self._payload(item))
            learn_ids()
        except MarketplaceError as error:
            self._fail(rows.values(), error, keep_state=True)
            return
        done = [row.pk for row in rows.values() if row.external_sku_id]
        Listing.objects.filter(pk__in=done).update(
            content_fingerprint=fingerprint, state=Listing.State.LIVE, last_error=""
        )
        for row in rows.values():
            if row.pk in done:
                row.content_fingerprint = fingerprint

    def _delist(self, item: Desired, rows: dict[str, Listing]) -> None:
        live = [
            r for r in rows.values() if r.state != Listing.State.DELISTED and r.external_item_id
        ]
        if not live:
            self._skip(item, rows)
            return
        self.report.counts["delist"] += 1
        if self.dry_run:
            return
        try:
            self.caller("delist", RemoteItem(live[0].external_item_id))
        except MarketplaceError as error:
            self._fail(live, error, keep_state=True)
            return
        Listing.objects.filter(pk__in=[r.pk for r in live]).update(
            state=Listing.State.DELISTED, last_error=item.reason, content_fingerprint=""
        )

    def _skip(self, item: Desired, rows: dict[str, Listing]) -> None:
        """A product the channel does not carry and has not listed: its rows say so
        ("Không đăng") with the reason, for the cooperative, the listings screen and the
        next certificate change (which finds the rows and starts a quick pass). Written
        only when something changed."""
        self.report.counts["skipped"] += 1
        self.report.skipped.append(f"{item.product_code}: {item.reason}"[:300])
        if self.dry_run:
            return
        missing = [s.seller_sku for s in item.skus if s.seller_sku not in rows]
        Listing.objects.bulk_create(
            [
                Listing(
                    channel=self.channel,
                    sku=sku,
                    product_id=item.product_id,
                    state=Listing.State.SKIPPED,
                    last_error=item.reason,
                )
                for sku in missing
            ]
        )
        stale = [
            row.pk
            for row in rows.values()
            if not row.external_item_id
            and (row.state != Listing.State.SKIPPED or row.last_error != item.reason)
        ]
        if stale:
            Listing.objects.filter(pk__in=stale).update(
                state=Listing.State.SKIPPED, last_error=item.reason
            )

    def _relist(self, rows: dict[str, Listing]) -> bool:
        listed = [row for row in rows.values() if row.external_item_id]
        known = [RemoteSku(row.sku, row.external_sku_id) for row in listed]
        try:
            self.caller("relist", RemoteItem(listed[0].external_item_id, known))
        except MarketplaceError as error:
            self._fail(rows.values(), error, keep_state=True)
            return False
        Listing.objects.filter(pk__in=[row.pk for row in listed]).update(
            state=Listing.State.LIVE, last_error=""
        )
        for row in listed:
            row.state = Listing.State.LIVE
        return True

    def _report_unpushable(self, item: Desired, rows: dict[str, Listing]) -> None:
        self.report.counts["unmapped"] += 1
        self.report.errors.append(f"{item.product_code}: {item.reason}")
        if not self.dry_run:
            rows = self._rows(item, rows)
            Listing.objects.filter(pk__in=[r.pk for r in rows.values()]).exclude(
                state=Listing.State.LIVE
            ).update(state=Listing.State.ERROR, last_error=item.reason)

    def _fail(self, rows, error: MarketplaceError, keep_state: bool = False) -> None:
        for row in rows:
            self.report.error(row.sku, error.message)
        update = {"last_error": error.message[:500]}
        if not keep_state and not isinstance(error, TransientError):
            update["state"] = Listing.State.ERROR
        Listing.objects.filter(pk__in=[r.pk for r in rows]).update(**update)

    # price and stock

    def _push(self, method: str, work: list[tuple[Listing, SkuChange]], column: str, kind: str):
        if not work:
            return
        self.report.counts[kind] += len(work)
        if self.dry_run:
            return
        try:
            results = self.caller.batch(method, [change for _, change in work])
        except MarketplaceError as error:
            self._fail([row for row, _ in work], error, keep_state=True)
            return
        for row, change in work:
            failure = results.get(change.seller_sku)
            if failure is None and change.seller_sku in results:
                Listing.objects.filter(pk=row.pk).update(**{column: change.value, "last_error": ""})
            else:
                self._fail([row], failure or TransientError("Không có kết quả"), keep_state=True)


def run_pass(
    channel: Channel,
    adapter: Adapter,
    *,
    kind: str = "pass",
    dry_run: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[str], None] = lambda line: None,
) -> SyncRun:
    """One pass under the channel's lease, recorded as a SyncRun (kinds: see Pass).
    A run left "running" by a killed worker is closed as interrupted first."""
    if kind not in PASS_KINDS:
        raise ValueError(f"Unknown pass kind {kind!r}")
    owner = acquire(channel)
    SyncRun.objects.filter(channel=channel, status=SyncRun.Status.RUNNING).update(
        status=SyncRun.Status.FAILED,
        errors=["Lượt đồng bộ bị dừng giữa chừng (tiến trình bị tắt)."],
        finished_at=timezone.now(),
    )
    run = SyncRun.objects.create(channel=channel, kind="dry-run" if dry_run else kind)
    report = Report()
    lease = LeaseKeeper(channel, owner)
    lease.start()
    caller = Caller(
        channel,
        adapter,
        refresher(channel, adapter),
        sleep=sleep,
        rate_per_second=channel.calls_per_second,
        lease=lease,
    )
    try:
        if (
            not dry_run
            and channel.token_expires_at
            and (channel.token_expires_at < timezone.now() + REFRESH_AHEAD)
        ):
            caller.refresh()
        Pass(channel, caller, kind, dry_run, report, progress).run()
        run.status = SyncRun.Status.PARTIAL if report.errors else SyncRun.Status.OK
    except (MarketplaceError, NeedsReauthorisation, LeaseLost) as error:
        report.error(channel.slug, str(error))  # what was done before stays in the counts
        run.status = SyncRun.Status.FAILED
    except BaseException:
        SyncRun.objects.filter(pk=run.pk).update(
            status=SyncRun.Status.FAILED, finished_at=timezone.now()
        )
        raise
    finally:
        lease.stopped.set()
        release(channel, owner)
    report.counts["calls"] = caller.calls
    run.counts, run.errors = dict(report.counts), report.errors[:200]
    # Kept for a dry run only (sync_channels prints it); the listing rows hold the
    # reasons, and every scheduled pass storing them again would grow the table.
    run.skipped = report.skipped[:1000] if dry_run else []
    run.finished_at = timezone.now()
    with transaction.atomic():
        run.save()
    logger.info("sync %s %s %s", channel.slug, run.status, dict(report.counts))
    return run
