"""Synthetic pictures for the moderation tests (no image comes from anywhere else)."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageDraw


def draw(seed: int, size: tuple[int, int] = (900, 600)) -> Image.Image:
    """A synthetic picture; each seed a different composition."""
    colours = [(210, 50, 50), (50, 170, 70), (40, 70, 210), (240, 210, 50), (25, 25, 25),
               (245, 245, 245)]
    width, height = size
    img = Image.new("RGB", size, colours[seed % len(colours)])
    pen = ImageDraw.Draw(img)
    for i in range(8):
        colour = colours[(i + 2 * seed + 1) % len(colours)]
        x, y = (i * 173 * (seed + 1)) % width, (i * 97 * (seed + 3)) % height
        if (i + seed) % 2:
            pen.rectangle([x, y, x + width // 3, y + height // 4], fill=colour)
        else:
            pen.ellipse([x, y, x + width // 4, y + height // 3], fill=colour)
    return img


def to_bytes(img: Image.Image, fmt: str = "JPEG", **options: Any) -> bytes:
    out = io.BytesIO()
    img.save(out, format=fmt, **options)
    return out.getvalue()
