"""Decode, verify and re-encode one untrusted image.

Publishers' image URLs are fetched by us and served from our own origin, so whatever a
hostile or broken server sends must end here as either a few freshly encoded pixels or
an ``ImageRejected`` with a short reason. The order of checks matters: cheap checks on
the raw bytes first (size, magic numbers), then the header's dimensions BEFORE any pixel
is decoded (a 1 KB PNG can claim a billion pixels), then a full verify and decode.
Nothing of the original file is passed on: pixels are copied into a new RGB image, so
metadata (EXIF, GPS, ICC, comments) and any payload appended to the file are dropped.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from dataclasses import dataclass, field

from PIL import Image, ImageOps, UnidentifiedImageError

from kiosque.media.variants import VARIANT_WIDTHS

# Pillow plugin names we accept, by the magic numbers that announce them. Everything
# else (SVG, HTML, PDF, TIFF, ICO, PSD...) is refused before Pillow sees it: fewer
# decoders reached by untrusted input, and SVG can carry script.
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "JPEG", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "PNG", "image/png"),
    (b"GIF87a", "GIF", "image/gif"),
    (b"GIF89a", "GIF", "image/gif"),
)

MIN_SIDE = 8  # tracking pixels and spacers are not pictures worth showing
MAX_ASPECT = 12.0  # banners taller or wider than this are decoration, and costly to resize
WEBP_QUALITY = 80
JPEG_QUALITY = 82


class ImageRejected(ValueError):
    """The bytes are not an image we are willing to show; ``reason`` says why, briefly."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class ProcessedImage:
    """What the store keeps of an image: identity, looks, and the bytes we serve."""

    sha256: str  # of the original bytes: the content address
    phash: str  # 64-bit perceptual hash, hex: survives re-encoding and resizing
    width: int
    height: int
    mime: str  # of the original
    variants: dict[str, bytes] = field(default_factory=dict)


def sniff(data: bytes) -> tuple[str, str]:
    """Pillow format name and MIME type from the magic numbers; reject anything else."""
    for magic, fmt, mime in _MAGIC:
        if data.startswith(magic):
            return fmt, mime
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP", "image/webp"
    head = data[:256].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        raise ImageRejected("svg not accepted")
    raise ImageRejected("not an image")


def _open(data: bytes, fmt: str) -> Image.Image:
    """Open lazily (header only) with just the one decoder the magic number named."""
    try:
        return Image.open(io.BytesIO(data), formats=[fmt])
    except Image.DecompressionBombError as exc:
        raise ImageRejected("too many pixels", str(exc)) from exc
    except UnidentifiedImageError as exc:
        raise ImageRejected("not an image", str(exc)) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRejected("corrupt", str(exc)) from exc


def _check_size(img: Image.Image, max_pixels: int) -> None:
    """Refuse from the header alone, before decoding a single pixel."""
    width, height = img.size
    if width <= 0 or height <= 0:
        raise ImageRejected("zero size")
    if width * height > max_pixels:
        raise ImageRejected("too many pixels", f"{width}x{height}")
    if width < MIN_SIDE or height < MIN_SIDE:
        raise ImageRejected("too small", f"{width}x{height}")
    if max(width / height, height / width) > MAX_ASPECT:
        raise ImageRejected("odd shape", f"{width}x{height}")


def _decode(data: bytes, fmt: str, max_pixels: int) -> Image.Image:
    """Verify the structure, then decode the first frame fully into memory."""
    probe = _open(data, fmt)
    _check_size(probe, max_pixels)
    try:
        probe.verify()
    except Exception as exc:  # Pillow raises many types for a damaged file
        raise ImageRejected("corrupt", str(exc) or type(exc).__name__) from exc
    img = _open(data, fmt)  # verify() leaves the image unusable: open again
    _check_size(img, max_pixels)
    try:
        img.seek(0)
        img.load()
    except Image.DecompressionBombError as exc:
        raise ImageRejected("too many pixels", str(exc)) from exc
    except OSError as exc:
        text = str(exc)
        reason = "truncated" if "truncated" in text or "broken data" in text else "corrupt"
        raise ImageRejected(reason, text) from exc
    except Exception as exc:
        raise ImageRejected("corrupt", str(exc) or type(exc).__name__) from exc
    return img


def _to_rgb(img: Image.Image) -> Image.Image:
    """Upright RGB pixels on white, in a new image that carries no metadata at all."""
    with contextlib.suppress(Exception):  # a broken EXIF block must not cost the picture
        img = ImageOps.exif_transpose(img)
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        img = img.point(lambda v: v / 256).convert("L")  # 16-bit grey down to 8 bits
    clean = Image.new("RGB", img.size)
    clean.paste(img.convert("RGB"))
    return clean


def _target_size(width: int, height: int, nominal: int) -> tuple[int, int]:
    """Fit the nominal width, never upscaling."""
    if width <= nominal:
        return width, height
    return nominal, max(1, round(height * nominal / width))


def _encode(img: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "webp":
        img.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    else:
        img.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def make_variants(img: Image.Image) -> dict[str, bytes]:
    """Every variant of ``VARIANTS``; sizes that coincide are encoded once."""
    width, height = img.size
    resized: dict[tuple[int, int], Image.Image] = {}
    encoded: dict[tuple[int, int, str], bytes] = {}
    variants: dict[str, bytes] = {}
    # Largest first, each smaller size from the previous one: cheaper than always
    # resampling the full original, and indistinguishable at these sizes.
    source = img
    for nominal in sorted(VARIANT_WIDTHS, reverse=True):
        size = _target_size(width, height, nominal)
        if size not in resized:
            if size == source.size:
                resized[size] = source
            else:
                resized[size] = source.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            source = resized[size]
        for fmt in VARIANT_WIDTHS[nominal]:
            key = (size[0], size[1], fmt)
            if key not in encoded:
                encoded[key] = _encode(resized[size], fmt)
            variants[f"{nominal}.{fmt}"] = encoded[key]
    return dict(sorted(variants.items()))


def process_image(
    data: bytes, *, max_bytes: int = 10_000_000, max_pixels: int = 40_000_000
) -> ProcessedImage:
    """Turn untrusted bytes into a ``ProcessedImage``, or raise ``ImageRejected``.

    Never raises anything else for bad input: callers store the reason and move on.
    """
    if not data:
        raise ImageRejected("empty")
    if len(data) > max_bytes:
        raise ImageRejected("too large", f"{len(data)} bytes")
    fmt, mime = sniff(data)
    # Imported here: imagehash pulls numpy and scipy, which the web process (it only
    # needs the variant names) should not pay for at start-up.
    import imagehash

    img = _decode(data, fmt, max_pixels)
    try:
        rgb = _to_rgb(img)
        variants = make_variants(rgb)
        phash = str(imagehash.phash(rgb))
    except ImageRejected:
        raise
    except (MemoryError, OSError, ValueError) as exc:
        raise ImageRejected("cannot convert", str(exc) or type(exc).__name__) from exc
    finally:
        img.close()
    return ProcessedImage(
        sha256=hashlib.sha256(data).hexdigest(),
        phash=phash,
        width=rgb.width,
        height=rgb.height,
        mime=mime,
        variants=variants,
    )
