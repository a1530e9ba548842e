"""Promotion limits under load, on PostgreSQL: many customers, each with their own cart and the
same code, checking out at the same moment over real HTTP (the live server's threads, one
database connection each). SQLite serialises writers, so these only run on PostgreSQL."""

from collections import Counter

import pytest
from sqlalchemy import func, select

from tests.conftest import is_postgres
from tests.factories import checkout_body
from tests.load.test_concurrency import call, checkout, new_cart, put_line, run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not is_postgres(), reason="the race needs PostgreSQL; SQLite "
                       "serialises writers"),
]

PRICE = 100_000


@pytest.fixture
def lapas(gen_facility, gen_rates):
    return gen_rates(gen_facility(slug="lpp-ternate", name="Lapas Perempuan Ternate",
                                    email="lpp-ternate@example.com"))


@pytest.fixture
def own_products(gen_product, lapas):
    """One product per customer: the carts share nothing but the promotion."""
    def make(count):
        return [gen_product(facility=lapas, slug=f"tenun-{i}", name=f"Tenun {i}", price=PRICE,
                             stock=3).slug for i in range(count)]
    return make


def shoppers(base, slugs, code, facility_slug, email_of=lambda i: None):
    """A job for run_together: cart, line, code, then (at the barrier) checkout; a customer
    told promotion_unavailable checks out again. Returns (first answer, final answer)."""
    delivery = {facility_slug: "pickup"}

    def shopper(i, barrier):
        token = new_cart(base)
        put_line(base, token, slugs[i], 1)
        status, body = call("POST", f"{base}/api/v1/carts/{token}/promotion", {"code": code})
        assert status == 200 and body["promotions"]["code_refusal"] is None, body
        assert body["discount"] > 0, body
        barrier.wait()
        first = _checkout(base, token, delivery, email_of(i))
        final = first
        if first[0] == 409 and first[1]["error"]["code"] == "promotion_unavailable":
            final = _checkout(base, token, delivery, email_of(i))
        return first, final

    return shopper


def _checkout(base, token, delivery, email):
    if email is None:
        return checkout(base, token, delivery)
    body = checkout_body(delivery)
    body["contact"]["email"] = email
    return call("POST", f"{base}/api/v1/carts/{token}/checkout", body)


def assert_everyone_bought(answers):
    """Every first answer is an order or promotion_unavailable; every customer has an order."""
    for first, final in answers:
        assert first[0] in (201, 409), first
        if first[0] == 409:
            assert first[1]["error"]["code"] == "promotion_unavailable", first
            assert first[1]["error"]["message"], first
        assert final[0] == 201, final
    return [final[1] for _, final in answers]


def assert_books_balance(promotion_id, orders):
    """uses = redemptions; discount_given = redemptions = parcel discounts = order discounts."""
    from shop.extensions import db
    from shop.orders.models import Order
    from shop.promotions.models import ParcelDiscount, Promotion, Redemption

    db.session.expire_all()
    promotion = db.session.get(Promotion, promotion_id)
    redemptions = db.session.scalars(select(Redemption)).all()
    assert promotion.uses == len(redemptions)
    assert promotion.discount_given == sum(r.discount for r in redemptions)
    assert db.session.scalar(select(func.coalesce(func.sum(ParcelDiscount.amount), 0))) == \
        promotion.discount_given
    assert sum(o["discount_total"] for o in orders) == promotion.discount_given
    assert len({r.order_id for r in redemptions}) == len(redemptions)
    assert db.session.scalar(select(func.count()).select_from(Order)) == len(orders)
    for order in orders:
        assert order["total"] == PRICE - order["discount_total"]
        [parcel] = order["facility_orders"]
        assert parcel["total"] == parcel["subtotal"] + parcel["shipping"] - parcel["discount"]
    return promotion


def test_ten_uses_forty_customers_exactly_ten_discounted(
        live_server, gen_promotion, own_products, lapas):
    """The claim is a conditional update on the promotion row: whoever evaluated the code as
    available, only ten claims succeed. Everyone else still buys, at full price."""
    promotion = gen_promotion(code="BAKTI10", value=10, max_uses=10)
    slugs = own_products(40)

    answers = run_together(40, shoppers(live_server, slugs, "bakti10", lapas.slug))

    orders = assert_everyone_bought(answers)
    assert Counter(o["discount_total"] for o in orders) == {10_000: 10, 0: 30}
    promotion = assert_books_balance(promotion.id, orders)
    assert promotion.uses == 10
    told = sum(first[0] == 409 for first, _ in answers)
    assert told == sum(first is not final for first, final in answers)


def test_ten_uses_forty_customers_the_other_thirty_are_told(
        live_server, gen_promotion, gen_product, lapas):
    """All forty buy the same product, so their transactions queue on its row; those served
    after the tenth use must be told too, not only those who lose the claim itself."""
    from shop.extensions import db
    from shop.promotions.models import Promotion, Redemption

    promotion = gen_promotion(code="BAKTI10", value=10, max_uses=10)
    slug = gen_product(facility=lapas, slug="tenun", name="Tenun", price=PRICE, stock=40).slug

    answers = run_together(40, shoppers(live_server, [slug] * 40, "BAKTI10", lapas.slug))

    assert Counter(first[0] for first, _ in answers) == {201: 10, 409: 30}, answers
    orders = assert_everyone_bought(answers)
    assert Counter(o["discount_total"] for o in orders) == {10_000: 10, 0: 30}
    db.session.expire_all()
    assert db.session.get(Promotion, promotion.id).uses == 10
    assert db.session.scalar(select(func.count()).select_from(Redemption)) == 10


def test_budget_holds_when_many_redeem_at_once(live_server, gen_promotion, own_products,
                                               lapas):
    """Budget Rp100.000, Rp30.000 off each: three full discounts; a fourth customer can only
    get the Rp10.000 left if they evaluated after the third was committed; never more."""
    promotion = gen_promotion(code="ANGGARAN", benefit="amount", value=30_000,
                               budget=100_000)
    slugs = own_products(20)

    answers = run_together(20, shoppers(live_server, slugs, "anggaran", lapas.slug))

    orders = assert_everyone_bought(answers)
    given = Counter(o["discount_total"] for o in orders)
    assert given[30_000] == 3 and given[10_000] <= 1
    assert set(given) <= {30_000, 10_000, 0} and sum(given.values()) == 20
    promotion = assert_books_balance(promotion.id, orders)
    assert promotion.discount_given in (90_000, 100_000)
    assert promotion.discount_given <= promotion.budget


def test_per_customer_limit_holds_when_one_email_checks_out_many_times_at_once(
        live_server, gen_promotion, own_products, lapas):
    from shop.extensions import db
    from shop.promotions.models import Redemption

    promotion = gen_promotion(code="SEKALI", value=10, max_uses_per_customer=1)
    slugs = own_products(8)

    answers = run_together(8, shoppers(live_server, slugs, "sekali", lapas.slug,
                                       email_of=lambda i: "budi@example.com"))

    orders = assert_everyone_bought(answers)
    assert Counter(o["discount_total"] for o in orders) == {10_000: 1, 0: 7}
    assert_books_balance(promotion.id, orders)
    assert db.session.scalars(select(Redemption.customer_key)).all() == [
        "email:budi@example.com"]
