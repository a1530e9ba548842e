"""The Kanwil decides on flagship requests from facility staff: approve or refuse, with a reason.

Only a pending request can be decided, and only once: the decision claims the row with a
conditional UPDATE (status still 'pending'), so two admins deciding at the same time cannot
both win. Each decision writes an audit entry in the same transaction.
"""

from flask_babel import gettext as _
from sqlalchemy import update

from shop.catalog.models import FlagshipRequest, Product
from shop.core.audit import record
from shop.core.time import utcnow
from shop.extensions import db

MAX_REASON = 1000


class DecisionRefused(ValueError):
    """The decision cannot be made; the message is shown to the admin."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _clean(reason) -> str:
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise DecisionRefused(_("Alasan maksimal %(n)s karakter.", n=MAX_REASON))
    return reason


def _claim(flagship_request: FlagshipRequest, status: str, actor, note: str) -> None:
    result = db.session.execute(
        update(FlagshipRequest)
        .where(FlagshipRequest.id == flagship_request.id, FlagshipRequest.status == "pending")
        .values(status=status, decided_by_id=getattr(actor, "id", None), decided_at=utcnow(),
                decision_note=note)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DecisionRefused(_("Usulan ini sudah diputuskan sebelumnya."))
    db.session.refresh(flagship_request)


def approve_request(flagship_request: FlagshipRequest, actor, note: str = "") -> Product:
    """Make the product a flagship for the requested year. Returns the product."""
    try:
        note = _clean(note)
        product = flagship_request.product
        if flagship_request.status != "pending":
            raise DecisionRefused(_("Usulan ini sudah diputuskan sebelumnya."))
        if product.status == "archived":
            raise DecisionRefused(_("Produk ini sudah diarsipkan; usulan tidak dapat disetujui. "
                                    "Tolak usulan dengan alasannya."))
        _claim(flagship_request, "approved", actor, note)
        previous = str(product.flagship_year) if product.is_flagship else None
        product.is_flagship = True
        product.flagship_year = flagship_request.year
        record("flagship.approved", actor=actor, facility_id=product.facility_id,
               subject=product.slug, from_value=previous, to_value=str(flagship_request.year),
               note=note)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return product


def refuse_request(flagship_request: FlagshipRequest, actor, reason: str) -> FlagshipRequest:
    """Refuse the request; the reason is required (the facility sees it)."""
    try:
        reason = _clean(reason)
        if not reason:
            raise DecisionRefused(_("Tuliskan alasan penolakan; petugas Lapas/Rutan akan "
                                    "membacanya."))
        if flagship_request.status != "pending":
            raise DecisionRefused(_("Usulan ini sudah diputuskan sebelumnya."))
        _claim(flagship_request, "refused", actor, reason)
        product = flagship_request.product
        record("flagship.refused", actor=actor, facility_id=product.facility_id,
               subject=product.slug, to_value=str(flagship_request.year), note=reason)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return flagship_request
