"""Lead images: a gradient with a few shapes, deterministic from the article number.

Real photos cannot ship with the project, but image handling (fetching, sizing,
perceptual hashes for duplicate pictures) still needs real JPEG bytes that differ from
one article to the next and repeat exactly for the same article.
"""

from __future__ import annotations

import io
import random
import threading
from collections import OrderedDict

from PIL import Image, ImageDraw, ImageOps

WIDTH, HEIGHT = 600, 400


def render_image(n: int, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """JPEG bytes of the lead image of article ``n``."""
    rng = random.Random(n * 2654435761)

    def color() -> tuple[int, int, int]:
        return (rng.randrange(256), rng.randrange(256), rng.randrange(256))

    gradient = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270)))
    image = ImageOps.colorize(gradient.resize((width, height)), color(), color())
    draw = ImageDraw.Draw(image)
    for _ in range(3 + rng.randrange(5)):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1, y1 = x0 + rng.randrange(40, 260), y0 + rng.randrange(40, 200)
        if rng.random() < 0.5:
            draw.ellipse((x0, y0, x1, y1), fill=color())
        else:
            draw.rectangle((x0, y0, x1, y1), fill=color())
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


class ImageCache:
    """A small thread-safe LRU of rendered images (rendering costs a few milliseconds)."""

    def __init__(self, capacity: int = 512) -> None:
        self._capacity = capacity
        self._items: OrderedDict[int, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, n: int) -> bytes:
        with self._lock:
            if n in self._items:
                self._items.move_to_end(n)
                return self._items[n]
        data = render_image(n)
        with self._lock:
            self._items[n] = data
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return data
