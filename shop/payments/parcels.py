"""Moving a parcel with what it costs: a cancellation gives the stock back (the orders area)
and refunds that facility's share of a paid order (here), as one handler above both. A parcel
paid at pickup is handed over only with its payment (shop.payments.pickup)."""

from flask_babel import gettext as _

from shop.core.audit import record
from shop.extensions import db
from shop.orders import fulfilment
from shop.orders.fulfilment import MoveDetails, refund_share
from shop.orders.models import FacilityOrder
from shop.payments import pickup
from shop.payments.pickup import CounterPayment
from shop.payments.services import complete_pending_refunds, queue_refund


def move(fo: FacilityOrder, to: str, actor, details: MoveDetails | None = None,
         payment: CounterPayment | None = None) -> FacilityOrder:
    """Apply one move of the allowed-transitions table (see shop.orders.fulfilment.move).
    Handing over a parcel still to be paid at pickup needs `payment` (what the customer paid
    at the counter; refused with PaymentRefused, a MoveRefused, when missing or wrong).
    Cancelling a paid parcel also queues the refund of its share in the same transaction,
    then asks the gateway for it; a refund the gateway does not confirm now is retried by
    `payments retry-refunds`. Commits."""
    if to == "picked_up" and pickup.awaits_counter_payment(fo):
        return pickup.hand_over(fo, actor, payment, details)
    if to != "cancelled":
        return fulfilment.move(fo, to, actor, details)
    details = details or MoveDetails()
    if pickup.awaits_counter_payment(fo):
        return pickup.cancel_unpaid(fo, actor, details)  # never paid: nothing to refund
    fulfilment.move(fo, to, actor, details, commit=False)
    amount = refund_share(fo)
    reason = _("Paket %(number)s dibatalkan: %(reason)s", number=fo.number,
               reason=details.reason)
    refund = queue_refund(fo.order, amount, reason, key=f"refund-{fo.number}", facility_order=fo)
    if refund:  # a transfer/VA/cash payment: queue_refund made it a manual task for the Kanwil
        record("refund.requested", facility_id=fo.facility_id, subject=fo.number,
               amount=amount, to_value="manual" if refund.manual else "gateway",
               note=details.reason or "")
    db.session.commit()
    complete_pending_refunds()
    return fo
