"""A promotion's public landing page (/promo/<slug>): what it gives, when, on which
conditions, and the products it applies to. Approved promotions only; anything else is 404."""

from flask import Blueprint, abort, current_app, render_template

from shop.core.paging import page_arg
from shop.promotions import queries
from shop.promotions.codes import shared_code_of
from shop.promotions.labels import SCOPE_LABELS, state_of

bp = Blueprint("promo", __name__, url_prefix="/promo")


@bp.get("/<slug>")
def landing(slug):
    promotion = queries.approved_promotion(slug)
    if promotion is None:
        abort(404)
    result = queries.products_in_scope(promotion, page_arg(),
                                       current_app.config["PRODUCTS_PER_PAGE"])
    shared_code = shared_code_of(promotion) if promotion.redemption == "code" else None
    return render_template(
        "promo/landing.html", promotion=promotion, state=state_of(promotion), result=result,
        targets=queries.target_names(promotion), shared_code=shared_code,
        scope_labels=SCOPE_LABELS)
