"""Region codes for the address picker: GET /api/v1/regions (the provinces),
/api/v1/regions/<code> (one region with its parents) and /api/v1/regions/<code>/children.
Static data: answered from memory, no database, cacheable for a day."""

from flask_babel import gettext as _

from shop.core import regions
from shop.core.api import bp, list_response
from shop.core.errors import api_error

CACHE = "public, max-age=86400"


def _list(items):
    body = list_response([r.as_dict() for r in items], len(items), 1, max(len(items), 1))
    return body, 200, {"Cache-Control": CACHE}


def _unknown():
    return api_error(404, _("Kode wilayah tidak dikenal."), code="unknown_region")


@bp.get("/regions", endpoint="regions")
def regions_list():
    return _list(regions.children())


@bp.get("/regions/<code>")
def region(code):
    found = regions.get(code)
    if found is None:
        return _unknown()
    parents, parts = [], code.split(".")
    for n in range(1, found.level):
        parent = regions.get(".".join(parts[:n]), n)
        parents.append({"level": regions.LEVELS[n - 1], **parent.as_dict()})
    body = {"level": regions.LEVELS[found.level - 1], **found.as_dict(), "parents": parents}
    return body, 200, {"Cache-Control": CACHE}


@bp.get("/regions/<code>/children")
def region_children(code):
    items = regions.children(code)
    if items is None:
        return _unknown()
    return _list(items)
