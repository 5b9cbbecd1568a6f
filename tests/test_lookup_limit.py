"""The order-lookup limit counts in the database under row locks: a window per order
number and per phone, shared by every process, never passed by parallel guesses."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from orders import lookup_limit
from orders.models import LookupThrottle


def miss():
    return None


def test_ten_misses_close_the_window_and_a_new_window_opens_later(db):
    for _ in range(lookup_limit.LIMIT):
        assert lookup_limit.look_up("DH1", "0912345678", miss) is None
    with pytest.raises(lookup_limit.TooManyTries):
        lookup_limit.look_up("DH1", "0912345678", miss)
    with pytest.raises(lookup_limit.TooManyTries):  # the same number with another phone
        lookup_limit.look_up("DH1", "0987654321", miss)
    assert lookup_limit.look_up("DH2", "0987654321", miss) is None  # neither is blocked
    over = timezone.now() - datetime.timedelta(seconds=1)
    LookupThrottle.objects.update(window_ends=over)  # the clock moves past the window
    assert lookup_limit.look_up("DH1", "0912345678", miss) is None
    assert LookupThrottle.objects.get(key="number:DH1").failures == 1


def test_prune_forgets_only_finished_windows(db):
    lookup_limit.look_up("DH1", "0912345678", miss)
    LookupThrottle.objects.filter(key="number:DH1").update(
        window_ends=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert lookup_limit.prune(timezone.now()) == 1
    assert list(LookupThrottle.objects.values_list("key", flat=True)) == ["phone:0912345678"]


GUESSERS = 24


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_guesses_never_pass_the_limit():
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is exercised on PostgreSQL (CI runs both)")
    barrier = threading.Barrier(GUESSERS)
    counted: list[int] = []
    refused: list[int] = []
    unexpected: list[BaseException] = []

    def guess(index: int) -> None:
        try:
            barrier.wait()
            lookup_limit.look_up("DH9", f"09000000{index:02d}", miss)
            counted.append(index)
        except lookup_limit.TooManyTries:
            refused.append(index)
        except BaseException as error:  # reported by the assertion below
            unexpected.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(GUESSERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert unexpected == []
    assert (len(counted), len(refused)) == (lookup_limit.LIMIT, GUESSERS - lookup_limit.LIMIT)
    assert LookupThrottle.objects.get(key="number:DH9").failures == lookup_limit.LIMIT
