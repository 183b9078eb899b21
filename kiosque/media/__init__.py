"""Image pipeline: turn untrusted bytes from publishers into a few safe, small variants.

Readers never load third-party images; everything they see went through
``process_image``, which decodes, verifies, strips and re-encodes. The package is pure
(bytes in, bytes out) so it can be tested with hostile inputs and reused by any runner.
"""

from kiosque.media.phash import PHASH_MAX_DISTANCE, phash_distance, phash_near
from kiosque.media.process import (
    ImageRejected,
    ProcessedImage,
    process_image,
)
from kiosque.media.variants import VARIANT_MIME, VARIANTS, variant_mime

__all__ = [
    "PHASH_MAX_DISTANCE",
    "VARIANTS",
    "VARIANT_MIME",
    "ImageRejected",
    "ProcessedImage",
    "phash_distance",
    "phash_near",
    "process_image",
    "variant_mime",
]
