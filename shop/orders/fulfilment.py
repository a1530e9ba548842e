"""Moving a facility's parcel through its life: a table of allowed moves and one function that
applies a move, checks it, writes the timeline and the audit log, and tells the customer."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from shop.catalog import stock
from shop.core.audit import record
from shop.core.i18n import N_
from shop.core.i18n import lazy_gettext as _l
from shop.core.labels import PARCEL_STATUS_LABELS
from shop.core.time import utcnow
from shop.extensions import db
from shop.mail.services import queue_email
from shop.orders.mail_context import discount_context
from shop.orders.models import FacilityOrder, FacilityOrderEvent
from shop.orders.services import refresh_status

# from -> allowed next states, per delivery choice
# The states a parcel can have once it reached its facility's desk (awaiting_payment parcels
# never do): the staff desk's and API's status filter.
DESK_STATES = ("new", "accepted", "packed", "shipped", "ready_for_pickup", "delivered",
               "picked_up", "cancelled")
ALLOWED_MOVES = {
    "courier": {
        "new": ("accepted", "cancelled"),
        "accepted": ("packed", "cancelled"),
        "packed": ("shipped", "cancelled"),
        "shipped": ("delivered",),
    },
    "pickup": {
        "new": ("accepted", "cancelled"),
        "accepted": ("ready_for_pickup", "cancelled"),
        "ready_for_pickup": ("picked_up", "cancelled"),
    },
}
COURIERS = {
    "jne": ("JNE", "https://www.jne.co.id/tracking-package?awb={}"),
    "jnt": ("J&T", "https://jet.co.id/track?awb={}"),
    "pos": ("POS Indonesia", "https://www.posindonesia.co.id/id/tracking?barcode={}"),
    "tiki": ("TIKI", "https://www.tiki.id/id/track?awb={}"),
    "sicepat": ("SiCepat", "https://www.sicepat.com/checkAwb?awb={}"),
    "other": ("Lainnya", None),
}
# The customer hears about these moves (template emails/parcel_update).
NOTIFY = {"accepted", "shipped", "ready_for_pickup", "delivered", "picked_up", "cancelled"}


class MoveRefused(ValueError):
    """The move is not allowed now; `allowed` lists what is, `message` says why (Indonesian)."""

    def __init__(self, message, allowed=(), current=None, code="move_not_allowed"):
        super().__init__(message)
        self.message = message
        self.allowed = list(allowed)
        self.current = current
        self.code = code


@dataclass
class MoveDetails:
    courier: str | None = None
    courier_name: str | None = None
    tracking_number: str | None = None
    reason: str | None = None


def _label(status):
    return f"“{PARCEL_STATUS_LABELS.get(status, status)}”"


def allowed_moves(fo: FacilityOrder) -> list[str]:
    return list(ALLOWED_MOVES[fo.delivery].get(fo.status, ()))


def courier_label(fo: FacilityOrder) -> str | None:
    return fo.courier


def tracking_url(fo: FacilityOrder) -> str | None:
    for label, url in COURIERS.values():
        if url and fo.courier == label and fo.tracking_number:
            return url.format(fo.tracking_number)
    return None


def _check_details(to: str, details: MoveDetails) -> dict:
    values = {}
    if to == "shipped":
        key = (details.courier or "").strip().lower()
        if key not in COURIERS:
            raise MoveRefused(
                _("Pilih kurir: JNE, J&T, POS Indonesia, TIKI, SiCepat atau lainnya."),
                code="courier_required")
        label = COURIERS[key][0]
        if key == "other":
            label = (details.courier_name or "").strip()[:40]
            if not label:
                raise MoveRefused(_("Tulis nama kurirnya."), code="courier_required")
        tracking = (details.tracking_number or "").strip()
        if not 4 <= len(tracking) <= 60 or not tracking.replace("-", "").isalnum():
            raise MoveRefused(_("Nomor resi wajib diisi (4–60 huruf/angka)."),
                              code="tracking_required")
        values.update(courier=label, tracking_number=tracking)
    if to == "cancelled" and len((details.reason or "").strip()) < 5:
        raise MoveRefused(_("Tuliskan alasan pembatalan (minimal 5 karakter)."),
                          code="reason_required")
    return values


def move(fo: FacilityOrder, to: str, actor, details: MoveDetails | None = None, *,
         commit: bool = True) -> FacilityOrder:
    """Apply one move. Exactly one of two simultaneous moves wins: the update only happens
    while the parcel is still in the state the mover saw; the loser gets MoveRefused with the
    current state. A cancellation gives the parcel's stock back; refunding its share is the
    payments area's (shop.payments.parcels.move, which the desks call). Commits unless told
    not to."""
    details = details or MoveDetails()
    seen = fo.status
    allowed = allowed_moves(fo)
    if to not in allowed:
        raise MoveRefused(_("Tidak bisa mengubah status dari %(seen)s ke %(to)s.",
                            seen=_label(seen), to=_label(to)), allowed, seen)
    values = _check_details(to, details)
    result = db.session.execute(
        update(FacilityOrder)
        .where(FacilityOrder.id == fo.id, FacilityOrder.status == seen)
        .values(status=to, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(fo)
        raise MoveRefused(_("Pesanan sudah diubah orang lain; statusnya sekarang %(now)s.",
                            now=_label(fo.status)),
                          allowed_moves(fo), fo.status, code="conflict")
    db.session.refresh(fo)
    note = details.reason or (f"{fo.courier} {fo.tracking_number}" if to == "shipped" else "")
    actor_label = getattr(actor, "email", None) or str(actor)
    db.session.add(FacilityOrderEvent(facility_order_id=fo.id, from_status=seen, to_status=to,
                                      actor=actor_label, note=note or ""))
    record("facility_order.move", actor=actor, facility_id=fo.facility_id, subject=fo.number,
           from_value=seen, to_value=to, note=note or "")
    if to == "cancelled":
        _restore_stock(fo)
    refresh_status(fo.order)
    if to in NOTIFY:
        queue_email(fo.order.email, _subject(fo, to), "parcel_update", order=fo.order, fo=fo,
                    status=to, tracking_url=tracking_url(fo), reason=details.reason,
                    refund=refund_share(fo) if to == "cancelled" and fo.order.paid_at else 0,
                    **discount_context(fo.order))
    if commit:
        db.session.commit()
    return fo


# In the buyer's words: "diterima" would read as "I received it" before it has even shipped.
SUBJECTS = {
    "accepted": N_("Paket %(n)s dikonfirmasi %(f)s dan sedang disiapkan"),
    "shipped": N_("Paket %(n)s sudah dikirim"),
    "ready_for_pickup": N_("Paket %(n)s siap diambil di %(f)s"),
    "delivered": N_("Paket %(n)s sudah sampai"),
    "picked_up": N_("Paket %(n)s sudah diambil"),
    "cancelled": N_("Paket %(n)s dibatalkan"),
}


def _subject(fo, to):
    """Lazy: translated when the mail is written, in the buyer's language."""
    return _l(SUBJECTS[to], n=fo.number, f=fo.facility.name)


def _restore_stock(fo: FacilityOrder):
    stock.give_back([(line.product_id, line.quantity) for line in fo.lines])


def refund_share(fo: FacilityOrder) -> int:
    """What cancelling this parcel gives back: its lines and shipping, less its discount."""
    return fo.subtotal + fo.shipping - fo.discount


AUTO_COMPLETE_DAYS = 7
AUTO_COMPLETE_NOTE = N_("Otomatis selesai: tidak ada kabar dari pembeli sejak dikirim")


def shipped_before(cutoff) -> list[int]:
    """Parcels still "shipped" whose move to shipped happened before `cutoff`."""
    shipped_at = (
        select(FacilityOrderEvent.facility_order_id,
               func.max(FacilityOrderEvent.created_at).label("at"))
        .where(FacilityOrderEvent.to_status == "shipped")
        .group_by(FacilityOrderEvent.facility_order_id).subquery()
    )
    return list(db.session.scalars(
        select(FacilityOrder.id)
        .join(shipped_at, shipped_at.c.facility_order_id == FacilityOrder.id)
        .where(FacilityOrder.status == "shipped", shipped_at.c.at <= cutoff)
        .order_by(FacilityOrder.id)
    ))


def auto_complete(now=None) -> int:
    """`orders auto-complete`: a parcel shipped AUTO_COMPLETE_DAYS ago (setting, default 7)
    that nobody marked delivered is delivered now, each in its own transaction. Returns how
    many."""
    now = now or utcnow()
    days = int(current_app.config.get("AUTO_COMPLETE_DAYS", AUTO_COMPLETE_DAYS))
    done = 0
    for fo_id in shipped_before(now - timedelta(days=days)):
        fo = db.session.get(FacilityOrder, fo_id)
        try:
            move(fo, "delivered", N_("sistem"), MoveDetails(reason=AUTO_COMPLETE_NOTE))
            done += 1
        except MoveRefused:  # moved by someone else meanwhile
            db.session.rollback()
    return done
