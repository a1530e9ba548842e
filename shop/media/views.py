"""Serves derived product photos with long cache headers (their URLs never change)."""

import io
import re

from flask import Blueprint, abort, send_file

from shop.catalog.queries import image_by_stem
from shop.media.images import SIZES, derive, derived_key
from shop.media.storage import content_type, get_storage, read_signed

bp = Blueprint("media", __name__, url_prefix="/media")
STEM_RE = re.compile(r"^[0-9a-f]{20}$")
ONE_YEAR = 365 * 24 * 3600


@bp.get("/<stem>/<size>.webp")
def derived(stem, size):
    if size not in SIZES or not STEM_RE.match(stem):
        abort(404)
    storage = get_storage()
    image = None
    key = f"derived/{stem}-{size}.webp"
    if not storage.exists(key):
        image = image_by_stem(stem)
        if image is None or not storage.exists(f"originals/{image.storage_key}"):
            abort(404)
        key = derive(image.storage_key, size)
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


def image_url(image, size="card"):
    from flask import url_for

    stem = image.storage_key.rsplit(".", 1)[0]
    return url_for("media.derived", stem=stem, size=size)


__all__ = ["bp", "image_url", "derived_key"]
