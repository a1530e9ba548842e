"""Home page, language switch and health check."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, redirect, render_template, request
from sqlalchemy import text

from shop.catalog.queries import category_tree, flagship_products
from shop.core.cache import cached_page
from shop.core.i18n import LANG_COOKIE
from shop.extensions import db
from shop.facilities.queries import active_facility_summaries

bp = Blueprint("core", __name__)


@bp.get("/")
@cached_page
def home():
    return render_template(
        "core/home.html",
        flagships=flagship_products(),
        categories=category_tree(),
        facilities=active_facility_summaries(),
    )


def _safe_next(target):
    """Only same-site relative paths: never an open redirect."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(c) < 32 for c in target):
        return "/"
    return target


@bp.get("/lang/<code>")
def set_language(code):
    response = redirect(_safe_next(request.args.get("next")))
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
