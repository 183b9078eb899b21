"""process_image: good pictures become clean variants; hostile bytes become ImageRejected."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import zlib
from collections.abc import Callable

import pytest
from PIL import Image

from kiosque.media import VARIANTS, ImageRejected, process_image, variant_mime

Picture = Callable[..., Image.Image]
ToBytes = Callable[..., bytes]


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int, payload: bytes = b"\x00" * 64) -> bytes:
    """A PNG whose header claims any size, with a tiny compressed body."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(payload))
        + png_chunk(b"IEND", b"")
    )


def opened(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_jpeg_gives_every_variant_with_right_sizes(picture: Picture, to_bytes: ToBytes) -> None:
    data = to_bytes(picture(1600, 900), "JPEG", quality=90)
    result = process_image(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert (result.width, result.height, result.mime) == (1600, 900, "image/jpeg")
    assert set(result.variants) == set(VARIANTS)
    for name, blob in result.variants.items():
        img = opened(blob)
        nominal = int(name.split(".")[0])
        assert img.width == nominal
        assert abs(img.height - round(900 * nominal / 1600)) <= 1
        assert img.mode == "RGB"
        expected = {"image/webp": "WEBP", "image/jpeg": "JPEG"}[variant_mime(name)]
        assert img.format == expected
    assert len(result.phash) == 16
    int(result.phash, 16)


def test_small_original_is_never_upscaled(picture: Picture, to_bytes: ToBytes) -> None:
    result = process_image(to_bytes(picture(400, 300), "PNG"))
    sizes = {name: opened(blob).size for name, blob in result.variants.items()}
    assert sizes["320.webp"] == (320, 240)
    assert sizes["640.webp"] == (400, 300)
    assert sizes["1024.webp"] == (400, 300)
    assert result.mime == "image/png"


@pytest.mark.parametrize("fmt,mime", [("GIF", "image/gif"), ("WEBP", "image/webp")])
def test_other_accepted_formats(picture: Picture, to_bytes: ToBytes, fmt: str, mime: str) -> None:
    result = process_image(to_bytes(picture(700, 400), fmt))
    assert result.mime == mime
    assert opened(result.variants["640.jpg"]).size == (640, 366)


def test_metadata_is_stripped_and_orientation_applied(picture: Picture) -> None:
    img = picture(600, 300)
    exif = Image.Exif()
    exif[0x010E] = "generated description with secret words"  # ImageDescription
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes(), comment=b"a comment")
    result = process_image(out.getvalue())
    assert (result.width, result.height) == (300, 600)  # displayed upright
    for blob in result.variants.values():
        assert b"secret words" not in blob
        assert b"a comment" not in blob
        variant = opened(blob)
        assert not variant.getexif()
        assert "icc_profile" not in variant.info


def test_transparency_is_flattened_on_white(to_bytes: ToBytes) -> None:
    img = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    result = process_image(to_bytes(img, "PNG"))
    pixel = opened(result.variants["320.jpg"]).getpixel((50, 50))
    assert isinstance(pixel, tuple)
    assert min(pixel) > 240


def test_sixteen_bit_grey_and_cmyk_are_converted(picture: Picture, to_bytes: ToBytes) -> None:
    grey16 = picture(120, 90).convert("I").point(lambda v: v * 256).convert("I;16")
    assert process_image(to_bytes(grey16, "PNG")).width == 120
    cmyk = picture(120, 90).convert("CMYK")
    assert opened(process_image(to_bytes(cmyk, "JPEG")).variants["320.jpg"]).mode == "RGB"


def test_truncated_jpeg(picture: Picture, to_bytes: ToBytes) -> None:
    data = to_bytes(picture(800, 600), "JPEG")
    with pytest.raises(ImageRejected) as caught:
        process_image(data[: len(data) // 2])
    assert caught.value.reason in {"truncated", "corrupt"}


def test_png_bomb_is_refused_before_decoding(to_bytes: ToBytes) -> None:
    bomb = to_bytes(Image.new("1", (9000, 9000), 0), "PNG")  # 81 Mpx of one colour
    assert len(bomb) < 100_000
    with pytest.raises(ImageRejected) as caught:
        process_image(bomb)
    assert caught.value.reason == "too many pixels"


def test_bomb_beyond_pillow_own_limit(to_bytes: ToBytes) -> None:
    bomb = to_bytes(Image.new("1", (20000, 10000), 0), "PNG")  # 200 Mpx > Pillow's error
    with pytest.raises(ImageRejected) as caught:
        process_image(bomb, max_pixels=10**10)
    assert caught.value.reason == "too many pixels"


def test_huge_dimensions_claimed_by_header() -> None:
    with pytest.raises(ImageRejected) as caught:
        process_image(png_claiming(100_000, 100_000))
    assert caught.value.reason == "too many pixels"


def test_header_with_zero_width() -> None:
    with pytest.raises(ImageRejected):
        process_image(png_claiming(0, 50))


def test_header_size_that_does_not_match_the_data() -> None:
    with pytest.raises(ImageRejected) as caught:
        process_image(png_claiming(300, 200))
    assert caught.value.reason in {"truncated", "corrupt"}


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", "empty"),
        (b"<!doctype html><html><body><script>alert(1)</script></body></html>", "not an image"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "svg not accepted"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "svg not accepted"),
        (b"%PDF-1.7\n" + b"0" * 200, "not an image"),
        (b"\x00" * 1000, "not an image"),
    ],
)
def test_things_that_are_not_images(data: bytes, reason: str) -> None:
    with pytest.raises(ImageRejected) as caught:
        process_image(data)
    assert caught.value.reason == reason


def test_polyglot_gif_header_with_html_body() -> None:
    data = b"GIF89a" + b"<html><script>alert(document.cookie)</script></html>" * 4
    with pytest.raises(ImageRejected):
        process_image(data)


def test_payload_appended_to_a_real_image_is_not_served(
    picture: Picture, to_bytes: ToBytes
) -> None:
    payload = b"<script>alert('appended')</script>"
    data = to_bytes(picture(300, 200), "JPEG") + payload
    result = process_image(data)  # the picture itself is fine
    assert all(payload not in blob for blob in result.variants.values())


def test_too_large_in_bytes(picture: Picture, to_bytes: ToBytes) -> None:
    data = to_bytes(picture(300, 200), "PNG")
    with pytest.raises(ImageRejected) as caught:
        process_image(data, max_bytes=len(data) - 1)
    assert caught.value.reason == "too large"


def test_tracking_pixel_and_odd_banner(to_bytes: ToBytes) -> None:
    with pytest.raises(ImageRejected) as caught:
        process_image(to_bytes(Image.new("RGB", (1, 1)), "GIF"))
    assert caught.value.reason == "too small"
    with pytest.raises(ImageRejected) as caught:
        process_image(to_bytes(Image.new("RGB", (4000, 20)), "PNG"))
    assert caught.value.reason == "odd shape"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_random_corruption_never_crashes(picture: Picture, to_bytes: ToBytes, fmt: str) -> None:
    good = to_bytes(picture(160, 120, seed=3), fmt)
    rng = random.Random(f"fuzz-{fmt}")
    outcomes = {"ok": 0, "rejected": 0}
    for _ in range(40):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(8, len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(16, len(data))]
        try:
            process_image(bytes(data))
            outcomes["ok"] += 1
        except ImageRejected:
            outcomes["rejected"] += 1
    assert outcomes["ok"] + outcomes["rejected"] == 40


def test_animated_gif_keeps_its_first_frame(to_bytes: ToBytes) -> None:
    frames = [Image.new("RGB", (120, 80), colour) for colour in ((250, 0, 0), (0, 0, 250))]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    result = process_image(out.getvalue())
    pixel = opened(result.variants["320.jpg"]).getpixel((60, 40))
    assert isinstance(pixel, tuple)
    assert pixel[0] > 200 and pixel[2] < 60  # red, the first frame
