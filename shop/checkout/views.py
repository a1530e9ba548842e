"""Checkout: details and delivery per facility, a review, then the order and the pay page."""

import json

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.cart.services import load_cart, view_cart
from shop.cart.session import current_cart, remember_count
from shop.checkout import region_picker
from shop.checkout.addresses import PROVINCES, REGION_FIELDS, validate_details
from shop.checkout.services import CheckoutError, place_order, quote
from shop.extensions import db, limiter
from shop.orders.access import remember_order_token
from shop.payments.gateway import GatewayUnavailable
from shop.payments.methods import enabled_methods, explain
from shop.payments.services import start_payment

bp = Blueprint("checkout", __name__)
CONTACT_FIELDS = ("name", "email", "phone")
ADDRESS_FIELDS = ("street", "rt_rw", "postal_code", *REGION_FIELDS)


def _initial_values():
    values = {}
    if current_user.is_authenticated:
        values.update(name=current_user.name, email=current_user.email, phone=current_user.phone)
        if current_user.saved_address:
            values.update(region_picker.from_saved(json.loads(current_user.saved_address)))
    return values


def _read_form(view):
    form = request.form
    contact = {key: form.get(key, "") for key in CONTACT_FIELDS}
    address = {key: form.get(key, "") for key in ADDRESS_FIELDS}
    delivery = {g.facility.slug: form.get(f"delivery-{g.facility.slug}", "") for g in view.groups}
    return contact, address, delivery, form.get("note", "")


def _review_discounts(view, quotes, email):
    """The promotions the order would get (the same engine as place_order): per facility
    [(promotion name, rupiah off)], and for the whole order [(name, rupiah off)]."""
    from shop.promotions.services import customer_for, evaluate, lines_of

    customer = customer_for(_user(), email)
    shipping = {q.group.facility.id: q.shipping for q in quotes if q.delivery == "courier"}
    outcome, _code = evaluate(view, customer, shipping)
    lines, per_facility = lines_of(view), {}
    for made in outcome.offers:
        for facility_id, amount in made.per_facility(lines).items():
            if amount > 0:
                per_facility.setdefault(facility_id, []).append((made.rules.name, amount))
    return per_facility, [(made.rules.name, made.amount) for made in outcome.offers]


def _payment_choices(quotes, chosen):
    """The enabled ways to pay for the review: [(method, explanation, fits)], and the code
    checked (the one asked for if it fits, else the first that fits)."""
    deliveries = [q.delivery for q in quotes]
    choices = [(m, explain(m), m.fits(deliveries)) for m in enabled_methods()]
    fitting = [m.code for m, _text, fits in choices if fits]
    return choices, chosen if chosen in fitting else (fitting[0] if fitting else None)


def _render(view, values, errors=None, quotes=None, status=200, email=None):
    values = region_picker.suggest_postal_code(region_picker.trim_choices(values))
    discounts, order_discounts = _review_discounts(view, quotes, email) if quotes else ({}, [])
    choices, chosen = _payment_choices(quotes, values.get("payment_method")) if quotes else (
        [], None)
    return render_template(
        "checkout/checkout.html", view=view, values=values, errors=errors or {},
        provinces=PROVINCES, quotes=quotes, discounts=discounts, order_discounts=order_discounts,
        region_options=region_picker.options(values),
        subtotal=sum(q.group.subtotal for q in quotes) if quotes else None,
        shipping_total=sum(q.shipping for q in quotes) if quotes else None,
        grand_total=sum(q.total for q in quotes) - sum(a for _n, a in order_discounts)
        if quotes else None,
        payment_choices=choices, chosen_method=chosen,
    ), status


@bp.route("/checkout", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def checkout():
    cart = current_cart()
    view = view_cart(load_cart(cart.id)) if cart else None
    if view is None or view.is_empty:
        flash(_("Keranjang belanja masih kosong."), "info")
        return redirect(url_for("cart.show"))
    if request.method == "GET":
        return _render(view, _initial_values())
    contact, address, delivery, note = _read_form(view)
    payment_method = request.form.get("payment_method") or None
    values = {**contact, **address, "note": note, "payment_method": payment_method,
              **{f"delivery-{k}": v for k, v in delivery.items()}}
    if request.form.get("action") == "region":  # the next step of the address picker
        return _render(view, values)
    details, errors = validate_details(contact, address, note, require_region=True)
    quotes = None
    if details is not None:
        quotes, delivery_errors = quote(view, delivery, details.city, details.province,
                                        details.regency_code)
        errors.update({k.replace("delivery.", "delivery-"): v for k, v in delivery_errors.items()})
    else:  # report a missing delivery choice together with the address errors
        errors.update({f"delivery-{g.facility.slug}":
                       _("Pilih kurir atau ambil di tempat untuk %(facility)s.",
                         facility=g.facility.name)
                       for g in view.groups
                       if delivery[g.facility.slug] not in ("courier", "pickup")})
    if errors or not view.can_checkout:
        return _render(view, values, errors, status=422)
    if request.form.get("action") != "place":
        return _render(view, values, quotes=quotes, email=details.email)  # the review step
    try:
        order, token = place_order(cart, details, delivery, user=_user(),
                                   payment_method=payment_method)
    except CheckoutError as exc:
        if exc.code == "invalid_payment_method":  # the review again, nothing written
            return _render(view, values, {"payment_method": exc.message}, quotes=quotes,
                           status=422, email=details.email)
        flash(exc.message, "error")
        view = view_cart(load_cart(cart.id))
        return _render(view, values, {k.replace("delivery.", "delivery-"): v
                                      for k, v in exc.fields.items()}, status=409)
    _save_address(details)
    remember_order_token(order.number, token)
    remember_count(view_cart(load_cart(cart.id)))
    try:
        start_payment(order)
    except GatewayUnavailable:
        current_app.logger.exception("payment could not start for %s", order.number)
    return redirect(url_for("payments.pay", number=order.number))


def _user():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _save_address(details):
    if current_user.is_authenticated:
        current_user.saved_address = json.dumps(details.address_dict())
        if not current_user.phone:
            current_user.phone = details.phone
        db.session.commit()


