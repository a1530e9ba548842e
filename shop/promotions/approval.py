"""The way to the cart: a partner submits a draft, the Kanwil approves or rejects it, and may
pause or resume an approved one.

Only an admin decides, and never for their own organisation (NotAllowed, 403); each step is
written to the audit log with the change.
"""

from flask_babel import gettext as _
from sqlalchemy import update

from shop.core.audit import record
from shop.core.cache import bump_version
from shop.core.time import utcnow
from shop.extensions import db
from shop.promotions.codes import has_codes
from shop.promotions.errors import NotAllowed, PromotionError, PromotionLocked
from shop.promotions.models import Promotion

EDITABLE = ("draft", "rejected")


def submit_promotion(promotion: Promotion, actor) -> None:
    """draft / rejected -> pending (the Kanwil decides)."""
    if promotion.approval not in EDITABLE:
        raise PromotionLocked(_("Promo ini sudah diajukan."))
    if promotion.ends_at <= utcnow():
        raise PromotionError(_("Tanggal selesai promo sudah lewat. Ubah tanggalnya dulu."),
                             "ends_at")
    if promotion.redemption == "code" and not has_codes(promotion):
        raise PromotionError(_("Promo dengan kode belum punya kode. Isi kode bersama atau buat "
                             "kode sekali pakai."), "shared_code")
    previous = promotion.approval
    promotion.approval = "pending"
    record("promotion.submitted", actor=actor, subject=promotion.slug, from_value=previous,
           to_value="pending")
    db.session.commit()


def _admin_only(actor, promotion: Promotion) -> None:
    """Only a Kanwil admin decides on a promotion, never on one of their own organisation."""
    if getattr(actor, "role", None) != "admin":
        raise NotAllowed(_("Hanya admin Kanwil yang bisa memutuskan promo."))
    if actor.partner_id is not None and actor.partner_id == promotion.partner_id:
        raise NotAllowed(_("Promo organisasi sendiri tidak bisa diputuskan sendiri."))


def _decide(promotion: Promotion, actor, to: str, note: str) -> None:
    claimed = db.session.execute(
        update(Promotion).where(Promotion.id == promotion.id, Promotion.approval == "pending")
        .values(approval=to, decision_note=note,
                approved_by_id=actor.id if to == "approved" else None, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise PromotionLocked(_("Promo ini tidak sedang menunggu persetujuan."))
    record(f"promotion.{to}", actor=actor, subject=promotion.slug, from_value="pending",
           to_value=to, note=note)
    if to == "approved":
        bump_version(db.session)  # it shows on the storefront at once
    db.session.commit()
    db.session.refresh(promotion)


def approve_promotion(promotion: Promotion, actor, note: str = "") -> None:
    _admin_only(actor, promotion)
    _decide(promotion, actor, "approved", (note or "").strip()[:1000])


def reject_promotion(promotion: Promotion, actor, reason: str) -> None:
    _admin_only(actor, promotion)
    reason = (reason or "").strip()
    if not 5 <= len(reason) <= 1000:
        raise PromotionError(_("Tulis alasan penolakan, 5 sampai 1000 karakter."), "reason")
    _decide(promotion, actor, "rejected", reason)


def set_paused(promotion: Promotion, actor, paused: bool, note: str = "") -> None:
    """Pause (or resume) an approved promotion: the cart stops (or starts again) offering it."""
    _admin_only(actor, promotion)
    if promotion.approval != "approved":
        raise PromotionLocked(_("Hanya promo yang sudah disetujui yang bisa dihentikan atau "
                              "dilanjutkan."))
    if promotion.is_active == (not paused):
        return
    promotion.is_active = not paused
    record("promotion.paused" if paused else "promotion.resumed", actor=actor,
           subject=promotion.slug, from_value="active" if paused else "paused",
           to_value="paused" if paused else "active", note=(note or "").strip()[:1000])
    db.session.commit()
