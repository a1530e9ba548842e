"""The signed-in customer's order history."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from shop.core.paging import page_arg
from shop.customer.queries import covers_for, orders_for_user

bp = Blueprint("customer", __name__, url_prefix="/account")


@bp.get("/orders")
@login_required
def orders():
    page = page_arg()
    orders, has_next = orders_for_user(current_user, page=page)
    return render_template("customer/orders.html", orders=orders, covers=covers_for(orders),
                           page=page, has_next=has_next,
                           unverified=current_user.email_verified_at is None)
