"""A buyer's report of a problem with a parcel (damaged, missing, wrong item): text and an
optional photo, kept private, shown on the facility desk's parcel page and the Kanwil's order
page."""

import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from shop.core.audit import record
from shop.core.i18n import lazy_gettext as _l
from shop.core.time import utcnow
from shop.extensions import db
from shop.media.storage import get_storage
from shop.orders.models import FacilityOrder

PROBLEM_KINDS = {"damaged": _l("Barang rusak"), "missing": _l("Barang kurang atau tidak ada"),
                 "wrong_item": _l("Barang tidak sesuai")}
# A report makes sense once the parcel left the facility (or was handed over).
REPORTABLE = ("shipped", "delivered", "picked_up")
TEXT_MIN, TEXT_MAX = 10, 2000


class ParcelProblem(db.Model):
    __tablename__ = "parcel_problem"
    __table_args__ = (
        CheckConstraint("kind IN ('damaged', 'missing', 'wrong_item')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_order_id: Mapped[int] = mapped_column(
        ForeignKey("facility_order.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    # private/problems/<parcel number>/<random>.<ext>: never served publicly
    photo_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class ProblemRefused(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def report_problem(fo: FacilityOrder, kind: str, text: str, photo: bytes | None,
                   check_photo) -> ParcelProblem:
    """Record the buyer's report (the caller checked that this visitor may see the order).
    `check_photo(bytes) -> (bytes, ext)` re-encodes an image or raises ProblemRefused.
    Commits."""
    text = (text or "").strip()
    if kind not in PROBLEM_KINDS:
        raise ProblemRefused(_("Pilih jenis masalah."))
    if fo.status not in REPORTABLE:
        raise ProblemRefused(_("Masalah dapat dilaporkan setelah paket dikirim atau diambil."))
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        raise ProblemRefused(_("Ceritakan masalahnya (%(min)s–%(max)s karakter).",
                               min=TEXT_MIN, max=TEXT_MAX))
    key = None
    if photo:
        content, ext = check_photo(photo)
        key = f"private/problems/{fo.number}/{secrets.token_hex(16)}.{ext}"
        get_storage().save(key, content)
    problem = ParcelProblem(facility_order_id=fo.id, kind=kind, text=text, photo_key=key)
    db.session.add(problem)
    record("parcel.problem_reported", actor="pembeli", facility_id=fo.facility_id,
           subject=fo.number, to_value=kind, note=text[:200])
    db.session.commit()
    return problem


def problems_of(parcel_ids) -> dict[int, list[ParcelProblem]]:
    """{parcel id: [reports, oldest first]} in one query."""
    ids = list(parcel_ids)
    found: dict[int, list[ParcelProblem]] = {i: [] for i in ids}
    if not ids:
        return found
    for problem in db.session.scalars(
        select(ParcelProblem).where(ParcelProblem.facility_order_id.in_(ids))
        .order_by(ParcelProblem.id)
    ):
        found[problem.facility_order_id].append(problem)
    return found


PHOTO_TYPES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG", "image/png"),
               (b"RIFF", "image/webp"))


def problem_photo(fo_id: int, problem_id: int) -> tuple[bytes, str] | None:
    """(content, content type) of a report's photo on that parcel, or None. The desks check
    who may see the parcel and serve it inline, never at a public address."""
    problem = db.session.get(ParcelProblem, problem_id)
    if problem is None or problem.facility_order_id != fo_id or not problem.photo_key:
        return None
    try:
        data = get_storage().read(problem.photo_key)
    except (ValueError, OSError):
        return None
    for magic, content_type in PHOTO_TYPES:
        if data.startswith(magic):
            return data, content_type
    return None


def problem_photo_by_number(parcel_number: str, problem_id: int) -> tuple[bytes, str] | None:
    """The same for the Kanwil, which sees every parcel."""
    fo_id = db.session.scalar(select(FacilityOrder.id).where(FacilityOrder.number
                                                             == str(parcel_number)[:24]))
    return problem_photo(fo_id, problem_id) if fo_id else None
