"""What the cart shows about promotions, plugged into the cart's pricing (shop.cart.pricing):
the offers, the discount per facility, a refused code's reason, and the cart JSON's
"promotions" part. The cart itself never imports promotions."""

from shop.core.i18n import lazy_gettext as _l
from shop.core.time import utcnow
from shop.extensions import db
from shop.promotions.engine import Customer, refusal
from shop.promotions.models import Promotion
from shop.promotions.services import (
    automatic_promotions,
    customer_for,
    evaluate,
    lines_of,
    reason_text,
    rules_from,
)


class CartPromotions:
    """One cart's promotions: an adjustment of the cart's total (see shop.cart.pricing)."""

    json_key = "promotions"
    label = _l("Diskon promo")
    template = "promo/_cart_box.html"

    def __init__(self, view, user=None):
        self.view = view
        customer = (lambda: customer_for(user, getattr(user, "email", None))) if user else (
            Customer(signed_in=False, key=None))
        self._customer = customer
        self.outcome, self.code = evaluate(view, customer)
        self.lines = lines_of(view) if self.outcome.offers else []
        self.by_facility = {}
        for made in self.outcome.offers:
            for facility_id, amount in made.per_facility(self.lines).items():
                self.by_facility[facility_id] = self.by_facility.get(facility_id, 0) + amount

    @property
    def customer(self) -> Customer:
        """The customer, read only when a rule needs it (most carts have no promotion)."""
        if callable(self._customer):
            self._customer = self._customer()
        return self._customer

    @property
    def entered_code(self):
        return self.view.cart.promotion_code

    @property
    def total(self):
        return self.outcome.total

    discount = total

    @property
    def refusal(self):
        return self.outcome.code_refusal

    @property
    def refusal_text(self):
        return reason_text(self.outcome.code_refusal)

    def promotion(self, rules_id) -> Promotion:
        return db.session.get(Promotion, rules_id)

    def applied(self):
        return [(self.promotion(o.rules.id), o.amount) for o in self.outcome.offers]

    def shipping_promotions(self) -> list[Promotion]:
        """Automatic free-shipping promotions this cart meets: the shipping they take off is
        known at checkout, but the cart names them."""
        now = utcnow()
        shipping = [p for p in automatic_promotions(now) if p.benefit == "free_shipping"]
        if not shipping:
            return []
        lines = self.lines or lines_of(self.view)
        return [p for p in shipping if refusal(rules_from(p), lines, self.customer, now) is None]

    def as_json(self) -> dict:
        slug_of = {g.facility.id: g.facility.slug for g in self.view.groups}
        return {
            "code": self.entered_code,
            "code_refusal": ({"reason": self.refusal, "message": self.refusal_text}
                             if self.refusal else None),
            "applied": [
                {"promotion": promotion.slug, "name": promotion.name, "discount": amount,
                 "funding": promotion.funding}
                for promotion, amount in self.applied()
            ],
            "discount_total": self.total,
            "per_facility": {slug_of[f]: amount for f, amount in self.by_facility.items()
                             if f in slug_of},
        }


def cart_promotions(view, user=None) -> CartPromotions:
    """The adjuster the promotions area registers with the cart."""
    return CartPromotions(view, user)
