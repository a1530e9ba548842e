"""Serves derived product photos with long cache headers (their URLs never change)."""

import re

from flask import Blueprint, abort, send_file

from shop.catalog.queries import image_by_stem
from shop.media.images import SIZES, derive, derived_key
from shop.media.storage import get_storage

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
    response = send_file(storage.local_path(key), mimetype="image/webp", max_age=ONE_YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def image_url(image, size="card"):
    from flask import url_for

    stem = image.storage_key.rsplit(".", 1)[0]
    return url_for("media.derived", stem=stem, size=size)


__all__ = ["bp", "image_url", "derived_key"]
