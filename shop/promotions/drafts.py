"""A partner's drafts: create and edit a promotion, with its shared code or first batch.

A partner edits a promotion while it is a draft or rejected; a pending one waits for the
decision; once approved only the name and the public description may change, never the
benefit, the scope or who pays for it (PromotionLocked, 409).
"""

from dataclasses import fields

from flask_babel import gettext as _
from sqlalchemy import delete, select

from shop.core.audit import record
from shop.core.slugs import unique_slug
from shop.extensions import db
from shop.promotions.codes import add_batch, code_taken, shared_code_of
from shop.promotions.errors import PromotionError, PromotionLocked
from shop.promotions.models import Promotion, PromotionCode, PromotionTarget
from shop.promotions.validation import PromotionData, validate

DETAILS = ("name", "description")
LOCKED_WHEN_APPROVED = ("benefit", "value", "scope", "targets", "funding")


def data_of(promotion: Promotion) -> PromotionData:
    values = {name: getattr(promotion, name) for name in PromotionData.COLUMNS}
    targets = tuple(sorted(
        ("facility", t.facility_id) if t.facility_id else
        ("category", t.category_id) if t.category_id else ("product", t.product_id)
        for t in promotion.targets))
    return PromotionData(targets=targets, shared_code=shared_code_of(promotion), **values)


def changed_fields(promotion: Promotion, data: PromotionData) -> set[str]:
    before = data_of(promotion)
    return {f.name for f in fields(PromotionData)
            if getattr(before, f.name) != getattr(data, f.name)}


def _apply(promotion: Promotion, data: PromotionData) -> None:
    for name in PromotionData.COLUMNS:
        setattr(promotion, name, getattr(data, name))
    promotion.targets = [
        PromotionTarget(**{f"{kind}_id": target_id}) for kind, target_id in data.targets]


def _set_codes(promotion: Promotion, data: PromotionData, batch_count=None, batch_prefix=""):
    """Codes of a draft: a shared code replaces the batch and vice versa (a draft was never
    live, so none of its codes has been used)."""
    mine = PromotionCode.promotion_id == promotion.id
    if data.redemption != "code":
        db.session.execute(delete(PromotionCode).where(mine))
        return
    if data.shared_code is not None:
        if code_taken(data.shared_code, promotion.id):
            raise PromotionError(_("Kode ini sudah dipakai promo lain. Pilih kode lain."),
                                 "shared_code")
        db.session.execute(delete(PromotionCode).where(
            mine, PromotionCode.code != data.shared_code))
        if shared_code_of(promotion) is None:
            db.session.add(PromotionCode(promotion_id=promotion.id, code=data.shared_code,
                                         single_use=False))
        return
    db.session.execute(delete(PromotionCode).where(mine, PromotionCode.single_use.is_(False)))
    if batch_count:
        add_batch(promotion, batch_count, batch_prefix)


def _slug_taken(slug):
    return db.session.scalar(select(Promotion.id).where(Promotion.slug == slug)) is not None


def create_promotion(partner_id: int, actor, data: PromotionData, batch_count=None,
                     batch_prefix="", slug=None) -> Promotion:
    """A new draft of `partner_id`'s organisation; with redemption "code", either the shared
    code in `data` or a batch of `batch_count` single-use codes."""
    validate(data)
    promotion = Promotion(partner_id=partner_id, approval="draft", is_active=True,
                          slug=slug or unique_slug(data.name, _slug_taken))
    _apply(promotion, data)
    db.session.add(promotion)
    try:
        db.session.flush()
        _set_codes(promotion, data, batch_count, batch_prefix)
        record("promotion.created", actor=actor, subject=promotion.slug, to_value="draft")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return promotion


def _keep_same_minutes(data: PromotionData, before: PromotionData) -> None:
    """The form has minute precision: an unchanged minute keeps the stored time."""
    for name in ("starts_at", "ends_at"):
        new, old = getattr(data, name), getattr(before, name)
        if new is not None and new.replace(second=0, microsecond=0) == old.replace(
                second=0, microsecond=0):
            setattr(data, name, old)


def _update_approved(promotion: Promotion, data: PromotionData, changed: set, batch_count):
    if changed & set(LOCKED_WHEN_APPROVED):
        raise PromotionLocked(_("Promo sudah disetujui: manfaat, cakupan dan penanggung "
                              "potongan tidak bisa diubah. Buat promo baru bila perlu."))
    if changed - set(DETAILS):
        raise PromotionLocked(_("Promo sudah disetujui: hanya nama dan deskripsi yang bisa "
                              "diubah."))
    if batch_count:
        raise PromotionLocked(_("Tambahkan kode sekali pakai lewat halaman promo."))
    promotion.name, promotion.description = data.name, data.description


def update_promotion(promotion: Promotion, actor, data: PromotionData, batch_count=None,
                     batch_prefix="") -> set[str]:
    """Save a partner's changes; returns the names of the fields that changed."""
    if promotion.approval == "pending":
        raise PromotionLocked(_("Promo sedang menunggu persetujuan admin. Tunggu keputusannya "
                              "sebelum mengubah promo."))
    _keep_same_minutes(data, data_of(promotion))
    validate(data)
    changed = changed_fields(promotion, data)
    if promotion.approval == "approved":
        _update_approved(promotion, data, changed, batch_count)
    else:
        _apply(promotion, data)
        if promotion.approval == "rejected":
            promotion.approval = "draft"  # edited after a refusal: a draft again
    try:
        db.session.flush()
        if promotion.approval != "approved":
            _set_codes(promotion, data, batch_count, batch_prefix)
        if changed or batch_count:
            record("promotion.updated", actor=actor, subject=promotion.slug,
                   note=", ".join(sorted(changed)))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return changed
