"""The signed-in customer's order history."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from shop.core.paging import page_arg
from shop.customer.queries import orders_for_user

bp = Blueprint("customer", __name__, url_prefix="/account")


@bp.get("/orders")
@login_required
def orders():
    page = page_arg()
    rows, has_next = orders_for_user(current_user, page=page)
    return render_template("customer/orders.html", rows=rows, page=page, has_next=has_next)
