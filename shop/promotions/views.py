"""The promotion code form of the cart page (POST /cart/promotion, /cart/promotion/remove)."""

from flask import Blueprint, flash, redirect, request, url_for

from shop.cart.session import current_cart
from shop.promotions.services import apply_cart_code, reason_text, remove_cart_code

bp = Blueprint("promotions", __name__)


@bp.post("/cart/promotion")
def add_promotion():
    problem = apply_cart_code(current_cart(create=True), request.form.get("code"))
    if problem:
        flash(reason_text(problem), "error")
    return redirect(url_for("cart.show"))


@bp.post("/cart/promotion/remove")
def remove_promotion():
    cart = current_cart()
    if cart is not None:
        remove_cart_code(cart)
    return redirect(url_for("cart.show"))
