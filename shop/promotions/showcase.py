"""The promotions the storefront shows (registered as the catalogue's promo lookup, see
shop.catalog.promo_marks): live, approved, public promotions (automatic ones, and code ones
with a shared code), loaded once per request (two queries whatever the catalogue's size)."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.catalog.promo_marks import Mark, StripItem
from shop.core.money import format_rupiah
from shop.core.time import utcnow
from shop.extensions import db
from shop.promotions.engine import Line, _in_scope
from shop.promotions.models import Promotion, PromotionCode
from shop.promotions.services import rules_from


def _benefit(promotion) -> str:
    if promotion.benefit == "percent":
        return f"−{promotion.value}%"
    if promotion.benefit == "amount":
        return "−" + format_rupiah(promotion.value)
    return _("gratis ongkir")


def _plain_price_cut(promotion) -> bool:
    """An automatic percentage anyone gets on one unit: shown as the promotional price."""
    return (promotion.benefit == "percent" and not promotion.min_subtotal
            and not promotion.first_order_only and not promotion.signed_in_only)


class Showcase:
    def __init__(self, now=None):
        now = now or utcnow()
        rows = db.session.execute(
            select(Promotion, PromotionCode.code)
            .outerjoin(PromotionCode, (PromotionCode.promotion_id == Promotion.id)
                       & PromotionCode.single_use.is_(False))
            .where(Promotion.approval == "approved", Promotion.is_active.is_(True),
                   Promotion.ends_at > now)
            .options(selectinload(Promotion.targets)).order_by(Promotion.id)
        ).all()
        starts = [p.starts_at for p, _code in rows if p.starts_at > now]
        self.next_change = min(starts + [p.ends_at for p, _code in rows], default=None)
        self.live = []
        for promotion, code in rows:
            rules = rules_from(promotion)
            used_up = (rules.uses_left is not None and rules.uses_left <= 0) or (
                rules.budget_left is not None and rules.budget_left <= 0)
            public = promotion.redemption == "automatic" or code is not None
            if promotion.starts_at <= now and public and not used_up:
                self.live.append((promotion, code, rules))

    def strip(self):
        return [StripItem(p.slug, p.name, _benefit(p), code) for p, code, _r in self.live]

    def for_product(self, product) -> Mark | None:
        if not self.live:
            return None
        categories = {product.category_id}
        if any(rules.scope == "categories" for _p, _c, rules in self.live):
            category = product.category  # in the session already: no query per card
            if category is not None and category.parent_id:
                categories.add(category.parent_id)
        line = Line(product.id, product.facility_id, frozenset(categories), product.price)
        best = None
        for promotion, code, rules in self.live:
            if not _in_scope(rules, line):
                continue
            mark = self._mark(promotion, code, product)
            if best is None or _rank(mark) < _rank(best):
                best = mark
        return best

    @staticmethod
    def _mark(promotion, code, product) -> Mark:
        benefit = _benefit(promotion)
        if promotion.redemption == "code":
            return Mark("code", code=code, benefit=benefit, slug=promotion.slug)
        if _plain_price_cut(promotion):
            price = product.price - product.price * promotion.value // 100
            return Mark("price", price=price, benefit=benefit, slug=promotion.slug)
        return Mark("auto", benefit=benefit, slug=promotion.slug)


def _rank(mark: Mark):
    order = {"price": 0, "auto": 1, "code": 2}[mark.kind]
    return (order, mark.price or 0)


def showcase() -> Showcase:
    return Showcase()
