"""Checkout through the API and the page: the order written, the numbers on it, bad input."""

import re

import pytest
from sqlalchemy import func, select

from shop.cart.models import CartLine
from shop.orders.models import FacilityOrder, Order, OrderLine
from tests.catalog.test_api import assert_matches
from tests.factories import ADDRESS, CONTACT, REGION, checkout_body


@pytest.fixture
def goods(gen_facility, gen_category, gen_product, gen_rates):
    ternate = gen_rates(gen_facility(slug="lpp-ternate", name="Lapas Perempuan Ternate",
                                       town="Ternate", regency="Kota Ternate"))
    sanana = gen_rates(gen_facility(slug="lapas-sanana", name="Lapas Sanana", town="Sanana",
                                      regency="Kabupaten Kepulauan Sula"))
    cat = gen_category("Umum", slug="umum")
    return {
        "roa": gen_product(facility=ternate, category=cat, slug="sambal-roa", price=45_000,
                            stock=10, weight_grams=250, name="Sambal Roa"),
        "tisu": gen_product(facility=sanana, category=cat, slug="kotak-tisu", price=150_000,
                             stock=3, weight_grams=1200, name="Kotak Tisu"),
        "sayur": gen_product(facility=sanana, category=cat, slug="sayur", price=15_000,
                              stock=5, weight_grams=500, is_perishable=True, name="Sayur"),
    }


def cart_with(client, items):
    token = client.post("/api/v1/carts").get_json()["token"]
    for slug, quantity in items.items():
        response = client.put(f"/api/v1/carts/{token}/lines/{slug}", json={"quantity": quantity})
        assert response.status_code == 200, response.get_json()
    return token


def count(db_session, model):
    return db_session.scalar(select(func.count()).select_from(model))


def test_checkout_writes_one_facility_order_per_facility(client, goods, db_session):
    token = cart_with(client, {"sambal-roa": 2, "kotak-tisu": 1})
    response = client.post(f"/api/v1/carts/{token}/checkout", json=checkout_body(
        {"lpp-ternate": "courier", "lapas-sanana": "pickup"}, note="Tolong dibungkus rapi"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert_matches(body, "Order")
    assert re.fullmatch(r"EB-[0-9A-Z]{6}", body["number"])
    assert body["status"] == "pending_payment" and len(body["token"]) >= 30
    parcels = {p["facility"]: p for p in body["facility_orders"]}
    # Ternate ships in its own town: 500 g -> first kilogram Rp10.000
    assert parcels["lpp-ternate"] == {**parcels["lpp-ternate"], "subtotal": 90_000,
                                      "shipping": 10_000, "total": 100_000,
                                      "status": "awaiting_payment", "delivery": "courier"}
    assert parcels["lapas-sanana"]["shipping"] == 0
    assert {p["number"] for p in body["facility_orders"]} == {f"{body['number']}-1",
                                                               f"{body['number']}-2"}
    assert body["total"] == 100_000 + 150_000
    assert body["payment"] is None  # no gateway in this test: placed, paid later

    order = db_session.scalar(select(Order).where(Order.number == body["number"]))
    assert order.phone == "+6281234567890" and order.note == "Tolong dibungkus rapi"
    assert order.token_hash != body["token"]  # only a hash is stored
    lines = db_session.scalars(select(OrderLine).order_by(OrderLine.product_slug)).all()
    assert [(line.product_slug, line.product_name, line.unit_price, line.quantity)
            for line in lines] == [("kotak-tisu", "Kotak Tisu", 150_000, 1),
                                   ("sambal-roa", "Sambal Roa", 45_000, 2)]
    db_session.expire_all()
    assert goods["roa"].stock == 8 and goods["tisu"].stock == 2
    assert count(db_session, CartLine) == 0  # the cart is emptied once the order exists

    seen = client.get(f"/api/v1/orders/{body['number']}",
                      headers={"X-Order-Token": body["token"]})
    assert seen.status_code == 200
    assert_matches(seen.get_json(), "Order")
    ternate = next(p for p in seen.get_json()["facility_orders"]
                   if p["facility"] == "lpp-ternate")
    assert ternate["lines"][0]["unit_price"] == 45_000 and ternate["courier"] is None


def test_order_needs_its_token(client, goods):
    token = cart_with(client, {"sambal-roa": 1})
    body = client.post(f"/api/v1/carts/{token}/checkout",
                       json=checkout_body({"lpp-ternate": "pickup"})).get_json()
    for headers in [{}, {"X-Order-Token": "salah"}, {"X-Order-Token": body["token"][:-1]}]:
        response = client.get(f"/api/v1/orders/{body['number']}", headers=headers)
        assert response.status_code == 404
    assert client.get(f"/orders/{body['number']}").status_code == 404  # a fresh visitor
    page = client.get(f"/orders/{body['number']}?token={body['token']}")
    assert page.status_code == 200 and body["number"] in page.get_data(as_text=True)


def test_shipping_by_zone_and_weight(client, goods):
    token = cart_with(client, {"kotak-tisu": 2})  # 2,400 g from Sanana
    jakarta = dict(ADDRESS, city="Jakarta Selatan", province="DKI Jakarta")
    body = client.post(f"/api/v1/carts/{token}/checkout", json=checkout_body(
        {"lapas-sanana": "courier"}, address=jakarta)).get_json()
    # rest of Indonesia: 55.000 first kg + 2 x 22.000
    assert body["facility_orders"][0]["shipping"] == 99_000


def test_perishables_only_pickup_or_same_town(client, goods):
    token = cart_with(client, {"sayur": 1})
    response = client.post(f"/api/v1/carts/{token}/checkout",
                           json=checkout_body({"lapas-sanana": "courier"}))
    assert response.status_code == 422
    assert "Produk segar" in response.get_json()["error"]["fields"]["delivery.lapas-sanana"]
    sula = dict(ADDRESS, city="Kabupaten Kepulauan Sula")
    ok = client.post(f"/api/v1/carts/{token}/checkout",
                     json=checkout_body({"lapas-sanana": "courier"}, address=sula))
    assert ok.status_code == 201


def test_out_of_stock_is_409_and_nothing_is_written(client, goods, db_session):
    token = cart_with(client, {"kotak-tisu": 3, "sambal-roa": 1})
    goods["tisu"].stock = 2  # someone bought one meanwhile
    db_session.commit()
    response = client.post(f"/api/v1/carts/{token}/checkout", json=checkout_body(
        {"lpp-ternate": "pickup", "lapas-sanana": "pickup"}))
    assert response.status_code == 409
    # the cart now shows the problem, checkout is blocked
    assert response.get_json()["error"]["code"] in ("cart_has_problems", "out_of_stock")
    db_session.expire_all()
    assert count(db_session, Order) == 0 and count(db_session, FacilityOrder) == 0
    assert goods["roa"].stock == 10 and goods["tisu"].stock == 2  # no half-taken stock
    assert count(db_session, CartLine) == 2


def test_stock_gone_between_cart_and_order_lists_the_products(client, goods, db_session,
                                                                monkeypatch):
    from shop.cart import services as cart_services

    token = cart_with(client, {"kotak-tisu": 2, "sambal-roa": 1})
    real_view = cart_services.view_cart

    def view_then_sell_out(cart):
        view = real_view(cart)
        goods["tisu"].stock = 1  # another buyer wins the race after the cart was read
        db_session.commit()
        return view

    monkeypatch.setattr("shop.checkout.services.view_cart", view_then_sell_out)
    response = client.post(f"/api/v1/carts/{token}/checkout", json=checkout_body(
        {"lpp-ternate": "pickup", "lapas-sanana": "pickup"}))
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "out_of_stock" and error["products"] == ["kotak-tisu"]
    db_session.expire_all()
    assert goods["roa"].stock == 10 and goods["tisu"].stock == 1
    assert count(db_session, Order) == 0


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("not json", 400, "invalid_body"),
        ([], 400, "invalid_body"),
        ({"contact": CONTACT}, 400, "invalid_body"),
        ({"contact": "x", "address": ADDRESS, "delivery": {}}, 400, "invalid_body"),
        (checkout_body({"lpp-ternate": "pickup"}, contact={**CONTACT, "email": "x"}), 422,
         "invalid_details"),
        (checkout_body({"lpp-ternate": "pickup"}, address={**ADDRESS, "postal_code": "1"}),
         422, "invalid_details"),
        (checkout_body({"lpp-ternate": "drone"}), 422, "invalid_delivery"),
        (checkout_body({}), 422, "invalid_delivery"),
        (checkout_body({"lpp-ternate": "pickup", "lapas-sanana": "pickup"}), 422,
         "invalid_delivery"),
    ],
)
def test_bad_checkout_input_changes_nothing(client, goods, db_session, body, status, code):
    token = cart_with(client, {"sambal-roa": 1})
    if body == "not json":
        response = client.post(f"/api/v1/carts/{token}/checkout", data="{oops",
                               content_type="application/json")
    else:
        response = client.post(f"/api/v1/carts/{token}/checkout", json=body)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["code"] == code
    db_session.expire_all()
    assert count(db_session, Order) == 0 and goods["roa"].stock == 10


def test_empty_cart_and_unknown_cart(client, goods):
    token = client.post("/api/v1/carts").get_json()["token"]
    response = client.post(f"/api/v1/carts/{token}/checkout", json=checkout_body({}))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "empty_cart"
    assert client.post("/api/v1/carts/nope/checkout",
                       json=checkout_body({})).status_code == 404


def test_tampered_prices_are_ignored(client, goods):
    token = cart_with(client, {"sambal-roa": 1})
    body = checkout_body({"lpp-ternate": "pickup"}, total=1, price=1, subtotal=1,
                         lines=[{"product": "sambal-roa", "price": 1}])
    placed = client.post(f"/api/v1/carts/{token}/checkout", json=body).get_json()
    assert placed["total"] == 45_000


def test_checkout_page_review_then_place(client, goods, db_session):
    client.post("/cart/add", data={"product": "sambal-roa", "quantity": "2"})
    client.post("/cart/add", data={"product": "kotak-tisu", "quantity": "1"})
    assert "Pengiriman per Lapas/Rutan" in client.get("/checkout").get_data(as_text=True)
    form = {**CONTACT, **ADDRESS, **REGION, "delivery-lpp-ternate": "courier",
            "delivery-lapas-sanana": "pickup", "total": "1", "price": "1"}
    review = client.post("/checkout", data=form)
    html = review.get_data(as_text=True)
    assert review.status_code == 200 and "Ringkasan pesanan" in html
    assert "Rp100.000" in html and "Rp250.000" in html  # Ternate parcel, grand total
    assert count(db_session, Order) == 0  # the review writes nothing
    placed = client.post("/checkout", data={**form, "action": "place"})
    assert placed.status_code == 302 and "/pay" in placed.location
    order = db_session.scalar(select(Order))
    assert order.total == 250_000 and len(order.facility_orders) == 2
    page = client.get(placed.location.replace("/pay", ""))
    assert page.status_code == 200  # the browser that ordered may see it without a token
    assert "Menunggu pembayaran" in page.get_data(as_text=True)


def test_checkout_page_shows_field_errors(client, goods, db_session):
    client.post("/cart/add", data={"product": "sambal-roa", "quantity": "1"})
    form = {**CONTACT, **ADDRESS, **REGION, "phone": "12345", "postal_code": "abc",
            "delivery-lpp-ternate": "courier", "action": "place"}
    response = client.post("/checkout", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nomor HP harus diawali +62 atau 08" in html
    assert "Kode pos terdiri dari 5 angka." in html
    assert 'aria-invalid="true"' in html
    assert count(db_session, Order) == 0


def test_empty_cart_checkout_page_redirects(client):
    response = client.get("/checkout")
    assert response.status_code == 302 and response.location == "/cart"
