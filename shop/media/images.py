"""Product photos: checked by content, re-encoded without metadata, derived sizes in WebP.

The fixed-size derivatives (thumb, card: 4:3) are framed one of two ways, chosen per photo:
"fill" crops the photo to fill the frame; "fit" keeps the whole photo and pads it with the
cards' background colour. The large size always keeps the whole photo."""

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
FRAMINGS = ("fill", "fit")
FRAME_RATIO = 4 / 3  # the thumb and card sizes
# "fit" pads with the product cards' background (--card in static/css/shop.css).
PAD_COLOUR = (255, 255, 255)
# A photo that "fill" would cut by more than this share (a portrait, a square, a panorama) is
# framed "fit" unless the staff choose otherwise: never cut silently.
MAX_SILENT_CROP = 0.2


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


def crop_share(width: int, height: int) -> float:
    """The share of the photo that "fill" cuts away to make it 4:3 (0 for a 4:3 photo)."""
    if width <= 0 or height <= 0:
        return 0.0
    ratio = width / height
    return 1 - min(ratio, FRAME_RATIO) / max(ratio, FRAME_RATIO)


def default_framing(width: int, height: int) -> str:
    """The framing a photo gets unless the staff choose: "fit" when it is far from 4:3 (a
    3:4 portrait would lose 44 % to "fill", a square 25 %), else "fill"."""
    return "fit" if crop_share(width, height) > MAX_SILENT_CROP else "fill"


def check_framing(framing: str | None, width: int, height: int) -> str:
    if framing is None:
        return default_framing(width, height)
    if framing not in FRAMINGS:
        raise ValueError(f"unknown framing: {framing!r}")
    return framing


def store_original(data: bytes, derive_now: bool = True,
                   framing: str | None = None) -> tuple[str, int, int, str]:
    """Decode, re-encode (no EXIF) and store an upload; returns (storage_key, width, height,
    framing). `framing` None picks `default_framing` for the photo.

    Derived sizes are made now, or on their first request when `derive_now` is false (bulk
    imports such as the demo seed)."""
    image = _decode(data)
    framing = check_framing(framing, image.width, image.height)
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
            derive(key, size, image, framing)
    return key, image.width, image.height, framing


def reframe_original(storage_key: str, framing: str) -> str:
    """Store the same original under a new key and derive its sizes in `framing`; returns the
    new key. Derived URLs are immutable (browsers, nginx and the bucket keep them a year), so a
    new framing needs new URLs: the key, and with it every URL, changes. The caller records
    the new key, then `discard_original`s the old one."""
    if framing not in FRAMINGS:
        raise ValueError(f"unknown framing: {framing!r}")
    storage = get_storage()
    data = storage.read(f"originals/{storage_key}")
    key = f"{secrets.token_hex(10)}.{storage_key.rsplit('.', 1)[-1]}"
    storage.save(f"originals/{key}", data)
    image = _load_original(data)
    for size in SIZES:
        derive(key, size, image, framing)
    return key


def discard_original(storage_key: str) -> None:
    """Delete an original and its derived sizes (no longer named by any record)."""
    storage = get_storage()
    for size in SIZES:
        storage.delete(derived_key(storage_key, size))
    storage.delete(f"originals/{storage_key}")


def _load_original(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        return img.copy()


def derived_key(storage_key: str, size: str) -> str:
    stem = storage_key.rsplit(".", 1)[0]
    return f"derived/{stem}-{size}.webp"


def _pad(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    colour = (*PAD_COLOUR, 255) if image.mode == "RGBA" else PAD_COLOUR
    return ImageOps.pad(image, size, Image.Resampling.LANCZOS, color=colour)


def derive(storage_key: str, size: str, image: Image.Image | None = None,
           framing: str = "fill") -> str:
    """Create (or re-create) one derived WebP of an original, framed "fill" (cropped to the
    size) or "fit" (whole, padded); returns its storage key."""
    storage = get_storage()
    if image is None:
        image = _load_original(storage.read(f"originals/{storage_key}"))
    width, height = SIZES[size]
    if height is None:
        resized = image.copy()
        resized.thumbnail((width, width * 4), Image.Resampling.LANCZOS)
    elif framing == "fit":
        resized = _pad(image, (width, height))
    else:
        resized = ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    resized.save(out, "WEBP", quality=80, method=4)
    key = derived_key(storage_key, size)
    storage.save(key, out.getvalue())
    return key
