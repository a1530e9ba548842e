"""A promotion's public landing page (/promo/<slug>): what it gives, when, on which
conditions, and the products it applies to. Approved promotions only; anything else is 404."""

from flask import Blueprint, abort, current_app, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from shop.catalog.models import Product
from shop.core.paging import Page
from shop.extensions import db
from shop.promotions import manage

bp = Blueprint("promo", __name__, url_prefix="/promo")


def _page_arg() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


@bp.get("/<slug>")
def landing(slug):
    promotion = manage.approved_promotion(slug)
    if promotion is None:
        abort(404)
    per_page = current_app.config["PRODUCTS_PER_PAGE"]
    base = manage.products_in_scope_stmt(promotion)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    pages = max(1, -(-total // per_page))
    page = min(_page_arg(), pages)
    items = list(db.session.scalars(
        base.options(contains_eager(Product.facility), contains_eager(Product.category),
                     selectinload(Product.images))
        .order_by(Product.is_flagship.desc(), Product.name, Product.id)
        .limit(per_page).offset((page - 1) * per_page)
    ).unique())
    shared_code = manage.shared_code_of(promotion) if promotion.redemption == "code" else None
    return render_template(
        "promo/landing.html", promotion=promotion, state=manage.state_of(promotion),
        result=Page(items=items, total=total, page=page, per_page=per_page),
        targets=manage.target_names(promotion), shared_code=shared_code,
        scope_labels=manage.SCOPE_LABELS)
