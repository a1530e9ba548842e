"""The JSON API under /api/v1: the blueprint every area's api.py attaches its routes to, and
the shapes shared by every route (JSON bodies, lists, errors)."""

from flask import Blueprint, request

from shop.core.errors import api_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def json_body():
    """The request's JSON object, or None. Whole numbers written with a fraction (`2.0`) are
    integers, as JSON Schema counts them (the API document says "integer")."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return None
    return {key: _whole(value) for key, value in data.items()}


def _whole(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole(item) for key, item in value.items()}
    return value


def list_response(items, total, page, per_page):
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def filter_error(exc):
    return api_error(400, exc.message, code="invalid_parameter", field=exc.field)


def register(app):
    """Register the API blueprint: call after every area has attached its routes."""
    from shop.extensions import csrf

    app.register_blueprint(bp)
    csrf.exempt(bp)
