"""The in-memory facet snapshot follows catalogue changes, but at most every few seconds
per process, so a burst of orders does not rebuild it on every request (fake clock)."""

import pytest

from catalogue.storefront import facet_counts


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(facet_counts, "_current", None)
    monkeypatch.setattr(facet_counts.time, "monotonic", lambda: now[0])
    return now


def test_snapshot_follows_changes_at_most_every_few_seconds(
    settings, clock, coop, make_product, django_capture_on_commit_callbacks
):
    settings.STOREFRONT_FACETS_MIN_RELOAD_SECONDS = 5
    with django_capture_on_commit_callbacks(execute=True):
        make_product(coop.page, title="Chè A")
    first = facet_counts.snapshot()
    assert len(first.row_of) == 1

    with django_capture_on_commit_callbacks(execute=True):
        make_product(coop.page, title="Chè B")
    clock[0] += 1
    assert facet_counts.snapshot() is first  # changed, but rebuilt a second ago

    clock[0] += 5
    second = facet_counts.snapshot()
    assert len(second.row_of) == 2
    assert facet_counts.snapshot() is second  # nothing changed since: kept


def test_snapshot_is_rebuilt_after_its_maximum_age_even_without_a_known_change(clock, coop):
    first = facet_counts.snapshot()
    clock[0] += facet_counts.SNAPSHOT_SECONDS + 1
    assert facet_counts.snapshot() is not first
