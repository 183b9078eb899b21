"""Generated pictures for the image pipeline tests: no file from anywhere else."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import Engine

from tests.databases import BACKENDS, migrated_engine


def draw_picture(width: int, height: int, seed: int = 0) -> Image.Image:
    """A busy synthetic 'photo'; different seeds give visibly different compositions."""
    palette = [(200, 40, 40), (40, 160, 60), (30, 60, 200), (230, 200, 40), (20, 20, 20),
               (240, 240, 240), (150, 60, 170), (40, 190, 190)]
    img = Image.new("RGB", (width, height), palette[seed % len(palette)])
    draw = ImageDraw.Draw(img)
    step = 1 + seed % 5
    for i in range(10):
        colour = palette[(i * step + seed * 3 + 1) % len(palette)]
        x = (i * 131 * (seed + 1)) % width
        y = (i * 71 * (seed + 2)) % height
        if (i + seed) % 3 == 0:
            draw.rectangle([x, y, x + width // 3, y + height // 5], fill=colour)
        elif (i + seed) % 3 == 1:
            draw.ellipse([x, y, x + width // 4, y + height // 3], fill=colour)
        else:
            draw.polygon([(x, y), (width - x, y // 2), (x // 2, height - y)], fill=colour)
    return img


def encode(img: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    img.save(out, format=fmt, **options)
    return out.getvalue()


@pytest.fixture
def picture() -> Callable[..., Image.Image]:
    return draw_picture


@pytest.fixture
def to_bytes() -> Callable[..., bytes]:
    return encode


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database as in production: SQLite in a temp dir, and a fresh
    PostgreSQL database when KIOSQUE_TEST_PG_URL offers a server."""
    yield from migrated_engine(request.param, f"sqlite:///{tmp_path / 'kiosque.db'}",
                               "kiosque_media")
