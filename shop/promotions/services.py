"""Promotions in the cart and at checkout: which apply, recording their use exactly once and
within their limits, and the discount split over the facility orders."""

from functools import cache

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import selectinload

from shop.core.cache import bump_version
from shop.core.text import email_identity
from shop.core.time import utcnow
from shop.extensions import db
from shop.promotions.codes import normalize_code
from shop.promotions.engine import REASONS, Customer, Line, Outcome, Rules, choose
from shop.promotions.models import ParcelDiscount, Promotion, PromotionCode, Redemption

ORDER_HISTORY = "promotions.order_history"


class PromotionUnavailable(Exception):
    """A promotion ran out while the order was being placed (another customer got there)."""

    def __init__(self, promotion, reason="used_up"):
        super().__init__(reason)
        self.promotion = promotion
        self.reason = reason
        if reason == "used_up":
            why = _("Promo “%(name)s” baru saja habis dipakai pembeli lain.",
                    name=promotion.name)
        else:
            why = _("Promo “%(name)s” tidak bisa dipakai: %(reason)s", name=promotion.name,
                    reason=REASONS.get(reason, REASONS["used_up"]))
        self.message = why + " " + _("Kode sudah dilepas dari keranjang; Anda tetap bisa "
                                     "memesan dengan harga normal.")


def rules_from(promotion: Promotion, code: PromotionCode | None = None) -> Rules:
    targets = frozenset(
        ("facility", t.facility_id) if t.facility_id else
        ("category", t.category_id) if t.category_id else ("product", t.product_id)
        for t in promotion.targets
    )
    return Rules(
        id=promotion.id, name=promotion.name, benefit=promotion.benefit, value=promotion.value,
        scope=promotion.scope, targets=targets, min_subtotal=promotion.min_subtotal,
        first_order_only=promotion.first_order_only, signed_in_only=promotion.signed_in_only,
        starts_at=promotion.starts_at, ends_at=promotion.ends_at,
        usable=promotion.approval == "approved" and promotion.is_active,
        uses_left=None if promotion.max_uses is None else promotion.max_uses - promotion.uses,
        budget_left=None if promotion.budget is None
        else promotion.budget - promotion.discount_given,
        per_customer=promotion.max_uses_per_customer, funding=promotion.funding,
        automatic=promotion.redemption == "automatic", combinable=promotion.combinable,
        code_used=bool(code and code.single_use and code.used_at is not None),
    )


@cache
def _automatic_statement():
    """Built once, with `now` a bound parameter: every cart, line and checkout request reads
    it, and building the statement cost more CPU than running it."""
    return (
        select(Promotion).where(
            Promotion.redemption == "automatic", Promotion.approval == "approved",
            Promotion.is_active.is_(True), Promotion.starts_at <= bindparam("now"),
            Promotion.ends_at > bindparam("now"))
        .options(selectinload(Promotion.targets)).order_by(Promotion.id)
    )


def automatic_promotions(now=None) -> list[Promotion]:
    return list(db.session.scalars(_automatic_statement(), {"now": now or utcnow()}))


def find_code(raw) -> PromotionCode | None:
    code = normalize_code(raw)
    if code is None:
        return None
    return db.session.scalar(
        select(PromotionCode).where(PromotionCode.code == code)
        .options(selectinload(PromotionCode.promotion).selectinload(Promotion.targets))
    )


def customer_key(user=None, email=None) -> str | None:
    """Who a per-customer limit counts: the mailbox, whether signed in (the account's email)
    or not (the email typed at checkout), so variants of one address count once."""
    identity = email_identity(user.email if user is not None else email)
    return f"email:{identity}" if identity else None


def use_order_history(app, has_paid_orders) -> None:
    """The orders area tells promotions, which sit below it, whether a customer has paid
    orders before: `has_paid_orders(user, email) -> bool` (for "first order only")."""
    app.extensions[ORDER_HISTORY] = has_paid_orders


def _has_paid_orders(user, email) -> bool:
    lookup = current_app.extensions.get(ORDER_HISTORY) if has_app_context() else None
    return bool(lookup(user, email)) if lookup else False


def customer_for(user=None, email=None, has_paid_orders: bool | None = None) -> Customer:
    """The customer as the engine sees them. `has_paid_orders` is for the caller that knows
    (checkout); without it, the order history the orders area registered is asked."""
    key = customer_key(user, email)
    if key is None:
        return Customer(signed_in=False, key=None)
    uses = dict(db.session.execute(
        select(Redemption.promotion_id, func.count())
        .where(Redemption.customer_key == key, Redemption.released_at.is_(None))
        .group_by(Redemption.promotion_id)
    ).all())
    if has_paid_orders is None:
        has_paid_orders = _has_paid_orders(user, email)
    return Customer(signed_in=user is not None, key=key, has_paid_orders=has_paid_orders,
                    uses=uses)


def lines_of(view, prices=None) -> list[Line]:
    """Engine lines from a cart view (current prices, or the prices taken at checkout)."""
    lines = []
    for line in view.lines:
        if line.blocks_checkout:
            continue
        product = line.product
        price = prices[product.id] if prices else line.price
        categories = {product.category_id}
        if product.category.parent_id:
            categories.add(product.category.parent_id)
        lines.append(Line(product.id, product.facility_id, frozenset(categories),
                          price * line.quantity))
    return lines


def evaluate(view, customer, shipping=None, now=None, prices=None) -> tuple:
    """(Outcome, code row or None) for a cart, with the code stored on it. `customer`: a
    Customer, or a function returning one, asked only when a promotion could apply (no
    customer queries for a cart without a code while no automatic promotion runs)."""
    now = now or utcnow()
    automatic = automatic_promotions(now)
    if not view.cart.promotion_code and not automatic:
        return Outcome([]), None
    if callable(customer):
        customer = customer()
    code = find_code(view.cart.promotion_code) if view.cart.promotion_code else None
    code_rules = rules_from(code.promotion, code) if code else None
    candidates = [rules_from(p) for p in automatic]
    outcome = choose(candidates, code_rules, lines_of(view, prices), customer, now, shipping)
    if view.cart.promotion_code and code is None:
        outcome.code_refusal = "unknown"
    return outcome, code


def reason_text(key: str | None) -> str | None:
    """The reason in the visitor's language (Indonesian unless they chose English)."""
    return str(REASONS[key]) if key in REASONS else None


def set_cart_code(cart, raw) -> str | None:
    """Store a known code on the cart (the caller commits); None, or the reason it is unknown."""
    code = find_code(raw)
    if code is None:
        return "unknown"
    cart.promotion_code = code.code
    return None


def clear_cart_code(cart) -> None:
    cart.promotion_code = None


def apply_cart_code(cart, raw) -> str | None:
    """The cart page and API: store the code and save the cart (a new cart is kept even when
    the code is unknown); None, or the reason the code is unknown."""
    problem = set_cart_code(cart, raw)
    db.session.commit()
    return problem


def remove_cart_code(cart) -> None:
    clear_cart_code(cart)
    db.session.commit()


def _uses_by(promotion_id: int, key: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Redemption).where(
        Redemption.promotion_id == promotion_id, Redemption.customer_key == key,
        Redemption.released_at.is_(None)))


def _claim(rules: Rules, amount: int) -> bool:
    """Count one use and its discount only while the limits allow it (the row is the lock).
    When that use was the last one the limits allow, the storefront stops showing it: the
    catalogue content version is bumped (judged on the row as written, so two checkouts that
    take the last uses together cannot both miss it)."""
    stmt = (
        update(Promotion)
        .where(Promotion.id == rules.id, Promotion.approval == "approved",
               Promotion.is_active.is_(True),
               or_(Promotion.max_uses.is_(None), Promotion.uses < Promotion.max_uses),
               or_(Promotion.budget.is_(None),
                   Promotion.discount_given + amount <= Promotion.budget))
        .values(uses=Promotion.uses + 1, discount_given=Promotion.discount_given + amount)
        .returning(Promotion.uses, Promotion.max_uses, Promotion.discount_given,
                   Promotion.budget)
        .execution_options(synchronize_session=False)
    )
    after = db.session.execute(stmt).first()
    if after is None:
        return False
    if _used_up(*after):
        bump_version(db.session)
    return True


def _used_up(uses, max_uses, given, budget) -> bool:
    """No use or no budget left (what the storefront's showcase hides)."""
    return (max_uses is not None and uses >= max_uses) or (
        budget is not None and given >= budget)


def redeem(order, outcome: Outcome, lines: list[Line], customer: Customer,
           code: PromotionCode | None) -> None:
    """Inside the order's transaction: record each offer once, within its limits, and split
    its discount over the facility orders. Raises PromotionUnavailable (the caller rolls
    back the whole order)."""
    parcels = {fo.facility_id: fo for fo in order.facility_orders}
    for made in outcome.offers:
        promotion = db.session.get(Promotion, made.rules.id)
        if not _claim(made.rules, made.amount):
            raise PromotionUnavailable(promotion)
        if made.rules.per_customer is not None and customer.key:
            used = _uses_by(promotion.id, customer.key)
            if used >= made.rules.per_customer:
                raise PromotionUnavailable(promotion, "already_used")
        used_code = code if code is not None and code.promotion_id == promotion.id else None
        if used_code is not None and used_code.single_use:
            taken = db.session.execute(
                update(PromotionCode).where(PromotionCode.id == used_code.id,
                                            PromotionCode.used_at.is_(None))
                .values(used_at=utcnow(), used_by_order_id=order.id)
                .execution_options(synchronize_session=False)).rowcount
            if taken != 1:
                raise PromotionUnavailable(promotion)
        db.session.add(Redemption(promotion_id=promotion.id, order_id=order.id,
                                  code_id=used_code.id if used_code else None,
                                  customer_key=customer.key or f"order:{order.number}",
                                  discount=made.amount))
        for facility_id, amount in made.per_facility(lines).items():
            if amount <= 0:
                continue
            fo = parcels[facility_id]
            db.session.add(ParcelDiscount(
                facility_order_id=fo.id, promotion_id=promotion.id, amount=amount,
                shipping_part=made.shipping_parts.get(facility_id, 0),
                funding=made.rules.funding))
            fo.discount += amount
            fo.total = fo.subtotal + fo.shipping - fo.discount
    order.discount_total = sum(fo.discount for fo in order.facility_orders)
    order.total = order.subtotal + order.shipping_total - order.discount_total


def _was_used_up(uses, max_uses, given, budget, released) -> bool:
    """Before one use (and `released` of discount) went back, it had none left."""
    return _used_up(uses + 1, max_uses, given + released, budget)


def release_redemptions(order_id: int) -> int:
    """An unpaid order expired or was cancelled: give each promotion back its use, its budget,
    the single-use code and the customer's count, in the caller's transaction. Returns how
    many uses went back."""
    redemptions = db.session.scalars(select(Redemption).where(
        Redemption.order_id == order_id, Redemption.released_at.is_(None))).all()
    for redemption in redemptions:
        after = db.session.execute(
            update(Promotion).where(Promotion.id == redemption.promotion_id)
            .values(uses=Promotion.uses - 1,
                    discount_given=Promotion.discount_given - redemption.discount)
            .returning(Promotion.uses, Promotion.max_uses, Promotion.discount_given,
                       Promotion.budget)
            .execution_options(synchronize_session=False)).first()
        if after is not None and _was_used_up(*after, redemption.discount):
            bump_version(db.session)  # the storefront shows it again
        redemption.released_at = utcnow()
    if redemptions:
        db.session.execute(
            update(PromotionCode).where(PromotionCode.used_by_order_id == order_id)
            .values(used_at=None, used_by_order_id=None)
            .execution_options(synchronize_session=False))
    return len(redemptions)


def retake_redemptions(order_id: int) -> bool:
    """A payment arrived after expiry: take the released uses again under today's limits
    (uses, budget, per customer, the single-use code). False when one cannot be taken: the
    caller rolls back and refunds, as when the stock is gone."""
    released = db.session.scalars(select(Redemption).where(
        Redemption.order_id == order_id, Redemption.released_at.isnot(None))).all()
    for redemption in released:
        promotion = db.session.get(Promotion, redemption.promotion_id)
        rules = rules_from(promotion)
        if not _claim(rules, redemption.discount):
            return False
        if rules.per_customer is not None and \
                _uses_by(promotion.id, redemption.customer_key) >= rules.per_customer:
            return False
        if redemption.code_id is not None:
            taken = db.session.execute(
                update(PromotionCode).where(PromotionCode.id == redemption.code_id,
                                            PromotionCode.single_use.is_(True),
                                            PromotionCode.used_at.is_(None))
                .values(used_at=utcnow(), used_by_order_id=order_id)
                .execution_options(synchronize_session=False)).rowcount
            code = db.session.get(PromotionCode, redemption.code_id)
            if code.single_use and taken != 1:
                return False
        redemption.released_at = None
    return True
