"""Language switch and health check."""

from flask import Blueprint, current_app, jsonify, redirect, request
from sqlalchemy import text

from shop.core.i18n import LANG_COOKIE
from shop.core.urls import safe_next
from shop.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/lang/<code>")
def set_language(code):
    response = redirect(safe_next(request.args.get("next")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    return response


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        current_app.logger.exception("health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    from shop.core.observability import health_details

    return jsonify(status="ok", database="ok", **health_details())
