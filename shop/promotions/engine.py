"""Which promotions apply to a cart and how much each takes off: pure functions, no database.

The services feed them the cart (current prices), the shipping per facility when known, the
customer and the candidate promotions; they answer with the offers chosen under the stacking
rule and the reason any code was refused. Allocation is in whole rupiah and exact
(shop.core.money.allocate).
"""

from dataclasses import dataclass, field
from datetime import datetime

from shop.core.i18n import lazy_gettext as _l
from shop.core.money import allocate


@dataclass(frozen=True)
class Line:
    key: int  # product id
    facility_id: int
    category_ids: frozenset  # the product's category and its parent
    value: int  # price x quantity, whole rupiah


@dataclass(frozen=True)
class Customer:
    signed_in: bool
    key: str | None  # "user:<id>" or "email:<address>"; None while a guest is anonymous
    has_paid_orders: bool = False
    uses: dict = field(default_factory=dict)  # promotion id -> earlier uses by this customer


@dataclass(frozen=True)
class Rules:
    """What the engine needs of a Promotion (built from the row by the services)."""

    id: int
    name: str
    benefit: str
    value: int
    scope: str
    targets: frozenset  # ("facility", id) / ("category", id) / ("product", id)
    min_subtotal: int
    first_order_only: bool
    signed_in_only: bool
    starts_at: datetime
    ends_at: datetime
    usable: bool  # approved and not paused
    uses_left: int | None
    budget_left: int | None
    per_customer: int | None
    funding: str
    automatic: bool
    combinable: bool
    code_used: bool = False  # a single-use code already spent


@dataclass
class Offer:
    rules: Rules
    line_parts: dict  # product id -> rupiah off
    shipping_parts: dict  # facility id -> rupiah off courier shipping

    @property
    def amount(self):
        return sum(self.line_parts.values()) + sum(self.shipping_parts.values())

    def per_facility(self, lines):
        facility_of = {line.key: line.facility_id for line in lines}
        result = dict.fromkeys(self.shipping_parts, 0)
        for key, part in self.line_parts.items():
            result[facility_of[key]] = result.get(facility_of[key], 0) + part
        for facility_id, part in self.shipping_parts.items():
            result[facility_id] += part
        return result


REASONS = {
    "unknown": _l("Kode promo tidak dikenal."),
    "not_started": _l("Promo ini belum dimulai."),
    "expired": _l("Promo ini sudah berakhir."),
    "paused": _l("Promo ini sedang tidak berlaku."),
    "used_up": _l("Kuota promo ini sudah habis."),
    "minimum": _l("Belanja minimal untuk promo ini belum tercapai."),
    "not_applicable": _l("Promo ini tidak berlaku untuk produk di keranjang."),
    "already_used": _l("Anda sudah memakai promo ini."),
    "sign_in": _l("Masuk ke akun untuk memakai promo ini."),
    "first_order": _l("Promo ini hanya untuk pesanan pertama."),
    "no_shipping": _l("Gratis ongkir hanya berlaku untuk pengiriman kurir."),
    "better_offer": _l("Promo otomatis lain memberi potongan lebih besar, jadi kode ini tidak "
                    "dipakai (satu kode tidak bisa digabung dengan promo yang tidak bisa "
                    "digabung)."),
}


def _in_scope(rules: Rules, line: Line) -> bool:
    if rules.scope == "all":
        return True
    kind = {"facilities": "facility", "categories": "category", "products": "product"}[rules.scope]
    if kind == "facility":
        return (kind, line.facility_id) in rules.targets
    if kind == "product":
        return (kind, line.key) in rules.targets
    return any(("category", c) in rules.targets for c in line.category_ids)


def refusal(rules: Rules, lines: list[Line], customer: Customer, now: datetime) -> str | None:
    """Why this promotion cannot apply now (a key of REASONS), or None."""
    if not rules.usable:
        return "paused"
    if now < rules.starts_at:
        return "not_started"
    if now >= rules.ends_at:
        return "expired"
    if rules.code_used or (rules.uses_left is not None and rules.uses_left <= 0):
        return "used_up"
    if rules.budget_left is not None and rules.budget_left <= 0:
        return "used_up"
    if rules.signed_in_only and not customer.signed_in:
        return "sign_in"
    if rules.first_order_only and customer.has_paid_orders:
        return "first_order"
    if rules.per_customer is not None and customer.uses.get(rules.id, 0) >= rules.per_customer:
        return "already_used"
    eligible = [line for line in lines if _in_scope(rules, line)]
    if not eligible:
        return "not_applicable"
    if sum(line.value for line in eligible) < rules.min_subtotal:
        return "minimum"
    return None


def offer(rules: Rules, lines: list[Line], shipping: dict | None, remaining: dict) -> Offer:
    """The discount of one applicable promotion on what is left of each line's value."""
    eligible = [line for line in lines if _in_scope(rules, line) and remaining[line.key] > 0]
    if rules.benefit == "free_shipping":
        facilities = {line.facility_id for line in eligible}
        parts = {f: (shipping or {}).get(f, 0) for f in facilities}
        parts = {f: v for f, v in parts.items() if v > 0}
        total = sum(parts.values())
        if rules.budget_left is not None and total > rules.budget_left:
            keys = sorted(parts)
            parts = dict(zip(keys, allocate(rules.budget_left, [parts[k] for k in keys]),
                             strict=True))
        return Offer(rules, {}, parts)
    values = [remaining[line.key] for line in eligible]
    base = sum(values)
    amount = base * rules.value // 100 if rules.benefit == "percent" else min(rules.value, base)
    if rules.budget_left is not None:
        amount = min(amount, rules.budget_left)
    parts = allocate(amount, values)
    return Offer(rules, {line.key: part for line, part in zip(eligible, parts, strict=True)}, {})


@dataclass
class Outcome:
    offers: list
    code_refusal: str | None = None

    @property
    def total(self):
        return sum(o.amount for o in self.offers)


def _apply(chosen, lines, shipping):
    remaining = {line.key: line.value for line in lines}
    shipping_left = dict(shipping or {})
    offers = []
    for rules in chosen:
        made = offer(rules, lines, shipping_left, remaining)
        if made.amount <= 0:
            continue
        for key, part in made.line_parts.items():
            remaining[key] -= part
        for facility_id, part in made.shipping_parts.items():
            shipping_left[facility_id] -= part
        offers.append(made)
    return offers


def choose(candidates: list[Rules], code_rules: Rules | None, lines: list[Line],
           customer: Customer, now: datetime, shipping: dict | None = None) -> Outcome:
    """Apply the stacking rule: at most one code plus the automatic promotions marked
    combinable; otherwise the single best discount wins."""
    code_refusal = None
    usable_code = None
    if code_rules is not None:
        code_refusal = refusal(code_rules, lines, customer, now)
        usable_code = None if code_refusal else code_rules
    automatic = [r for r in candidates if r.automatic and not refusal(r, lines, customer, now)]
    options = []
    stack = ([usable_code] if usable_code else []) + [r for r in automatic if r.combinable]
    if stack:
        options.append(_apply(stack, lines, shipping))
    for single in automatic + ([usable_code] if usable_code else []):
        options.append(_apply([single], lines, shipping))
    if not options:
        return Outcome([], code_refusal)
    best = max(options, key=lambda offers: (sum(o.amount for o in offers), len(offers)))
    if usable_code and all(o.rules.id != usable_code.id for o in best):
        if _apply([usable_code], lines, shipping):
            code_refusal = "better_offer"
        elif usable_code.benefit == "free_shipping" and shipping is not None:
            code_refusal = "no_shipping"
        elif usable_code.benefit != "free_shipping":
            code_refusal = "not_applicable"  # it would take nothing off these lines
    return Outcome([o for o in best if o.amount > 0], code_refusal)
