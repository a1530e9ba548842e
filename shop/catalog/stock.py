"""Stock: the only code that writes `product.stock`, and the one rule for its state.

Every write is one conditional UPDATE per product, in product-id order (two carts with the
same products never deadlock), never read-then-write: stock is never sold twice and never
goes below zero, whatever runs at the same time. The caller owns the transaction."""

from functools import cache

from flask import current_app
from sqlalchemy import bindparam, update

from shop.catalog.models import Product
from shop.extensions import db


def stock_state(stock: int) -> str:
    """`sold_out`, `low` (at or under LOW_STOCK_THRESHOLD) or `available`."""
    if stock <= 0:
        return "sold_out"
    if stock <= current_app.config["LOW_STOCK_THRESHOLD"]:
        return "low"
    return "available"


def _in_lock_order(quantities):
    """(product id, quantity) pairs merged per product, sorted by product id."""
    merged = {}
    for product_id, quantity in quantities:
        if product_id is not None:
            merged[product_id] = merged.get(product_id, 0) + quantity
    return sorted(merged.items())


def take_for_sale(quantities):
    """Take `quantity` of each active product for a sale: [(product_id, quantity)].

    Returns (rows, missing): the product rows taken (id, price, name, slug, unit,
    weight_grams; keyed by id) and the ids whose stock was short or which are not on sale.
    With anything missing the caller rolls back."""
    taken, missing = {}, []
    for product_id, quantity in _in_lock_order(quantities):
        row = db.session.execute(
            _take_statement(), {"take_id": product_id, "take_quantity": quantity}
        ).first()
        if row is None:
            missing.append(product_id)
        else:
            taken[row.id] = row
    return taken, missing


@cache
def _take_statement():
    """take_for_sale's UPDATE, built once (one per product of every checkout)."""
    quantity = bindparam("take_quantity")
    return (
        update(Product)
        .where(Product.id == bindparam("take_id"), Product.stock >= quantity,
               Product.status == "active")
        .values(stock=Product.stock - quantity)
        .returning(Product.id, Product.price, Product.name, Product.name_en, Product.slug,
                   Product.unit, Product.weight_grams)
        .execution_options(synchronize_session=False)
    )


def take_again(quantities) -> bool:
    """Take stock once more for an order that had given it back (a payment after expiry),
    whatever the product's status now. False when any product is short: roll back."""
    for product_id, quantity in _in_lock_order(quantities):
        result = db.session.execute(
            update(Product).where(Product.id == product_id, Product.stock >= quantity)
            .values(stock=Product.stock - quantity)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return False
    return True


def give_back(quantities) -> None:
    """Return stock taken by an order that will not be delivered (expired, cancelled).
    Products deleted since are skipped."""
    for product_id, quantity in _in_lock_order(quantities):
        db.session.execute(
            update(Product).where(Product.id == product_id)
            .values(stock=Product.stock + quantity)
            .execution_options(synchronize_session=False)
        )


def adjust(product_id: int, facility_id: int, change: int) -> int | None:
    """Add `change` (negative: remove) to a product of `facility_id`. Returns the new stock,
    or None when it would go below zero (nothing changed)."""
    return db.session.execute(
        update(Product)
        .where(Product.id == product_id, Product.facility_id == facility_id,
               Product.stock + change >= 0)
        .values(stock=Product.stock + change)
        .returning(Product.stock)
        .execution_options(synchronize_session=False)
    ).scalar()
