"""Signals the orders area sends so that the areas above it can act in the same transaction
(the orders area never imports them)."""

from blinker import Namespace

_signals = Namespace()

# An unpaid order reached the end of its payment window: sent with `outcome` "expired" (no
# money came in, the stock went back) or "paid" (paid at pickup for the parcels collected, the
# rest cancelled). Receivers free what the payment held; the sender's caller commits.
order_closed = _signals.signal("order-closed")
