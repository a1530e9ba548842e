"""Placing an order: one transaction that takes the stock and writes the whole order."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from shop.cart.services import CartView, FacilityGroup, empty_cart, view_cart
from shop.catalog.stock import take_for_sale
from shop.checkout import shipping
from shop.checkout.addresses import CheckoutDetails
from shop.core.i18n import N_, current_locale
from shop.core.money import format_rupiah
from shop.core.text import email_identity
from shop.core.time import utcnow
from shop.core.tokens import hash_token, new_order_number, new_token
from shop.extensions import db
from shop.orders.models import FacilityOrder, FacilityOrderEvent, Order, OrderLine
from shop.orders.promotion_figures import has_paid_orders
from shop.payments.methods import UnknownMethod, choose
from shop.promotions.services import (
    PromotionUnavailable,
    clear_cart_code,
    customer_for,
    evaluate,
    lines_of,
    redeem,
)

DELIVERY_CHOICES = ("courier", "pickup")
# A code that stopped applying between the cart and the order: the customer is told.
CODE_LOST_AT_CHECKOUT = {"used_up", "already_used", "expired", "paused", "first_order"}


class CheckoutError(ValueError):
    """The order cannot be placed as asked; `message` is Indonesian, `fields` name the inputs."""

    def __init__(self, message, code="invalid_checkout", fields=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}


class OutOfStock(CheckoutError):
    def __init__(self, products):
        names = ", ".join(p.localized_name(current_locale()) for p in products)
        super().__init__(_("Stok habis atau tidak cukup: %(names)s.", names=names),
                         code="out_of_stock")
        self.products = products


@dataclass
class ParcelQuote:
    group: FacilityGroup
    delivery: str
    zone: str | None
    shipping: int

    @property
    def total(self):
        return self.group.subtotal + self.shipping


def quote(view: CartView, delivery: dict, city: str, province: str, regency_code: str = ""):
    """Shipping per facility for the chosen delivery; returns (quotes, {field: message}).
    `regency_code`: the Kemendagri code of the address's regency, when picked from the list."""
    errors, quotes = {}, []
    facility_ids = [group.facility.id for group in view.groups]
    rates = shipping.rates_for(facility_ids) if facility_ids else {}
    for group in view.groups:
        facility = group.facility
        field = f"delivery.{facility.slug}"
        choice = delivery.get(facility.slug) if isinstance(delivery, dict) else None
        if choice not in DELIVERY_CHOICES:
            errors[field] = _("Pilih kurir atau ambil di tempat untuk %(facility)s.",
                              facility=facility.name)
            continue
        if choice == "pickup":
            quotes.append(ParcelQuote(group, "pickup", None, 0))
            continue
        zone = shipping.zone_for(facility, city, province, regency_code)
        if group.has_perishable and zone != "same_town":
            errors[field] = _("Produk segar dari %(facility)s hanya bisa diambil di tempat "
                              "atau dikirim dalam kota.", facility=facility.name)
            continue
        rate = rates.get((facility.id, zone))
        if rate is None:
            errors[field] = _("%(facility)s belum melayani kiriman ke wilayah ini.",
                              facility=facility.name)
            continue
        charge = shipping.charge(rate, group.weight_grams)
        quotes.append(ParcelQuote(group, "courier", zone, charge))
    return quotes, errors


def _take_stock(view: CartView):
    """Take each line's quantity; returns (rows by product id, the products that were short)."""
    taken, missing_ids = take_for_sale((line.product.id, line.quantity) for line in view.lines)
    by_id = {line.product.id: line.product for line in view.lines}
    return taken, [by_id[product_id] for product_id in missing_ids]


def place_order(cart, details: CheckoutDetails, delivery: dict, user=None, payment_method=None):
    """Create the order in one transaction and return (order, access_token).

    `payment_method` is a code of shop.payments.methods (default: the first enabled one that
    fits); it decides how long the stock is held. An unknown, disabled or unfitting method is
    refused before anything is written (CheckoutError code invalid_payment_method).

    Guarantees: stock is taken with conditional updates, so it is never sold twice; prices are
    those of the products at this moment; the order, its facility orders and lines are written
    together with the stock change or not at all; the cart is emptied only if the order exists.
    """
    view = view_cart(cart)
    if view.is_empty:
        raise CheckoutError(_("Keranjang belanja kosong."), code="empty_cart")
    if not view.can_checkout:
        short = [line.product for line in view.lines
                 if {"sold_out", "not_enough_stock"} & set(line.problems)]
        if short and not any("unavailable" in line.problems for line in view.lines):
            raise OutOfStock(short)
        raise CheckoutError(_("Ada produk yang habis atau tidak dijual lagi; hapus dulu dari "
                            "keranjang."), code="cart_has_problems")
    quotes, errors = quote(view, delivery, details.city, details.province,
                           details.regency_code)
    extra = set(delivery) - {g.facility.slug for g in view.groups} if isinstance(
        delivery, dict) else set()
    if extra:
        errors["delivery"] = _("Pilihan pengiriman untuk Lapas/Rutan yang tidak ada di keranjang.")
    if errors:
        raise CheckoutError(_("Periksa pilihan pengiriman."), code="invalid_delivery",
                            fields=errors)
    try:
        method = choose(payment_method, [q.delivery for q in quotes])
    except UnknownMethod as exc:
        raise CheckoutError(str(exc.message), code="invalid_payment_method",
                            fields={"payment_method": str(exc.message)}) from None
    try:
        taken, missing = _take_stock(view)
        if missing:
            raise OutOfStock(missing)
        order, token = _write_order(quotes, taken, details, user, method)
        _apply_promotions(order, view, quotes, taken, details, user)
        if method.code == "card" and order.total < current_app.config["MIN_ORDER_TOTAL"]:
            raise CheckoutError(
                _("Total belanja minimal %(amount)s untuk pembayaran kartu.",
                  amount=format_rupiah(current_app.config["MIN_ORDER_TOTAL"])),
                code="below_minimum")
        empty_cart(cart)
        db.session.commit()
    except PromotionUnavailable as exc:
        db.session.rollback()
        clear_cart_code(cart)  # the retry goes through at full price
        db.session.commit()
        raise CheckoutError(exc.message, code="promotion_unavailable") from exc
    except Exception:
        db.session.rollback()
        raise
    return order, token


def _apply_promotions(order, view, quotes, taken, details, user):
    """Re-validate the promotions with the prices and shipping just taken, and record them."""
    asked = []  # the customer is looked up only when a promotion could apply

    def ask_customer():
        asked.append(customer_for(user, details.email, has_paid_orders=has_paid_orders(
            user, details.email, besides=order.id)))
        return asked[-1]

    shipping = {q.group.facility.id: q.shipping for q in quotes if q.delivery == "courier"}
    prices = {product_id: row.price for product_id, row in taken.items()}
    outcome, code = evaluate(view, ask_customer, shipping, prices=prices)
    if code is not None and outcome.code_refusal in CODE_LOST_AT_CHECKOUT:
        raise PromotionUnavailable(code.promotion, outcome.code_refusal)
    if outcome.offers:
        redeem(order, outcome, lines_of(view, prices), asked[-1], code)
        db.session.flush()


def _write_order(quotes, taken, details: CheckoutDetails, user, method):
    """The order, its parcels, their lines and first events: one INSERT for the order, one per
    parcel (their ids are needed), one for all lines and one for all events."""
    now = utcnow()
    token = new_token()
    order = Order(
        token_hash=hash_token(token), user_id=user.id if user else None,
        status="pending_payment", contact_name=details.name, email=details.email,
        email_key=email_identity(details.email) or details.email.lower(),
        phone=details.phone, street=details.street, rt_rw=details.rt_rw,
        kelurahan=details.kelurahan, kecamatan=details.kecamatan, city=details.city,
        province=details.province, postal_code=details.postal_code, note=details.note,
        village_code=details.village_code,
        subtotal=0, shipping_total=0, discount_total=0, total=0,
        payment_method=method.code, expires_at=now + method.hold(),
        language=current_locale(),
    )
    lines = {}
    for index, parcel in enumerate(quotes, start=1):
        lines[index] = [_line_row(taken[view_line.product.id], view_line.quantity)
                        for view_line in parcel.group.lines]
        subtotal = sum(row["line_total"] for row in lines[index])
        order.facility_orders.append(FacilityOrder(
            number="", facility=parcel.group.facility, status="awaiting_payment",
            delivery=parcel.delivery, shipping_zone=parcel.zone, subtotal=subtotal,
            shipping=parcel.shipping, discount=0, total=subtotal + parcel.shipping,
            weight_grams=sum(row["weight_grams"] for row in lines[index]),
        ))
    order.subtotal = sum(fo.subtotal for fo in order.facility_orders)
    order.shipping_total = sum(fo.shipping for fo in order.facility_orders)
    order.total = order.subtotal + order.shipping_total - order.discount_total
    _insert_numbered(order)
    parcels = list(enumerate(order.facility_orders, start=1))
    # render_nulls: one statement for every line, with or without an English name
    db.session.execute(insert(OrderLine).execution_options(render_nulls=True), [
        {**row, "facility_order_id": fo.id} for index, fo in parcels for row in lines[index]])
    db.session.execute(insert(FacilityOrderEvent), [
        {"facility_order_id": fo.id, "to_status": "awaiting_payment",
         "actor": N_("pelanggan"), "note": N_("Pesanan dibuat"), "created_at": now}
        for _index, fo in parcels])
    for fo in order.facility_orders:  # written above: read from the database when asked
        db.session.expire(fo, ["lines", "events"])
    return order, token


def _line_row(row, quantity):
    return {"product_id": row.id, "product_slug": row.slug, "product_name": row.name,
            "product_name_en": row.name_en,
            "unit": row.unit, "unit_price": row.price, "quantity": quantity,
            "line_total": row.price * quantity, "weight_grams": row.weight_grams * quantity}


def _insert_numbered(order):
    """Insert the order and its parcels under a fresh order number: no SELECT to check it
    first; on the rare clash with an existing number, another is drawn."""
    while True:
        order.number = new_order_number()
        for index, fo in enumerate(order.facility_orders, start=1):
            fo.number = f"{order.number}-{index}"
        try:
            with db.session.begin_nested():
                db.session.add(order)
                db.session.flush()
            return
        except IntegrityError:
            clash = select(Order.id).where(Order.number == order.number)
            if db.session.scalar(clash) is None:
                raise
