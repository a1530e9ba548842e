"""Fixtures for the promotion tests: partner promotions made directly in the database (already
approved and live unless told otherwise), shoppers' carts with a code, orders placed with it."""

import itertools

import pytest
from flask import g
from flask.testing import FlaskClient

from tests.factories import ADDRESS, CONTACT, PASSWORD

_seq = itertools.count(1)


class FreshClient(FlaskClient):
    """Requests share the test's app context: forget the user Flask-Login cached in `g`."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    return FreshClient(app, app.response_class, use_cookies=True)


def sign_in(client, email):
    response = client.post("/account/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert "/account/login" not in response.headers["Location"]


@pytest.fixture
def place_with_code(app, gen_rates):
    """Place an order through the services for {product: quantity} with a code on the cart.
    Returns (order, token); raises CheckoutError like place_order, except promotion_unavailable:
    that answer is kept in `place_with_code.told` and the order is placed again at full price
    (as a customer would), unless retry=False."""
    from shop.cart.services import cart_for_user, create_cart, load_cart, set_quantity
    from shop.checkout.addresses import validate_details
    from shop.checkout.services import CheckoutError, place_order
    from shop.extensions import db

    def do(items, code=None, delivery=None, user=None, email=None, retry=True):
        cart = (cart_for_user(user) if user else None) or create_cart(user)
        for product, quantity in items.items():
            set_quantity(cart, product.slug, quantity)
        cart.promotion_code = code.upper() if code else None
        db.session.commit()
        delivery = delivery or {product.facility.slug: "pickup" for product in items}
        contact = {**CONTACT, "email": email} if email else CONTACT
        details, errors = validate_details(contact, ADDRESS)
        assert not errors, errors
        try:
            return place_order(load_cart(cart.id), details, delivery, user=user)
        except CheckoutError as exc:
            if not retry or exc.code != "promotion_unavailable":
                raise
            do.told.append(exc)  # told, and the code is off the cart: buy at full price
            return place_order(load_cart(cart.id), details, delivery, user=user)

    do.told = []
    return do


def api_cart(client, items, code=None):
    """A cart made through the API with {slug: quantity} and optionally a code; its token."""
    token = client.post("/api/v1/carts").get_json()["token"]
    for slug, quantity in items.items():
        response = client.put(f"/api/v1/carts/{token}/lines/{slug}", json={"quantity": quantity})
        assert response.status_code == 200, response.get_json()
    if code is not None:
        response = client.post(f"/api/v1/carts/{token}/promotion", json={"code": code})
        assert response.status_code == 200, response.get_json()
    return token


def assert_totals_consistent(order):
    """fo.total = subtotal + shipping - discount, the order adds its parcels up, and every
    rupiah of discount is in exactly one ParcelDiscount row and one Redemption."""
    from sqlalchemy import func, select

    from shop.extensions import db
    from shop.promotions.models import ParcelDiscount, Redemption

    for fo in order.facility_orders:
        assert fo.total == fo.subtotal + fo.shipping - fo.discount
        assert 0 <= fo.discount <= fo.subtotal + fo.shipping
        parts = db.session.scalar(select(func.coalesce(func.sum(ParcelDiscount.amount), 0))
                                  .where(ParcelDiscount.facility_order_id == fo.id))
        assert parts == fo.discount
    assert order.subtotal == sum(fo.subtotal for fo in order.facility_orders)
    assert order.shipping_total == sum(fo.shipping for fo in order.facility_orders)
    assert order.discount_total == sum(fo.discount for fo in order.facility_orders)
    assert order.total == sum(fo.total for fo in order.facility_orders)
    assert order.total == order.subtotal + order.shipping_total - order.discount_total
    redeemed = db.session.scalar(select(func.coalesce(func.sum(Redemption.discount), 0))
                                 .where(Redemption.order_id == order.id))
    assert redeemed == order.discount_total


@pytest.fixture
def goods(gen_facility, gen_category, gen_product, gen_rates):
    """Two facilities: Lapas Perempuan Ternate (food, in a subcategory of Pangan) and Lapas
    Sanana (crafts). Both ship; Ternate's courier to the test address is Rp10.000."""
    from types import SimpleNamespace

    ternate = gen_rates(gen_facility(slug="lpp-ternate", name="Lapas Perempuan Ternate",
                                       town="Ternate", regency="Kota Ternate"))
    sanana = gen_rates(gen_facility(slug="lapas-sanana", name="Lapas Sanana", town="Sanana",
                                      regency="Kabupaten Kepulauan Sula"))
    pangan = gen_category("Pangan", slug="pangan")
    olahan = gen_category("Makanan Olahan", slug="makanan-olahan", parent=pangan)
    kerajinan = gen_category("Kerajinan", slug="kerajinan")
    return SimpleNamespace(
        ternate=ternate, sanana=sanana, pangan=pangan, olahan=olahan, kerajinan=kerajinan,
        roa=gen_product(facility=ternate, category=olahan, slug="sambal-roa", name="Sambal Roa",
                         price=45_000, stock=50, weight_grams=250),
        kue=gen_product(facility=ternate, category=olahan, slug="kue-sagu", name="Kue Sagu",
                         price=20_000, stock=50, weight_grams=250),
        tas=gen_product(facility=sanana, category=kerajinan, slug="tas-anyaman",
                         name="Tas Anyaman", price=150_000, stock=50, weight_grams=600),
    )
