"""When a code applies and when it does not, in the API and on the cart page: each refusal
reason, the date boundaries in WIT, per-customer limits, the stacking rule, scope per facility
group, case-insensitive codes."""

from datetime import UTC, datetime, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import update

from shop.core.time import WIT, utcnow
from shop.promotions.engine import REASONS, Customer
from tests.promotions.conftest import FreshClient, api_cart, sign_in

ANON = Customer(signed_in=False, key=None)
CODE = "HEMAT10"


def cart_body(client, token):
    response = client.get(f"/api/v1/carts/{token}")
    assert response.status_code == 200
    return response.get_json()


def enter(client, token, code):
    return client.post(f"/api/v1/carts/{token}/promotion", json={"code": code})


def page_with_code(client, items, code):
    """The cart page after adding {product: qty} and entering `code` through the forms."""
    for product, quantity in items.items():
        response = client.post("/cart/add", data={"product": product.slug,
                                                  "quantity": str(quantity)})
        assert response.status_code == 302
    response = client.post("/cart/promotion", data={"code": code})
    assert response.status_code == 302
    response = client.get("/cart")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def shown(html, reason):
    return str(escape(REASONS[reason])) in html


# ------------------------------------------------------------------ each reason a code is refused

def _days(n):
    return utcnow() + timedelta(days=n)


REFUSALS = {
    # id: (reason, fields of the promotion)
    "expired": ("expired", lambda g: dict(starts_at=_days(-10), ends_at=_days(-1))),
    "not_started": ("not_started", lambda g: dict(starts_at=_days(1), ends_at=_days(10))),
    "used_up": ("used_up", lambda g: dict(max_uses=5, uses=5)),
    "budget_spent": ("used_up", lambda g: dict(budget=50_000, discount_given=50_000)),
    "minimum": ("minimum", lambda g: dict(min_subtotal=100_000)),  # the cart has 90.000
    "other_facility": ("not_applicable", lambda g: dict(targets=[g.sanana])),
    "other_category": ("not_applicable", lambda g: dict(targets=[g.kerajinan])),
    "other_product": ("not_applicable", lambda g: dict(targets=[g.tas])),
    "sign_in": ("sign_in", lambda g: dict(signed_in_only=True)),
    "paused": ("paused", lambda g: dict(is_active=False)),
    "not_approved": ("paused", lambda g: dict(approval="pending")),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refused_code_says_why_in_the_api(client, goods, gen_promotion, case):
    reason, fields = REFUSALS[case]
    gen_promotion(code=CODE, **fields(goods))
    token = api_cart(client, {goods.roa.slug: 2})

    response = enter(client, token, CODE)

    assert response.status_code == 200, response.get_json()
    promotions = response.get_json()["promotions"]
    assert promotions["code"] == CODE
    assert promotions["code_refusal"] == {"reason": reason, "message": REASONS[reason]}
    assert promotions["applied"] == [] and promotions["discount_total"] == 0
    assert response.get_json()["total"] == 90_000
    assert cart_body(client, token)["promotions"]["code_refusal"]["reason"] == reason


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refused_code_says_why_on_the_cart_page(client, goods, gen_promotion, case):
    reason, fields = REFUSALS[case]
    gen_promotion(code=CODE, **fields(goods))

    html = page_with_code(client, {goods.roa: 2}, CODE.lower())

    assert shown(html, reason)
    assert "Diskon promo" not in html


def test_a_spent_single_use_code_is_used_up(client, goods, gen_promotion):
    from shop.extensions import db
    from shop.promotions.models import PromotionCode

    gen_promotion(single_use_codes=["SEKALI-001", "SEKALI-002"])
    db.session.execute(update(PromotionCode).where(PromotionCode.code == "SEKALI-001")
                       .values(used_at=utcnow()))
    db.session.commit()
    token = api_cart(client, {goods.roa.slug: 2})

    spent = enter(client, token, "sekali-001").get_json()["promotions"]
    fresh = enter(client, token, "sekali-002").get_json()["promotions"]

    assert spent["code_refusal"]["reason"] == "used_up"
    assert fresh["code_refusal"] is None and fresh["discount_total"] == 9_000


@pytest.mark.parametrize("code", ["TIDAKADA", "x", "", "HEMAT 10", "A" * 41])
def test_an_unknown_code_is_422_and_not_stored(client, goods, gen_promotion, code):
    gen_promotion(code=CODE)
    token = api_cart(client, {goods.roa.slug: 2})

    response = enter(client, token, code)

    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "unknown_code" and error["message"] == REASONS["unknown"]
    assert cart_body(client, token)["promotions"]["code"] is None


def test_an_unknown_code_is_told_on_the_cart_page(client, goods, gen_promotion):
    gen_promotion(code=CODE)
    html = page_with_code(client, {goods.roa: 2}, "BUKANKODE")
    assert shown(html, "unknown")


def test_the_code_field_wants_a_json_string(client, goods):
    token = api_cart(client, {goods.roa.slug: 1})
    assert enter(client, token, 123).status_code == 400
    assert client.post(f"/api/v1/carts/{token}/promotion", data="x").status_code == 400
    assert client.post("/api/v1/carts/nope/promotion", json={"code": CODE}).status_code == 404


# ------------------------------------------------------------------ who the customer is

def test_already_used_by_this_account(client, goods, gen_promotion, gen_customer,
                                      place_with_code):
    from shop.promotions.models import Redemption

    promotion = gen_promotion(code=CODE, max_uses_per_customer=1)
    sari = gen_customer("sari@contoh.id")
    order, _ = place_with_code({goods.roa: 1}, CODE, user=sari, email="lain@contoh.id")
    assert order.discount_total == 4_500
    assert Redemption.query.filter_by(promotion_id=promotion.id).one().customer_key == \
        "email:sari@contoh.id"  # the account's mailbox, whatever contact email was typed

    sign_in(client, sari.email)
    html = page_with_code(client, {goods.roa: 2}, CODE)
    token = api_cart(client, {goods.roa.slug: 2})  # the API sees the same signed-in customer
    refusal = enter(client, token, CODE).get_json()["promotions"]["code_refusal"]

    assert shown(html, "already_used")
    assert refusal["reason"] == "already_used"


def test_already_used_by_email_for_guests(goods, gen_promotion, place_with_code):
    """A guest is known by the email given at checkout: the cart (anonymous) cannot tell yet;
    the evaluation with that email, as checkout does it, refuses the code."""
    from shop.cart.services import create_cart, load_cart, set_quantity, view_cart
    from shop.extensions import db
    from shop.promotions.services import customer_for, evaluate

    gen_promotion(code=CODE, max_uses_per_customer=1)
    order, _ = place_with_code({goods.roa: 1}, CODE, email="budi@example.com")
    assert order.discount_total == 4_500

    cart = create_cart()
    set_quantity(cart, goods.roa.slug, 2)
    cart.promotion_code = CODE
    db.session.commit()
    view = view_cart(load_cart(cart.id))

    same = evaluate(view, customer_for(None, "  BUDI@Example.com "))[0]
    other = evaluate(view, customer_for(None, "ani@example.com"))[0]
    anonymous = evaluate(view, ANON)[0]

    assert same.code_refusal == "already_used" and same.offers == []
    assert other.code_refusal is None and other.total == 9_000
    assert anonymous.code_refusal is None  # shown as applying until the email is known


def test_first_order_only_and_sign_in(client, goods, gen_promotion, gen_customer,
                                      place_with_code):
    from shop.extensions import db
    from shop.orders.models import Order

    gen_promotion(code="PERTAMA", first_order_only=True, signed_in_only=True)
    new, regular = gen_customer("baru@contoh.id"), gen_customer("langganan@contoh.id")
    order, _ = place_with_code({goods.kue: 1}, user=regular)
    db.session.execute(update(Order).where(Order.id == order.id).values(paid_at=utcnow()))
    db.session.commit()

    guest_html = page_with_code(client, {goods.roa: 2}, "pertama")
    sign_in(client, regular.email)
    regular_html = page_with_code(client, {goods.roa: 2}, "pertama")
    first = FreshClient(client.application, client.response_wrapper, use_cookies=True)
    sign_in(first, new.email)
    new_html = page_with_code(first, {goods.roa: 2}, "pertama")

    assert shown(guest_html, "sign_in")
    assert shown(regular_html, "first_order")
    assert not any(shown(new_html, r) for r in REASONS)
    assert "Diskon promo" in new_html


# ------------------------------------------------------------------ dates in WIT

def wit(*args):
    """A wall-clock time in WIT as the naive UTC the database stores."""
    return datetime(*args, tzinfo=WIT).astimezone(UTC).replace(tzinfo=None)

START = wit(2025, 8, 17, 0, 0)  # Hari Bakti: from midnight 17 August in Ternate
END = wit(2025, 8, 31, 0, 0)
MINUTE = timedelta(minutes=1)
BOUNDARIES = [
    ("one minute before start", START - MINUTE, "not_started"),
    ("at start", START, None),
    ("one minute before end", END - MINUTE, None),
    ("at end", END, "expired"),
]


def test_wit_is_nine_hours_ahead_of_the_stored_utc():
    assert START.isoformat() == "2025-08-16T15:00:00"
    assert END.isoformat() == "2025-08-30T15:00:00"


@pytest.fixture
def code_cart(goods):
    from shop.cart.services import create_cart, load_cart, set_quantity
    from shop.extensions import db

    def make(code):
        cart = create_cart()
        set_quantity(cart, goods.roa.slug, 2)
        cart.promotion_code = code
        db.session.commit()
        return load_cart(cart.id)

    return make


@pytest.mark.parametrize("label, now, reason", BOUNDARIES, ids=[b[0] for b in BOUNDARIES])
def test_code_date_boundaries_in_wit(goods, gen_promotion, code_cart, label, now, reason):
    from shop.cart.services import view_cart
    from shop.promotions.services import evaluate

    gen_promotion(code=CODE, starts_at=START, ends_at=END)

    outcome, code = evaluate(view_cart(code_cart(CODE)), ANON, now=now)

    assert code.code == CODE
    assert outcome.code_refusal == reason
    assert outcome.total == (0 if reason else 9_000)


@pytest.mark.parametrize("label, now, reason", BOUNDARIES, ids=[b[0] for b in BOUNDARIES])
def test_automatic_date_boundaries_in_wit(goods, gen_promotion, code_cart, label, now, reason):
    from shop.cart.services import view_cart
    from shop.promotions.services import evaluate

    gen_promotion(starts_at=START, ends_at=END, value=20)  # automatic

    outcome, _ = evaluate(view_cart(code_cart(None)), ANON, now=now)

    assert outcome.total == (0 if reason else 18_000)


# ------------------------------------------------------------------ stacking

def test_a_code_stacks_with_a_combinable_automatic_promotion(client, goods, gen_promotion):
    code = gen_promotion(code=CODE, value=10, name="Kode Hemat")
    automatic = gen_promotion(value=5, combinable=True, name="Otomatis Lima Persen")

    body = enter(client, api_cart(client, {goods.roa.slug: 2}), "hemat10").get_json()

    promotions = body["promotions"]
    # the code first (10% of 90.000), then the automatic one on what is left (5% of 81.000)
    assert {(a["promotion"], a["discount"]) for a in promotions["applied"]} == {
        (code.slug, 9_000), (automatic.slug, 4_050)}
    assert promotions["code_refusal"] is None
    assert promotions["discount_total"] == body["discount"] == 13_050
    assert body["total"] == 90_000 - 13_050


def test_a_bigger_non_combinable_automatic_promotion_beats_the_code(client, goods,
                                                                    gen_promotion):
    gen_promotion(code=CODE, value=10)
    automatic = gen_promotion(value=20, combinable=False, name="Hari Bakti 20%")

    body = enter(client, api_cart(client, {goods.roa.slug: 2}), CODE).get_json()
    html = page_with_code(client, {goods.roa: 2}, CODE)

    assert [(a["promotion"], a["discount"]) for a in body["promotions"]["applied"]] == [
        (automatic.slug, 18_000)]
    assert body["promotions"]["code_refusal"]["reason"] == "better_offer"
    assert shown(html, "better_offer") and "Hari Bakti 20%" in html


def test_a_bigger_code_beats_a_non_combinable_automatic_promotion(client, goods,
                                                                  gen_promotion):
    code = gen_promotion(code=CODE, value=20)
    gen_promotion(value=10, combinable=False)

    body = enter(client, api_cart(client, {goods.roa.slug: 2}), CODE).get_json()

    assert [(a["promotion"], a["discount"]) for a in body["promotions"]["applied"]] == [
        (code.slug, 18_000)]
    assert body["promotions"]["code_refusal"] is None


# ------------------------------------------------------------------ scope per facility group

def facility_discounts(body):
    return {group["facility"]: group["discount"] for group in body["facilities"]}


@pytest.mark.parametrize("target", ["ternate", "pangan", "olahan", "roa"])
def test_a_scoped_code_discounts_only_its_facilitys_group(client, goods, gen_promotion,
                                                          target):
    gen_promotion(code="TERNATE20", value=20, targets=[getattr(goods, target)])
    token = api_cart(client, {goods.roa.slug: 2, goods.tas.slug: 1})

    body = enter(client, token, "ternate20").get_json()

    assert facility_discounts(body) == {"lpp-ternate": 18_000, "lapas-sanana": 0}
    assert body["promotions"]["per_facility"] == {"lpp-ternate": 18_000}
    assert body["subtotal"] == 240_000 and body["total"] == 222_000


def test_a_scoped_code_on_the_cart_page_shows_the_discount_on_that_group(
        client, goods, gen_promotion):
    gen_promotion(code="TERNATE20", value=20, targets=[goods.ternate])

    html = page_with_code(client, {goods.roa: 2, goods.tas: 1}, "Ternate20")

    assert html.count("Diskon promo") == 1
    ternate_at, sanana_at = html.index("Lapas Perempuan Ternate"), html.index("Lapas Sanana")
    discount_at = html.index("Diskon promo")
    assert ternate_at < discount_at < sanana_at  # groups are in facility name order
    assert "Rp18.000" in html


def test_an_amount_off_is_split_over_the_eligible_groups_by_value(client, goods,
                                                                 gen_promotion):
    gen_promotion(code="POTONG", benefit="amount", value=24_000)

    body = enter(client, api_cart(client, {goods.roa.slug: 2, goods.tas.slug: 1}),
                 "potong").get_json()

    # 90.000 : 150.000 -> 9.000 : 15.000
    assert facility_discounts(body) == {"lpp-ternate": 9_000, "lapas-sanana": 15_000}


# ------------------------------------------------------------------ codes

@pytest.mark.parametrize("typed", ["hemat10", "Hemat10", "  HEMAT10  ", "hEmAt10"])
def test_codes_are_case_insensitive(client, goods, gen_promotion, typed):
    gen_promotion(code=CODE)

    body = enter(client, api_cart(client, {goods.roa.slug: 2}), typed).get_json()

    assert body["promotions"]["code"] == CODE
    assert body["promotions"]["discount_total"] == 9_000


def test_removing_the_code(client, goods, gen_promotion):
    gen_promotion(code=CODE)
    token = api_cart(client, {goods.roa.slug: 2}, code=CODE)

    response = client.delete(f"/api/v1/carts/{token}/promotion")

    assert response.status_code == 200
    assert response.get_json()["promotions"]["code"] is None
    assert response.get_json()["discount"] == 0
    assert client.delete("/api/v1/carts/nope/promotion").status_code == 404


def test_a_free_shipping_code_is_not_refused_as_a_better_offer(client, goods, gen_promotion):
    from shop.cart.services import cart_by_token, load_cart, view_cart
    from shop.promotions.services import evaluate

    gen_promotion(code="ONGKIR", benefit="free_shipping", value=0)
    token = api_cart(client, {goods.roa.slug: 2})

    in_cart = enter(client, token, "ongkir").get_json()["promotions"]
    view = view_cart(load_cart(cart_by_token(token).id))
    picked_up = evaluate(view, ANON, shipping={})[0]

    assert in_cart["code_refusal"] is None  # shipping is chosen at checkout
    assert picked_up.code_refusal == "no_shipping"
