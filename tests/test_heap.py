"""heap.settle: start-up objects frozen, later garbage still collected."""

from __future__ import annotations

import gc
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


def test_settle_freezes_survivors_and_later_cycles_are_still_collected(
        unfrozen_after: None) -> None:
    before = _cycle()  # garbage made before: settle's own collection frees it
    frozen = heap.settle()
    assert before() is None
    assert frozen == gc.get_freeze_count() > 1000
    after = _cycle()  # garbage made after: still collected
    gc.collect()
    assert after() is None
    assert gc.get_freeze_count() == frozen
