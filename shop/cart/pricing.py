"""What the cart's total takes off beyond its lines. Areas above the cart (promotions)
register adjusters from their init_app; the cart page and the cart JSON show whatever they
answer, without importing them.

An adjuster is `adjuster(view, user) -> adjustment`, where the adjustment has
- `discount`: rupiah off the cart, and `by_facility`: {facility id: rupiah off};
- `label`: what a facility's discount line is called on the cart page;
- `template`: a partial the cart page includes (it sees the adjustment as `adjustment`), or
  None;
- `json_key` and `as_json()`: its part of the cart JSON.
"""

from dataclasses import dataclass

from flask import current_app

from shop.cart.services import CartView

ADJUSTERS = "cart.adjusters"


def register_adjuster(app, adjuster) -> None:
    app.extensions.setdefault(ADJUSTERS, []).append(adjuster)


@dataclass
class CartPricing:
    view: CartView
    adjustments: list

    @property
    def discount(self) -> int:
        return sum(a.discount for a in self.adjustments)

    def discount_for(self, facility_id) -> int:
        return sum(a.by_facility.get(facility_id, 0) for a in self.adjustments)

    @property
    def total(self) -> int:
        """The lines that can be bought, less the discounts (shipping comes at checkout)."""
        return self.view.subtotal - self.discount

    def json_parts(self) -> dict:
        return {a.json_key: a.as_json() for a in self.adjustments}


def price_cart(view: CartView, user=None) -> CartPricing:
    """The cart with every registered adjustment (`user`: the signed-in customer or None)."""
    adjusters = current_app.extensions.get(ADJUSTERS, [])
    return CartPricing(view, [adjuster(view, user) for adjuster in adjusters])
