"""The cart page and its forms (they work without JavaScript)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.cart.services import (
    CartError,
    acknowledge_prices,
    add_to_cart,
    load_cart,
    parse_quantity,
    set_quantity,
    view_cart,
)
from shop.cart.session import current_cart, remember_count
from shop.extensions import db

bp = Blueprint("cart", __name__)


def _back(default="cart.show"):
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return redirect(target)
    return redirect(url_for(default))


@bp.get("/cart")
def show():
    cart = current_cart()
    view = view_cart(load_cart(cart.id)) if cart else None
    promos = None
    if view is not None:
        remember_count(view)
        from shop.promotions.services import CartPromotions

        promos = CartPromotions(view, current_user if current_user.is_authenticated else None)
    return render_template("cart/cart.html", view=view, promos=promos)


@bp.post("/cart/add")
def add():
    cart = current_cart(create=True)
    db.session.commit()  # the cart exists even if this addition is refused
    try:
        quantity = parse_quantity(request.form.get("quantity", "1"))
        line = add_to_cart(cart, request.form.get("product", ""), quantity)
        db.session.commit()
        flash(_("%(name)s ditambahkan ke keranjang.", name=line.product.name), "success")
    except CartError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    remember_count(view_cart(load_cart(cart.id)))
    return _back()


@bp.post("/cart/update")
def update():
    cart = current_cart()
    if cart is None:
        return redirect(url_for("cart.show"))
    try:
        quantity = 0 if "remove" in request.form else parse_quantity(request.form.get("quantity"))
        set_quantity(cart, request.form.get("product", ""), quantity)
        db.session.commit()
    except CartError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    remember_count(view_cart(load_cart(cart.id)))
    return redirect(url_for("cart.show"))


@bp.post("/cart/acknowledge")
def acknowledge():
    cart = current_cart()
    if cart is not None:
        acknowledge_prices(cart)
        db.session.commit()
    return redirect(url_for("cart.show"))


@bp.post("/cart/promotion")
def add_promotion():
    from shop.promotions.services import reason_text, set_cart_code

    cart = current_cart(create=True)
    problem = set_cart_code(cart, request.form.get("code"))
    if problem:
        flash(reason_text(problem), "error")
    db.session.commit()
    return redirect(url_for("cart.show"))


@bp.post("/cart/promotion/remove")
def remove_promotion():
    from shop.promotions.services import clear_cart_code

    cart = current_cart()
    if cart is not None:
        clear_cart_code(cart)
        db.session.commit()
    return redirect(url_for("cart.show"))
