"""Serves derived product photos with long cache headers (their URLs never change).

Media sits below every area: it does not know which table records an original. The area that
stores photos registers a lookup (`register_original_lookup`), stem -> (storage key, framing)
or None.

A URL names one stem and one size, and what it serves never changes: a photo framed anew gets a
new stem (shop.media.images.reframe_original), so no cache keeps showing the old framing."""

import io
import re

from flask import Blueprint, abort, current_app, has_request_context, request, send_file, url_for

from shop.media.images import SIZES, derive, derived_key
from shop.media.storage import content_type, get_storage, read_signed

bp = Blueprint("media", __name__, url_prefix="/media")
STEM_RE = re.compile(r"^[0-9a-f]{20}$")
ONE_YEAR = 365 * 24 * 3600
LOOKUP_KEY = "media.original_lookup"


def register_original_lookup(app, lookup):
    """`lookup(stem)` returns (storage key, framing) of the original photo with that stem
    ("fill" or "fit", see shop.media.images.derive), or None."""
    app.extensions[LOOKUP_KEY] = lookup


def _original(stem):
    lookup = current_app.extensions.get(LOOKUP_KEY)
    found = lookup(stem) if lookup is not None else None
    return found if found is not None else (None, None)


@bp.get("/<stem>/<size>.webp")
def derived(stem, size):
    if size not in SIZES or not STEM_RE.match(stem):
        abort(404)
    storage = get_storage()
    key = f"derived/{stem}-{size}.webp"
    if not storage.exists(key):
        original, framing = _original(stem)
        if original is None or not storage.exists(f"originals/{original}"):
            abort(404)
        key = derive(original, size, framing=framing)
    response = storage.send(key, mimetype="image/webp", max_age=ONE_YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@bp.get("/signed/<token>")
def signed_file(token):
    """A private file (payment proof) through a short-lived link made by
    LocalStorage.presigned_url; with MEDIA_BACKEND=s3 the bucket's presigned URL is used."""
    key = read_signed(token)
    storage = get_storage()
    if key is None or not storage.exists(key):
        abort(404)
    response = send_file(io.BytesIO(storage.read(key)), mimetype=content_type(key), max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


_URL_PATTERNS: dict = {}  # script root -> the derived photo URL with placeholders
_PLAIN = re.compile(r"^[0-9A-Za-z_-]+$")


def image_url(image, size="card"):
    """The URL of a derived size of the photo; the URL's pattern is built once per script root
    (a product page asks for five of them, an API page for three per photo)."""
    stem = image.storage_key.rsplit(".", 1)[0]
    if not has_request_context() or not _PLAIN.match(stem) or size not in SIZES:
        return url_for("media.derived", stem=stem, size=size)
    pattern = _URL_PATTERNS.get(request.script_root)
    if pattern is None:
        pattern = _URL_PATTERNS[request.script_root] = url_for(
            "media.derived", stem="__stem__", size="__size__")
    return pattern.replace("__stem__", stem).replace("__size__", size)


__all__ = ["bp", "image_url", "derived_key", "register_original_lookup"]
