"""GET /api/v1/impact?year=YYYY (contract in ARCHITECTURE.md, "Public impact")."""

from flask import jsonify, request
from flask_babel import gettext as _

from shop.core.api import bp
from shop.core.errors import api_error
from shop.impact import queries


@bp.get("/impact")
def impact():
    raw = request.args.get("year", "").strip()
    if not raw:
        year = queries.default_year()
    elif raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= 2100:
        year = int(raw)
    else:
        return api_error(400, _("Tahun harus berupa angka 2000-2100."), "invalid_year")
    return jsonify(queries.impact(year).as_json())
