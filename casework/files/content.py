"""What an upload really is, read from its bytes: photos are decoded and re-encoded, PDFs checked.

The file's name and the Content-Type the browser sent are never trusted.
Re-encoding a photo drops everything but the pixels (and the colour
profile): EXIF, including the GPS position of where it was taken, never
reaches the disk. Photos are turned upright first, then shrunk to
``max_edge`` pixels on their longest side.
"""

import io
import warnings
from dataclasses import dataclass
from enum import StrEnum

from PIL import Image, ImageOps, UnidentifiedImageError


class FileKind(StrEnum):
    """The kinds of file a feature may accept."""

    IMAGE = "image"
    PDF = "pdf"


@dataclass(frozen=True)
class Format:
    """A stored format: its Pillow name (None for PDF), Content-Type and extension."""

    kind: FileKind
    pillow: str | None
    content_type: str
    extension: str


FORMATS = (
    Format(FileKind.IMAGE, "JPEG", "image/jpeg", ".jpg"),
    Format(FileKind.IMAGE, "PNG", "image/png", ".png"),
    Format(FileKind.IMAGE, "WEBP", "image/webp", ".webp"),
    Format(FileKind.PDF, None, "application/pdf", ".pdf"),
)
_BY_PILLOW = {format_.pillow: format_ for format_ in FORMATS if format_.pillow}
# Modes each format can store as they are; anything else is converted to the first.
_MODES = {"JPEG": ("RGB", "L"), "PNG": ("RGBA", "RGB", "LA", "L"), "WEBP": ("RGBA", "RGB")}
# Pixels decoded at most (a 48-megapixel phone photo fits); larger is refused before decoding.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Content:
    """An upload made safe to store: its format and the bytes to write."""

    format: Format
    data: bytes


def _image(data, max_edge):
    """The photo re-encoded without metadata, upright and at most ``max_edge`` pixels; None when no photo."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(_BY_PILLOW)) as image:
                if image.width * image.height > MAX_PIXELS:
                    return None
                return _reencode(image, _BY_PILLOW[image.format], max_edge)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError, ValueError):
        # Truncated or corrupt data, or a decoder refusing it: not a photo we can keep.
        return None


def _reencode(image, format_, max_edge):
    """Decodes ``image`` and writes its pixels again in its own format; nothing else is carried over."""
    profile = image.info.get("icc_profile")
    # Shrunk before anything else decodes it, so a very large JPEG decodes at a reduced scale;
    # the box is square, so which way up the photo is does not matter.
    image.thumbnail((max_edge, max_edge))
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in _MODES[format_.pillow]:
        alpha = "A" in upright.mode or "transparency" in upright.info
        upright = upright.convert("RGBA" if alpha and "RGBA" in _MODES[format_.pillow] else "RGB")
    options = {"quality": JPEG_QUALITY} if format_.pillow in ("JPEG", "WEBP") else {}
    if profile:
        options["icc_profile"] = profile
    out = io.BytesIO()
    # No exif= and no pnginfo=: Pillow writes no metadata it is not handed.
    upright.save(out, format_.pillow, **options)
    return Content(format_, out.getvalue())


def _pdf(data):
    """The PDF as sent, when it starts and ends like one; else None."""
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]:
        return Content(FORMATS[-1], data)
    return None


def identify(data, kinds, max_edge):
    """The upload as it will be stored, if it is one of ``kinds``; None otherwise."""
    if FileKind.PDF in kinds and data.startswith(b"%PDF-"):
        return _pdf(data)
    if FileKind.IMAGE in kinds:
        return _image(data, max_edge)
    return None
