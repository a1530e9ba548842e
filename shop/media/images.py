"""Product photos: checked by content, re-encoded without metadata, derived sizes in WebP."""

import io
import secrets
import warnings

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from shop.media.storage import get_storage

# name -> (width, height or None for "keep aspect ratio")
SIZES = {"thumb": (320, 240), "card": (640, 480), "large": (1200, None)}
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own bomb check: warns above, refuses above 2x


class ImageRejected(ValueError):
    """The upload is not an image we accept; the message is safe to show."""


class NotAnImage(ImageRejected):
    """The bytes are no image Pillow can read."""


class WrongFormat(ImageRejected):
    """An image, in a format not accepted here."""


def open_image(data: bytes, formats=ALLOWED_FORMATS) -> tuple[Image.Image, str]:
    """The decoded image and its format, checked by content: a readable image in one of
    `formats`, at most MAX_PIXELS (decompression bombs refused). Raises NotAnImage or
    WrongFormat or ImageRejected (too large) with a message fit to show."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        with probe:
            fmt = probe.format
            if fmt not in formats:
                raise WrongFormat(_("Format foto harus JPEG, PNG atau WebP."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageRejected(_("Ukuran foto terlalu besar."))
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(_("Ukuran foto terlalu besar.")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, ImageRejected):
            raise
        raise NotAnImage(_("Berkas bukan foto yang dapat dibaca.")) from exc
    return image, fmt


def _decode(data: bytes) -> Image.Image:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRejected(_("Foto terlalu besar (maksimal 8 MB)."))
    image, _fmt = open_image(data)
    image = ImageOps.exif_transpose(image)  # honour orientation, then drop EXIF
    return image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")


def store_original(data: bytes, derive_now: bool = True) -> tuple[str, int, int]:
    """Decode, re-encode (no EXIF) and store an upload; returns (storage_key, width, height).

    Derived sizes are made now, or on their first request when `derive_now` is false (bulk
    imports such as the demo seed)."""
    image = _decode(data)
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, "PNG", optimize=True)
        ext = "png"
    else:
        image.save(out, "JPEG", quality=92, optimize=True)
        ext = "jpg"
    key = f"{secrets.token_hex(10)}.{ext}"
    get_storage().save(f"originals/{key}", out.getvalue())
    if derive_now:
        for size in SIZES:
            derive(key, size, image)
    return key, image.width, image.height


def derived_key(storage_key: str, size: str) -> str:
    stem = storage_key.rsplit(".", 1)[0]
    return f"derived/{stem}-{size}.webp"


def derive(storage_key: str, size: str, image: Image.Image | None = None) -> str:
    """Create (or re-create) one derived WebP of an original; returns its storage key."""
    storage = get_storage()
    if image is None:
        with Image.open(io.BytesIO(storage.read(f"originals/{storage_key}"))) as img:
            img.load()
            image = img.copy()
    width, height = SIZES[size]
    if height is None:
        resized = image.copy()
        resized.thumbnail((width, width * 4), Image.Resampling.LANCZOS)
    else:
        resized = ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    resized.save(out, "WEBP", quality=80, method=4)
    key = derived_key(storage_key, size)
    storage.save(key, out.getvalue())
    return key
