"""The cart page and its forms (they work without JavaScript)."""

from contextlib import suppress

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.cart.pricing import price_cart
from shop.cart.services import (
    CartError,
    acknowledge_prices,
    add_item,
    change_quantity,
    load_cart,
    view_cart,
)
from shop.cart.session import current_cart, remember_count
from shop.core.i18n import current_locale
from shop.core.urls import safe_next

bp = Blueprint("cart", __name__)


def _back(default="cart.show"):
    return redirect(safe_next(request.form.get("next"), url_for(default)))


def _wants_json() -> bool:
    """The list pages' script adds to the cart with fetch (the buyer keeps their place)."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == \
        "application/json"


def _customer():
    return current_user if current_user.is_authenticated else None


@bp.get("/cart")
def show():
    cart = current_cart()
    view = view_cart(load_cart(cart.id)) if cart else None
    pricing = None
    if view is not None:
        remember_count(view)
        pricing = price_cart(view, _customer())
    return render_template("cart/cart.html", view=view, pricing=pricing)


@bp.post("/cart/add")
def add():
    cart = current_cart(create=True)
    try:
        line = add_item(cart, request.form.get("product", ""), request.form.get("quantity", "1"))
        message, ok = _("%(name)s ditambahkan ke keranjang.",
                        name=line.product.localized_name(current_locale())), True
    except CartError as exc:
        message, ok = str(exc), False
    view = view_cart(load_cart(cart.id))
    remember_count(view)
    if _wants_json():
        return jsonify(ok=ok, message=message, count=view.item_count), 200 if ok else 422
    flash(message, "success" if ok else "error")
    return _back()


@bp.post("/cart/update")
def update():
    cart = current_cart()
    if cart is None:
        return redirect(url_for("cart.show"))
    quantity = 0 if "remove" in request.form else request.form.get("quantity")
    step = request.form.get("step")  # the stepper's − / + buttons (no JavaScript needed)
    if step in ("-1", "1") and quantity is not None:
        # a number that is not one is left as it is: change_quantity tells the buyer
        with suppress(ValueError):
            quantity = max(int(quantity) + int(step), 1)
    try:
        change_quantity(cart, request.form.get("product", ""), quantity)
    except CartError as exc:
        flash(str(exc), "error")
    remember_count(view_cart(load_cart(cart.id)))
    slug = request.form.get("product", "")
    keep_place = "remove" not in request.form and slug.replace("-", "").isalnum()
    return redirect(url_for("cart.show", _anchor=f"line-{slug}" if keep_place else None))


@bp.post("/cart/acknowledge")
def acknowledge():
    cart = current_cart()
    if cart is not None:
        acknowledge_prices(cart)
    return redirect(url_for("cart.show"))
