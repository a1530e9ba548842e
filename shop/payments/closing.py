"""What an order's end means for its payment, in the transaction that ends it: the orders area
sends `order_closed` when an unpaid order reaches the end of its window (shop.orders.signals)."""

from shop.orders.signals import order_closed
from shop.payments import methods, pickup
from shop.payments.services import CLOSED_STATES, current_payment


@order_closed.connect
def payment_on_close(order, outcome: str, **_extra) -> None:
    """"paid" (collected at pickup for some parcels): the attempt succeeded with what was
    received. "expired": the attempt frees what it held (a bank transfer's unique code, so
    another order can get it); the gateway is told after the commit (cancel_intent_of)."""
    payment = current_payment(order)
    if payment is None or payment.status in CLOSED_STATES:
        return
    if outcome == "paid":
        pickup.mark_collected(payment, "sistem")
    else:
        methods.method_of(payment).release(payment)
