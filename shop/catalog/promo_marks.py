"""What the storefront shows of promotions on cards, the product page and the home strip.

The catalogue sits below promotions: the promotions area registers a lookup from its
init_app; the catalogue asks it, once per request, without importing it. Promotion content
changes bump the catalogue content version, and cached pages expire at the next promotion
start or end (see `shop.core.cache.expire_at`), so the marks are part of the cached pages.

A lookup is `lookup() -> marks` where marks has
- `for_product(product) -> Mark | None`;
- `strip() -> list[StripItem]` (the active public promotions, for the home page);
- `next_change`: the UTC datetime of the next start or end, or None.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_request_context, request

from shop.core.cache import expire_at

LOOKUP = "catalog.promo_lookup"


@dataclass(frozen=True)
class Mark:
    kind: str  # "price": a lower price for everyone; "code": a code to type; "auto": a condition
    price: int | None = None  # the promotional price ("price" only)
    code: str | None = None
    benefit: str = ""  # the benefit in words: "−20%", "−Rp10.000", a free-shipping label
    slug: str = ""


@dataclass(frozen=True)
class StripItem:
    slug: str
    name: str
    benefit: str
    code: str | None = None


class _NoMarks:
    next_change: datetime | None = None

    def for_product(self, product):
        return None

    def strip(self):
        return []


def register_promo_lookup(app, lookup) -> None:
    app.extensions[LOOKUP] = lookup


def promo_marks():
    """This request's marks (looked up once per request: kept on the request, not on `g`,
    which an outer application context can share between requests)."""
    store = request.environ if has_request_context() else {}
    marks = store.get("shop.promo_marks")
    if marks is None:
        lookup = current_app.extensions.get(LOOKUP)
        marks = store["shop.promo_marks"] = lookup() if lookup else _NoMarks()
        expire_at(marks.next_change)
    return marks
