"""The fixed set of variants every stored image has, and their content types.

Names are stable (``"640.webp"``) whatever the size of the original, so templates and
URLs never need to ask which variants exist: an original narrower than a nominal width
is stored at its own width under that name, never upscaled.
"""

from __future__ import annotations

# nominal width -> formats; WebP for every width, JPEG for browsers without WebP at the
# two sizes a list or an article page actually shows.
VARIANT_WIDTHS: dict[int, tuple[str, ...]] = {
    320: ("webp", "jpg"),
    640: ("webp", "jpg"),
    1024: ("webp",),
}

VARIANTS: tuple[str, ...] = tuple(
    f"{width}.{fmt}" for width, fmts in VARIANT_WIDTHS.items() for fmt in fmts
)

VARIANT_MIME: dict[str, str] = {"webp": "image/webp", "jpg": "image/jpeg"}


def variant_mime(variant: str) -> str:
    """Content type of a variant name; ``ValueError`` for a name we never produce."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown image variant {variant!r}")
    return VARIANT_MIME[variant.rsplit(".", 1)[1]]
