"""Promotions at checkout: the discount split over the facility orders and recorded once, the
refund of a cancelled parcel, limits re-checked inside the order's transaction (single-use
codes, per-customer limits by account and by email, total uses, budget)."""

import pytest
from sqlalchemy import func, select, update

from shop.extensions import db
from shop.orders.models import FacilityOrder, Order
from shop.promotions.models import ParcelDiscount, Promotion, PromotionCode, Redemption
from tests.factories import checkout_body
from tests.promotions.conftest import api_cart, assert_totals_consistent

CODE = "HEMAT10"
BOTH = {"lpp-ternate": "courier", "lapas-sanana": "pickup"}


def checkout(client, token, delivery=None, **contact):
    body = checkout_body(delivery or {"lpp-ternate": "pickup"})
    body["contact"].update(contact)
    return client.post(f"/api/v1/carts/{token}/checkout", json=body)


def order_row(number):
    db.session.expire_all()
    return db.session.scalar(select(Order).where(Order.number == number))


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def fresh(promotion):
    db.session.expire_all()
    return db.session.get(Promotion, promotion.id)


# ------------------------------------------------------------------ the order carries the shares

def test_each_facility_order_carries_its_share(client, goods, gen_promotion):
    promotion = gen_promotion(code=CODE, value=10, funding="partner")
    token = api_cart(client, {goods.roa.slug: 2, goods.tas.slug: 1}, code="hemat10")

    response = checkout(client, token, BOTH)

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    parcels = {p["facility"]: p for p in body["facility_orders"]}
    # 10% of 240.000 over 90.000 : 150.000; Ternate's courier (Rp10.000) is not discounted
    assert {k: parcels["lpp-ternate"][k] for k in ("subtotal", "shipping", "discount",
                                                   "total")} == {
        "subtotal": 90_000, "shipping": 10_000, "discount": 9_000, "total": 91_000}
    assert {k: parcels["lapas-sanana"][k] for k in ("subtotal", "shipping", "discount",
                                                    "total")} == {
        "subtotal": 150_000, "shipping": 0, "discount": 15_000, "total": 135_000}
    assert parcels["lpp-ternate"]["discounts"] == [
        {"promotion": promotion.slug, "amount": 9_000, "shipping_part": 0, "funding": "partner"}]
    assert parcels["lapas-sanana"]["discounts"] == [
        {"promotion": promotion.slug, "amount": 15_000, "shipping_part": 0,
         "funding": "partner"}]
    assert (body["subtotal"], body["shipping_total"], body["discount_total"], body["total"]) == (
        240_000, 10_000, 24_000, 226_000)

    order = order_row(body["number"])
    assert_totals_consistent(order)
    assert count(ParcelDiscount) == 2
    [redemption] = db.session.scalars(select(Redemption)).all()
    code = db.session.scalar(select(PromotionCode))
    assert (redemption.order_id, redemption.promotion_id, redemption.code_id,
            redemption.customer_key, redemption.discount) == (
        order.id, promotion.id, code.id, "email:budi@example.com", 24_000)
    promotion = fresh(promotion)
    assert (promotion.uses, promotion.discount_given) == (1, 24_000)

    seen = client.get(f"/api/v1/orders/{body['number']}", headers={"X-Order-Token": body["token"]})
    assert [p["discounts"] for p in seen.get_json()["facility_orders"]] == [
        p["discounts"] for p in body["facility_orders"]]


def test_free_shipping_reduces_only_the_courier_parcel(client, goods, gen_promotion):
    promotion = gen_promotion(code="ONGKIR", benefit="free_shipping", value=0,
                               funding="facility")
    token = api_cart(client, {goods.roa.slug: 2, goods.tas.slug: 1}, code="ongkir")

    response = checkout(client, token, BOTH)

    assert response.status_code == 201, response.get_json()
    parcels = {p["facility"]: p for p in response.get_json()["facility_orders"]}
    assert parcels["lpp-ternate"]["discount"] == parcels["lpp-ternate"]["shipping"] == 10_000
    assert parcels["lpp-ternate"]["total"] == parcels["lpp-ternate"]["subtotal"] == 90_000
    assert parcels["lpp-ternate"]["discounts"] == [
        {"promotion": promotion.slug, "amount": 10_000, "shipping_part": 10_000,
         "funding": "facility"}]
    assert parcels["lapas-sanana"]["discount"] == 0
    assert parcels["lapas-sanana"]["discounts"] == []
    assert_totals_consistent(order_row(response.get_json()["number"]))


def test_an_automatic_promotion_is_recorded_without_a_code(client, goods, gen_promotion):
    promotion = gen_promotion(value=20, targets=[goods.ternate], name="Hari Bakti")
    token = api_cart(client, {goods.roa.slug: 1, goods.kue.slug: 1, goods.tas.slug: 1})

    response = checkout(client, token, BOTH)

    assert response.status_code == 201, response.get_json()
    order = order_row(response.get_json()["number"])
    assert_totals_consistent(order)
    by_facility = {fo.facility.slug: fo.discount for fo in order.facility_orders}
    assert by_facility == {"lpp-ternate": 13_000, "lapas-sanana": 0}  # 20% of 65.000
    [redemption] = db.session.scalars(select(Redemption)).all()
    assert (redemption.code_id, redemption.discount) == (None, 13_000)
    assert fresh(promotion).uses == 1


def test_code_and_combinable_automatic_are_both_recorded(client, goods, gen_promotion):
    gen_promotion(code=CODE, value=10)
    gen_promotion(value=5, combinable=True)
    token = api_cart(client, {goods.roa.slug: 2, goods.tas.slug: 1}, code=CODE)

    response = checkout(client, token, BOTH)

    assert response.status_code == 201, response.get_json()
    order = order_row(response.get_json()["number"])
    assert_totals_consistent(order)
    assert order.discount_total == 24_000 + 10_800  # 10% of 240.000, then 5% of 216.000
    assert count(Redemption) == 2 and count(ParcelDiscount) == 4


def test_a_cancelled_parcel_refunds_its_share(goods, gen_promotion, place_with_code):
    from shop.orders.fulfilment import MoveDetails, refund_share
    from shop.orders.services import mark_paid
    from shop.payments.models import Payment, Refund
    from shop.payments.parcels import move

    gen_promotion(code=CODE, benefit="amount", value=24_000)
    order, _ = place_with_code({goods.roa: 2, goods.tas: 1}, CODE, delivery=BOTH)
    assert mark_paid(order) == "paid"
    db.session.add(Payment(order_id=order.id, provider="stripe", attempt=1, intent_id="pi_promo",
                           client_secret="pi_promo_secret", amount=order.total,
                           status="succeeded"))
    db.session.commit()
    ternate = next(fo for fo in order.facility_orders if fo.facility.slug == "lpp-ternate")
    assert (ternate.subtotal, ternate.shipping, ternate.discount) == (90_000, 10_000, 9_000)

    move(ternate, "cancelled", "uji", MoveDetails(reason="Bahan baku habis"))

    refund = db.session.scalars(select(Refund)).one()
    assert refund.facility_order_id == ternate.id
    assert refund.amount == refund_share(ternate) == 90_000 + 10_000 - 9_000
    db.session.expire_all()
    sanana = db.session.scalar(select(FacilityOrder).where(FacilityOrder.id != ternate.id))
    assert refund_share(sanana) == 150_000 - 15_000
    assert refund.amount + refund_share(sanana) == db.session.get(Order, order.id).total


# ------------------------------------------------------------------ told, and buying anyway

def spend_single_use(goods, gen_promotion, place_with_code):
    gen_promotion(single_use_codes=["SEKALI-001"])
    first, _ = place_with_code({goods.kue: 1}, "SEKALI-001", email="ani@example.com")
    assert first.discount_total == 2_000
    return "sekali-001"


def spend_total_uses(goods, gen_promotion, place_with_code):
    gen_promotion(code=CODE, max_uses=1)
    first, _ = place_with_code({goods.kue: 1}, CODE, email="ani@example.com")
    assert first.discount_total == 2_000
    return CODE


def spend_per_email(goods, gen_promotion, place_with_code):
    gen_promotion(code=CODE, max_uses_per_customer=1)
    first, _ = place_with_code({goods.kue: 1}, CODE, email="budi@example.com")
    assert first.discount_total == 2_000
    return CODE


SPENT = {"single-use code": spend_single_use, "total uses": spend_total_uses,
         "per customer by email": spend_per_email}


@pytest.mark.parametrize("how", list(SPENT))
def test_a_spent_code_gives_no_second_discount_and_the_customer_still_buys(
        client, goods, gen_promotion, place_with_code, how):
    """The limit holds whichever way the second customer is answered: at most one discounted
    order, and the customer ends up with an order at full price."""
    code = SPENT[how](goods, gen_promotion, place_with_code)
    token = api_cart(client, {goods.roa.slug: 2})
    client.post(f"/api/v1/carts/{token}/promotion", json={"code": code})

    response = checkout(client, token, email="Budi@Example.com")
    if response.status_code == 409:  # told; the code is taken off the cart
        assert response.get_json()["error"]["code"] == "promotion_unavailable"
        response = checkout(client, token, email="Budi@Example.com")

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["discount_total"], body["total"]) == (0, 90_000)
    assert count(Redemption) == 1
    assert fresh(db.session.scalar(select(Promotion))).uses == 1


@pytest.mark.parametrize("how", list(SPENT))
def test_a_spent_code_is_told_409_and_the_retry_buys_at_full_price(
        client, goods, gen_promotion, place_with_code, how):
    code = SPENT[how](goods, gen_promotion, place_with_code)
    token = api_cart(client, {goods.roa.slug: 2})
    client.post(f"/api/v1/carts/{token}/promotion", json={"code": code})

    told = checkout(client, token, email="Budi@Example.com")

    assert told.status_code == 409, told.get_json()
    assert told.get_json()["error"]["code"] == "promotion_unavailable"
    cart = client.get(f"/api/v1/carts/{token}").get_json()
    assert cart["promotions"]["code"] is None and cart["item_count"] == 2
    retry = checkout(client, token, email="Budi@Example.com")
    assert retry.status_code == 201 and retry.get_json()["total"] == 90_000


# ------------------------------------------------------------------ lost between cart and claim

def someone_else_takes(monkeypatch, **values):
    """Right after checkout has evaluated the promotions (with the limits it read), another
    customer's order takes what was left: the conditional claim must then fail."""
    import shop.checkout.services as checkout_services

    real = checkout_services.evaluate

    def evaluate_then_lose(*args, **kwargs):
        result = real(*args, **kwargs)
        for model, where, new in values.values():
            db.session.execute(update(model).where(where).values(**new)
                               .execution_options(synchronize_session=False))
        return result

    monkeypatch.setattr(checkout_services, "evaluate", evaluate_then_lose)


LOSSES = {
    "last use": (dict(code=CODE, max_uses=3, uses=2),
                 lambda: (Promotion, Promotion.id.isnot(None), {"uses": 3})),
    "budget": (dict(code=CODE, budget=100_000, discount_given=80_000),
               lambda: (Promotion, Promotion.id.isnot(None), {"discount_given": 95_000})),
    "single-use code": (dict(single_use_codes=[CODE]),
                        lambda: (PromotionCode, PromotionCode.code == CODE,
                                 {"used_at": func.now()})),
}


@pytest.mark.parametrize("lost", list(LOSSES))
def test_losing_the_promotion_inside_the_order_transaction(
        client, goods, gen_promotion, monkeypatch, lost):
    fields, change = LOSSES[lost]
    promotion = gen_promotion(**fields)
    before = (promotion.uses, promotion.discount_given)
    token = api_cart(client, {goods.roa.slug: 2}, code=CODE.lower())
    assert client.get(f"/api/v1/carts/{token}").get_json()["discount"] == 9_000
    someone_else_takes(monkeypatch, change=change())

    response = checkout(client, token)

    assert response.status_code == 409, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "promotion_unavailable" and promotion.name in error["message"]
    # nothing of the order is left: no order, no stock taken, no redemption
    assert count(Order) == 0 and count(Redemption) == 0
    db.session.expire_all()
    assert goods.roa.stock == 50
    assert (fresh(promotion).uses, fresh(promotion).discount_given) == before
    cart = client.get(f"/api/v1/carts/{token}").get_json()
    assert cart["promotions"]["code"] is None and cart["item_count"] == 2

    monkeypatch.undo()
    retry = checkout(client, token)
    assert retry.status_code == 201, retry.get_json()
    assert (retry.get_json()["discount_total"], retry.get_json()["total"]) == (0, 90_000)


# ------------------------------------------------------------------ per customer

def test_per_customer_limit_by_account(goods, gen_promotion, gen_customer, place_with_code):
    gen_promotion(code=CODE, max_uses_per_customer=2)
    sari, ani = gen_customer("sari@contoh.id"), gen_customer("ani@contoh.id")

    orders = [place_with_code({goods.kue: 1}, CODE, user=sari, email=f"sari{i}@contoh.id")[0]
              for i in range(3)]  # a different contact email each time: still her account
    other, _ = place_with_code({goods.kue: 1}, CODE, user=ani)

    assert [o.discount_total for o in orders] == [2_000, 2_000, 0]
    assert other.discount_total == 2_000
    keys = db.session.scalars(select(Redemption.customer_key).order_by(Redemption.id)).all()
    assert keys == ["email:sari@contoh.id"] * 2 + ["email:ani@contoh.id"]


def test_per_customer_limit_counts_one_mailbox_across_accounts_and_variants(
        goods, gen_promotion, gen_customer, place_with_code):
    gen_promotion(code=CODE, max_uses_per_customer=1)
    sari = gen_customer("sari.dewi@gmail.com")
    signed_in, _ = place_with_code({goods.kue: 1}, CODE, user=sari)
    variants = [place_with_code({goods.kue: 1}, CODE, email=email)[0] for email in (
        "sari.dewi@gmail.com", "SariDewi+promo@gmail.com", "s.a.r.i.dewi@googlemail.com")]
    other, _ = place_with_code({goods.kue: 1}, CODE, email="sari.dewi+x@contoh.id")
    assert signed_in.discount_total == 2_000
    assert [o.discount_total for o in variants] == [0, 0, 0]
    assert other.discount_total == 2_000  # another domain is another mailbox


def test_per_customer_limit_by_email_for_guests(goods, gen_promotion, place_with_code):
    gen_promotion(code=CODE, max_uses_per_customer=1)

    first, _ = place_with_code({goods.kue: 1}, CODE, email="budi@example.com")
    again, _ = place_with_code({goods.kue: 1}, CODE, email="BUDI@example.com")
    other, _ = place_with_code({goods.kue: 1}, CODE, email="ani@example.com")

    assert [o.discount_total for o in (first, again, other)] == [2_000, 0, 2_000]
    assert count(Redemption, Redemption.customer_key == "email:budi@example.com") == 1


# ------------------------------------------------------------------ budget

def test_budget_exhaustion_caps_the_next_order_then_stops(goods, gen_promotion,
                                                          place_with_code):
    """Budget 45.000, Rp30.000 off each order: the first order gets 30.000; the second gets
    only what is left of the budget (15.000: capped, not refused); the third none."""
    promotion = gen_promotion(code=CODE, benefit="amount", value=30_000, budget=45_000)

    orders = [place_with_code({goods.roa: 2}, CODE, email=f"p{i}@example.com")[0]
              for i in range(3)]

    assert [o.discount_total for o in orders] == [30_000, 15_000, 0]
    for order in orders:
        assert_totals_consistent(order)
    promotion = fresh(promotion)
    assert (promotion.uses, promotion.discount_given) == (2, 45_000)
    assert db.session.scalar(select(func.sum(Redemption.discount))) == 45_000


def test_a_budget_smaller_than_one_discount_is_split_exactly(goods, gen_promotion,
                                                             place_with_code):
    gen_promotion(code=CODE, value=50, budget=10_001)

    order, _ = place_with_code({goods.roa: 1, goods.kue: 1, goods.tas: 1}, CODE,
                               delivery=BOTH)

    assert order.discount_total == 10_001  # 50% of 215.000 capped at the budget
    assert_totals_consistent(order)
    assert sorted(fo.discount for fo in order.facility_orders) == [3_023, 6_978]
