"""The monthly close: the Kanwil closes a WIT month once it has ended and its parcels are
settled (or listed as exceptions); the figures of shop.payments.accounting are then stored per
facility and never change. Reopening needs a reason; both are in the audit log.

Changes of a closed month's sales made after the close are adjustments of the month in which
they happen (see shop.payments.accounting). To keep every adjustment in exactly one month, a
month can be reopened only while no later month is closed.
"""

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shop.core.audit import record
from shop.core.time import to_wit, utcnow, wit_month_as_utc
from shop.extensions import db
from shop.orders.models import FacilityOrder, Order
from shop.payments import accounting, fees
from shop.payments.closing_models import (
    COUNT_FIELDS,
    FIGURE_FIELDS,
    MonthClose,
    MonthCloseFigure,
)

SETTLED = ("delivered", "picked_up", "cancelled")
REASON_MIN = 10


class CloseRefused(Exception):
    def __init__(self, message: str, open_parcels: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.open_parcels = open_parcels or []


@dataclass
class MonthState:
    year: int
    month: int
    ended: bool
    close: MonthClose | None

    @property
    def closed(self) -> bool:
        return self.close is not None


def current_close(year: int, month: int) -> MonthClose | None:
    return db.session.scalar(
        select(MonthClose).where(MonthClose.year == year, MonthClose.month == month,
                                 MonthClose.reopened_at.is_(None)))


def history(year: int, month: int) -> list[MonthClose]:
    return list(db.session.scalars(
        select(MonthClose).where(MonthClose.year == year, MonthClose.month == month)
        .order_by(MonthClose.closed_at.desc(), MonthClose.id.desc())))


def month_state(year: int, month: int, now=None) -> MonthState:
    _, end = wit_month_as_utc(year, month)
    return MonthState(year, month, end <= (now or utcnow()), current_close(year, month))


def open_parcels(year: int, month: int) -> list[str]:
    """Numbers of the month's paid parcels not yet delivered, picked up or cancelled."""
    start, end = wit_month_as_utc(year, month)
    return list(db.session.scalars(
        select(FacilityOrder.number).join(Order, Order.id == FacilityOrder.order_id)
        .where(Order.paid_at >= start, Order.paid_at < end,
               FacilityOrder.status.notin_(SETTLED))
        .order_by(FacilityOrder.number)))


def checksum(year: int, month: int, figure) -> str:
    """SHA-256 over the period, the facility and every figure (the statement's footer)."""
    text = "|".join([f"{year}-{month:02d}", figure.facility_slug, figure.rule,
                     *(f"{name}={getattr(figure, name)}" for name in COUNT_FIELDS + FIGURE_FIELDS)])
    return hashlib.sha256(text.encode()).hexdigest()


def _figure(row: accounting.Figures) -> MonthCloseFigure:
    values = {name: getattr(row, name) for name in COUNT_FIELDS + FIGURE_FIELDS}
    return MonthCloseFigure(facility_id=row.facility_id, facility_name=row.name,
                            facility_slug=row.slug, rule=row.rule, **values)


def _refuse_unless_closable(year, month, exceptions, now):
    state = month_state(year, month, now)
    if not state.ended:
        raise CloseRefused(_("Bulan ini belum berakhir (WIT); tutup sesudah bulan selesai."))
    if state.closed:
        raise CloseRefused(_("Bulan ini sudah ditutup."))
    still_open = open_parcels(year, month)
    unlisted = [number for number in still_open if number not in set(exceptions)]
    if unlisted:
        raise CloseRefused(_("Masih ada paket bulan ini yang belum selesai. Selesaikan dulu atau "
                           "tandai sebagai pengecualian."), unlisted)
    start, end = wit_month_as_utc(year, month)
    fees.record_fees(start, end, limit=None)  # the month's fees not asked for yet
    unknown = db.session.scalar(select(func.count()).select_from(
        fees.unknown_fees(start, end).subquery()))
    if unknown:
        raise CloseRefused(_("Biaya gateway %(n)s pembayaran bulan ini belum diketahui (gateway "
                             "tidak terjangkau). Coba tutup lagi beberapa menit lagi.",
                             n=unknown))
    return still_open


def close_month(year: int, month: int, actor, exceptions=(), now=None) -> MonthClose:
    """Close a WIT month: store every facility's figures. Raises CloseRefused. Commits."""
    now = now or utcnow()
    still_open = _refuse_unless_closable(year, month, list(exceptions), now)
    start, end = wit_month_as_utc(year, month)
    rows = accounting.month_figures(start, end, with_closed=False)
    close = MonthClose(year=year, month=month, starts_at=start, ends_at=end, closed_at=now,
                       closed_by_id=getattr(actor, "id", None),
                       exceptions="\n".join(still_open))
    for key in sorted(rows, key=lambda k: (rows[k].name.casefold(), k)):
        figure = _figure(rows[key])
        figure.checksum = checksum(year, month, figure)
        close.figures.append(figure)
    close.checksum = hashlib.sha256(
        "".join(f.checksum for f in close.figures).encode()).hexdigest()
    db.session.add(close)
    try:
        db.session.flush()  # one close in force per month: a unique index, whatever races
    except IntegrityError:
        db.session.rollback()
        raise CloseRefused(_("Bulan ini sudah ditutup.")) from None
    total = sum(f.goods_revenue for f in close.figures)
    # the month's total can pass the audit row's 32-bit amount: it goes in the note
    record("month.close", actor=actor, subject=f"{year}-{month:02d}", to_value="ditutup",
           note=f"pendapatan barang {total}; pengecualian: {', '.join(still_open) or '-'}; "
                f"checksum {close.checksum[:16]}")
    db.session.commit()
    return close


def reopen_month(year: int, month: int, actor, reason: str, now=None) -> MonthClose:
    """Reopen a closed month (the close stays in the history). Raises CloseRefused. Commits."""
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise CloseRefused(_("Tuliskan alasan membuka kembali (minimal %(n)s karakter).",
                             n=REASON_MIN))
    close = current_close(year, month)
    if close is None:
        raise CloseRefused(_("Bulan ini belum ditutup."))
    later = db.session.scalar(
        select(MonthClose.id).where(MonthClose.reopened_at.is_(None),
                                    MonthClose.starts_at > close.starts_at).limit(1))
    if later is not None:
        raise CloseRefused(_("Bulan sesudahnya sudah ditutup: buka kembali bulan terakhir dulu."))
    close.reopened_at = now or utcnow()
    close.reopened_by_id = getattr(actor, "id", None)
    close.reopen_reason = reason[:2000]
    record("month.reopen", actor=actor, subject=f"{year}-{month:02d}", from_value="ditutup",
           to_value="dibuka", note=reason[:2000])
    db.session.commit()
    return close


def recent_months(count=12, now=None) -> list[tuple[int, int]]:
    """The last `count` WIT months, newest first (this month included)."""
    wit = to_wit(now or utcnow())
    index = wit.year * 12 + wit.month - 1
    return [((index - i) // 12, (index - i) % 12 + 1) for i in range(count)]


def closes_of(months) -> dict:
    """{(year, month): MonthClose in force} for the given months, one query."""
    if not months:
        return {}
    years = {year for year, _ in months}
    found = db.session.scalars(
        select(MonthClose).where(MonthClose.reopened_at.is_(None),
                                 MonthClose.year.in_(years))).all()
    return {(c.year, c.month): c for c in found if (c.year, c.month) in set(months)}
