"""Stock: the only code that writes `product.stock`, and the one rule for its state."""

from flask import current_app


def stock_state(stock: int) -> str:
    """`sold_out`, `low` (at or under LOW_STOCK_THRESHOLD) or `available`."""
    if stock <= 0:
        return "sold_out"
    if stock <= current_app.config["LOW_STOCK_THRESHOLD"]:
        return "low"
    return "available"
