"""heap.settle: start-up objects frozen, later garbage still collected."""

from __future__ import annotations

import gc
import time
import weakref
from collections.abc import Iterator

import pytest

from kiosque import heap


@pytest.fixture
def unfrozen_after() -> Iterator[None]:
    yield
    gc.unfreeze()


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def _collected(ref: weakref.ref[_Node]) -> bool:
    """Collect until ``ref`` dies: gc.collect() does nothing while another thread (a
    test server's) is in the middle of a collection, so one call can come back early."""
    for _ in range(100):
        gc.collect()
        if ref() is None:
            return True
        time.sleep(0.01)
    return False


def test_settle_freezes_survivors_and_later_cycles_are_still_collected(
        unfrozen_after: None) -> None:
    frozen = heap.settle()
    assert frozen > 1000
    after = _cycle()  # garbage made after: still collected
    assert _collected(after)
    # nothing made later joined the frozen set (frozen objects freed by reference
    # counting leave it, so the count may only have gone down)
    assert gc.get_freeze_count() <= frozen
