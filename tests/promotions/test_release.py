"""Unpaid orders give their promotion uses back (hardening issue, items 3 and 4): uses, budget,
single-use codes and the customer's count come back when the order expires, a late payment
takes them again or is refunded, and "first order only" counts open orders."""

from datetime import timedelta

from sqlalchemy import select

from shop.core.time import utcnow
from shop.extensions import db
from shop.orders.models import Order
from shop.orders.services import PaidOutcome, expire_order, mark_paid
from shop.promotions.models import Promotion, PromotionCode, Redemption

CODE = "BINAAN20"


def _expire(order):
    order.expires_at = utcnow() - timedelta(minutes=1)
    assert expire_order(order)
    db.session.commit()


def _promotion(promotion):
    db.session.expire_all()
    return db.session.get(Promotion, promotion.id)


def test_an_expired_order_gives_the_use_budget_and_code_back(goods, gen_promotion,
                                                              place_with_code):
    promotion = gen_promotion(single_use_codes=["SEKALI-1"], max_uses=1, budget=10_000,
                               max_uses_per_customer=1)
    order, _ = place_with_code({goods.kue: 1}, "SEKALI-1", email="budi@example.com")
    assert order.discount_total == 2_000
    assert (_promotion(promotion).uses, _promotion(promotion).discount_given) == (1, 2_000)

    _expire(order)
    after = _promotion(promotion)
    assert (after.uses, after.discount_given) == (0, 0)
    code = db.session.scalar(select(PromotionCode).where(PromotionCode.code == "SEKALI-1"))
    assert code.used_at is None and code.used_by_order_id is None
    assert db.session.scalars(select(Redemption)).one().released_at is not None

    # The same customer, the same single-use code: it works again, the limit counts 1.
    again, _ = place_with_code({goods.kue: 1}, "SEKALI-1", email="budi@example.com")
    assert again.discount_total == 2_000
    assert _promotion(promotion).uses == 1


def test_ten_unpaid_orders_cannot_burn_a_code(goods, gen_promotion, place_with_code):
    promotion = gen_promotion(code=CODE, max_uses=3)
    for i in range(10):
        order, _ = place_with_code({goods.kue: 1}, CODE, email=f"pembeli{i}@example.com")
        assert order.discount_total == 2_000, i
        _expire(order)
    assert _promotion(promotion).uses == 0


def test_a_late_payment_takes_the_use_again(goods, gen_promotion, place_with_code):
    promotion = gen_promotion(code=CODE, max_uses=5)
    order, _ = place_with_code({goods.kue: 1}, CODE, email="budi@example.com")
    _expire(order)
    assert mark_paid(db.session.get(Order, order.id)) == PaidOutcome.PAID
    db.session.commit()
    assert _promotion(promotion).uses == 1
    assert db.session.scalars(select(Redemption)).one().released_at is None


def test_a_late_payment_is_refunded_when_the_promotion_ran_out(goods, gen_promotion,
                                                                place_with_code):
    promotion = gen_promotion(code=CODE, max_uses=1)
    late, _ = place_with_code({goods.kue: 1}, CODE, email="budi@example.com")
    _expire(late)
    other, _ = place_with_code({goods.kue: 1}, CODE, email="ani@example.com")
    assert other.discount_total == 2_000  # the freed use went to someone else
    assert mark_paid(db.session.get(Order, late.id)) == PaidOutcome.NEEDS_REFUND
    db.session.commit()
    assert db.session.get(Order, late.id).status == "expired"
    assert _promotion(promotion).uses == 1


def test_first_order_only_counts_open_orders_and_rechecks_at_payment(
        goods, gen_promotion, place_with_code):
    gen_promotion(code=CODE, first_order_only=True)
    first, _ = place_with_code({goods.kue: 1}, CODE, email="budi@example.com")
    second, _ = place_with_code({goods.kue: 1}, CODE, email="Budi+lagi@example.com")
    assert first.discount_total == 2_000
    assert second.discount_total == 0  # the first is still open: not a first order
    assert place_with_code.told and place_with_code.told[-1].code == "promotion_unavailable"

    # Two orders that both got it (placed at the same moment, say): once one is paid, the
    # other cannot be paid at the first-order price.
    promotion_id = db.session.scalar(select(Promotion.id))
    db.session.add(Redemption(promotion_id=promotion_id, order_id=second.id,
                              customer_key="email:budi@example.com", discount=0))
    db.session.commit()
    assert mark_paid(db.session.get(Order, first.id)) == PaidOutcome.PAID
    db.session.commit()
    assert mark_paid(db.session.get(Order, second.id)) == PaidOutcome.NEEDS_REFUND
    db.session.commit()
    assert db.session.get(Order, second.id).status == "pending_payment"
