"""The cart page and its forms (they work without JavaScript)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
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
from shop.core.urls import safe_next

bp = Blueprint("cart", __name__)


def _back(default="cart.show"):
    return redirect(safe_next(request.form.get("next"), url_for(default)))


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
        flash(_("%(name)s ditambahkan ke keranjang.", name=line.product.name), "success")
    except CartError as exc:
        flash(str(exc), "error")
    remember_count(view_cart(load_cart(cart.id)))
    return _back()


@bp.post("/cart/update")
def update():
    cart = current_cart()
    if cart is None:
        return redirect(url_for("cart.show"))
    quantity = 0 if "remove" in request.form else request.form.get("quantity")
    try:
        change_quantity(cart, request.form.get("product", ""), quantity)
    except CartError as exc:
        flash(str(exc), "error")
    remember_count(view_cart(load_cart(cart.id)))
    return redirect(url_for("cart.show"))


@bp.post("/cart/acknowledge")
def acknowledge():
    cart = current_cart()
    if cart is not None:
        acknowledge_prices(cart)
    return redirect(url_for("cart.show"))
