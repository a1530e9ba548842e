"""What the mails about an order show besides the order itself: its promotion discounts, per
parcel and per promotion, so every mail's rows (goods, shipping, each discount, total) add up."""

from shop.promotions.queries import discounts_by_parcel


def discount_context(order) -> dict:
    """{"discounts": {parcel id: [ParcelDiscount]}, "order_discounts": [(name, amount)]}:
    one query, none for an order without discounts."""
    if not order.discount_total:
        return {"discounts": {}, "order_discounts": []}
    by_parcel = discounts_by_parcel(order)
    totals: dict[str, int] = {}
    for rows in by_parcel.values():
        for row in rows:
            totals[row.promotion.name] = totals.get(row.promotion.name, 0) + row.amount
    return {"discounts": by_parcel, "order_discounts": list(totals.items())}
