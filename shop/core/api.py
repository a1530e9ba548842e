"""The JSON API under /api/v1: the blueprint every area's api.py attaches its routes to, and
the shapes shared by every route (JSON bodies, lists, errors)."""

from flask import Blueprint, request

from shop.core.errors import api_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def json_body():
    """The request's JSON object, or None."""
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


def list_response(items, total, page, per_page):
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def filter_error(exc):
    return api_error(400, exc.message, code="invalid_parameter", field=exc.field)


def register(app):
    """Register the API blueprint: call after every area has attached its routes."""
    from shop.extensions import csrf

    app.register_blueprint(bp)
    csrf.exempt(bp)
