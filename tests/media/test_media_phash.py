"""Perceptual hashes: the same picture re-encoded or resized stays close, others do not."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from PIL import Image

from kiosque.media import PHASH_MAX_DISTANCE, phash_distance, phash_near, process_image


def test_distance_counts_differing_bits() -> None:
    assert phash_distance("0000000000000000", "0000000000000000") == 0
    assert phash_distance("ffffffffffffffff", "0000000000000000") == 64
    assert phash_distance("0000000000000003", "0000000000000001") == 1
    with pytest.raises(ValueError):
        phash_distance("00", "0000")
    assert not phash_near("00", "0000")
    assert not phash_near("zz", "00")


@pytest.mark.parametrize(
    "fmt,options,size",
    [
        ("JPEG", {"quality": 25}, (900, 600)),
        ("WEBP", {"quality": 40}, (450, 300)),
        ("PNG", {}, (1350, 900)),
        ("JPEG", {"quality": 60}, (301, 201)),
    ],
)
def test_reencoded_or_resized_copy_is_near(
    picture: Callable[..., Image.Image],
    to_bytes: Callable[..., bytes],
    fmt: str,
    options: dict[str, int],
    size: tuple[int, int],
) -> None:
    original = picture(900, 600, seed=1)
    first = process_image(to_bytes(original, "JPEG", quality=92))
    copy = process_image(to_bytes(original.resize(size), fmt, **options))
    assert copy.sha256 != first.sha256
    assert phash_near(first.phash, copy.phash)


def test_different_pictures_are_far(
    picture: Callable[..., Image.Image], to_bytes: Callable[..., bytes]
) -> None:
    hashes = [process_image(to_bytes(picture(640, 400, seed=s), "PNG")).phash for s in range(6)]
    for a, b in itertools.combinations(hashes, 2):
        assert phash_distance(a, b) > PHASH_MAX_DISTANCE * 2
