"""The promotions the storefront shows (registered as the catalogue's promo lookup, see
shop.catalog.promo_marks): live, approved, public promotions (automatic ones, and code ones
with a shared code), loaded once per request in one statement whatever the catalogue's size:
plain rows of the columns the marks and the rules need, one row per target."""

from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from shop.catalog.promo_marks import Mark, StripItem
from shop.core.cache import ContentMemo
from shop.core.i18n import current_locale
from shop.core.money import format_rupiah
from shop.core.time import utcnow
from shop.promotions.engine import Line, _in_scope
from shop.promotions.models import Promotion, PromotionCode, PromotionTarget
from shop.promotions.services import rules_from

_COLUMNS = ("id", "slug", "name", "starts_at", "ends_at", "is_active", "approval", "benefit",
            "value", "scope", "min_subtotal", "first_order_only", "signed_in_only", "max_uses",
            "max_uses_per_customer", "budget", "uses", "discount_given", "funding",
            "redemption", "combinable")
_LIVE = (
    select(*(getattr(Promotion, name) for name in _COLUMNS), PromotionCode.code,
           PromotionTarget.facility_id, PromotionTarget.category_id, PromotionTarget.product_id)
    .outerjoin(PromotionCode, (PromotionCode.promotion_id == Promotion.id)
               & PromotionCode.single_use.is_(False))
    .outerjoin(PromotionTarget, PromotionTarget.promotion_id == Promotion.id)
    .where(Promotion.approval == "approved", Promotion.is_active.is_(True),
           Promotion.ends_at > bindparam("now"))
    .order_by(Promotion.id, PromotionCode.id, PromotionTarget.id)
)


def _live_rows(read, now):
    """[(promotion, shared code)] with `promotion` a namespace of _COLUMNS and its `targets`
    (what rules_from reads), in promotion id order (a promotion once per shared code)."""
    found = {}
    width = len(_COLUMNS)
    for row in read(_LIVE, {"now": now}):
        key = (row[0], row[width])
        entry = found.get(key)
        if entry is None:
            promotion = SimpleNamespace(**dict(zip(_COLUMNS, row[:width], strict=True)),
                                        targets=[])
            entry = found[key] = (promotion, row[width])
        facility_id, category_id, product_id = row[width + 1:]
        if facility_id or category_id or product_id:
            entry[0].targets.append(SimpleNamespace(
                facility_id=facility_id, category_id=category_id, product_id=product_id))
    return list(found.values())


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
    def __init__(self, rows, now):
        starts = [p.starts_at for p, _code in rows if p.starts_at > now]
        self.next_change = min(starts + [p.ends_at for p, _code in rows], default=None)
        self.live = []
        for promotion, code in rows:
            rules = rules_from(promotion)
            used_up = (rules.uses_left is not None and rules.uses_left <= 0) or (
                rules.budget_left is not None and rules.budget_left <= 0)
            public = promotion.redemption == "automatic" or code is not None
            if promotion.starts_at <= now and public and not used_up:
                promotion.benefit_text = _benefit(promotion)  # once, not per card
                self.live.append((promotion, code, rules))

    def strip(self):
        return [StripItem(p.slug, p.name, p.benefit_text, code) for p, code, _r in self.live]

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
        benefit = promotion.benefit_text
        if promotion.redemption == "code":
            return Mark("code", code=code, benefit=benefit, slug=promotion.slug)
        if _plain_price_cut(promotion):
            price = product.price - product.price * promotion.value // 100
            return Mark("price", price=price, benefit=benefit, slug=promotion.slug)
        return Mark("auto", benefit=benefit, slug=promotion.slug)


def _rank(mark: Mark):
    order = {"price": 0, "auto": 1, "code": 2}[mark.kind]
    return (order, mark.price or 0)


def _build(read, locale):
    now = utcnow()
    built = Showcase(_live_rows(read, now), now)
    return built, built.next_change


_KEPT = ContentMemo(_build)


def showcase() -> Showcase:
    """The live promotions, kept by the process per content version and language (the
    benefits are in words) until the next start or end: approving, editing or using up a
    promotion, and giving a used-up one a use back, bump the content version."""
    return _KEPT.get(current_locale())
