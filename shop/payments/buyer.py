"""What a buyer may do with their own order from its page: cancel it while unpaid, confirm
that a shipped parcel arrived, report a problem with a parcel. The caller has checked that
this visitor may see the order (shop.orders.access.can_view)."""

from flask_babel import gettext as _

from shop.extensions import db
from shop.orders.fulfilment import MoveRefused
from shop.orders.models import FacilityOrder, Order
from shop.orders.problems import ProblemRefused, report_problem
from shop.orders.services import cancel_unpaid_order
from shop.payments import parcels
from shop.payments.proofs import ProofRejected, _image
from shop.payments.services import KEEP_OPEN, Settlement, cancel_intent_of, reconcile

BUYER = "pembeli"
PHOTO_MAX_BYTES = 8 * 1024 * 1024


class ActionRefused(ValueError):
    """Not possible now; `message` (Indonesian) says why. Nothing was changed."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def can_cancel(order: Order) -> bool:
    return order.status == "pending_payment" and not any(
        fo.status == "picked_up" for fo in order.facility_orders)


def cancel_order(order: Order) -> None:
    """Cancel an unpaid order: the gateway is asked first (money that came in while its
    notice was lost pays the order instead), then the stock and promotion uses go back at
    once and the attempt is closed at its gateway. Commits."""
    if not can_cancel(order):
        raise ActionRefused(_("Pesanan ini tidak dapat dibatalkan lagi."))
    outcome = reconcile(order)
    if outcome in KEEP_OPEN:
        raise ActionRefused(_("Pembayaran pesanan ini sudah kami terima, jadi tidak dapat "
                              "dibatalkan."))
    if outcome == Settlement.GATEWAY_UNAVAILABLE:
        raise ActionRefused(_("Layanan pembayaran sedang tidak dapat dihubungi. Coba lagi "
                              "sebentar lagi."))
    if not cancel_unpaid_order(order, BUYER):
        db.session.rollback()
        raise ActionRefused(_("Pesanan ini tidak dapat dibatalkan lagi."))
    db.session.commit()
    cancel_intent_of(order)


def parcel_of(order: Order, parcel_number: str) -> FacilityOrder:
    """The parcel of this order with that number; refused for anyone else's parcel."""
    for fo in order.facility_orders:
        if fo.number == parcel_number:
            return fo
    raise ActionRefused(_("Paket tidak ditemukan di pesanan ini."))


def confirm_received(order: Order, parcel_number: str) -> FacilityOrder:
    """"Pesanan diterima": a shipped parcel becomes delivered (the staff can still mark it
    too, and `orders auto-complete` does after AUTO_COMPLETE_DAYS). Commits."""
    fo = parcel_of(order, parcel_number)
    if fo.status != "shipped":
        raise ActionRefused(_("Hanya paket yang sedang dikirim yang dapat dikonfirmasi "
                              "diterima."))
    try:
        return parcels.move(fo, "delivered", f"{BUYER} {order.number}")
    except MoveRefused as exc:
        raise ActionRefused(exc.message) from exc


def _check_photo(data: bytes) -> tuple[bytes, str]:
    if len(data) > PHOTO_MAX_BYTES:
        raise ProblemRefused(_("Foto terlalu besar (maksimal 8 MB)."))
    try:
        image = _image(data)
    except ProofRejected as exc:
        raise ProblemRefused(exc.message) from exc
    if image is None:
        raise ProblemRefused(_("Foto harus berupa gambar JPEG, PNG atau WebP."))
    return image


def report(order: Order, parcel_number: str, kind: str, text: str, photo: bytes | None):
    fo = parcel_of(order, parcel_number)
    try:
        return report_problem(fo, kind, text, photo, _check_photo)
    except ProblemRefused as exc:
        db.session.rollback()
        raise ActionRefused(exc.message) from exc
