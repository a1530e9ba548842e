"""Running promotions: drafts written by partners, the Kanwil's decision, pausing, codes, and
the figures a partner sees (aggregate queries, one per table on the page).

Rules kept here (the views only translate them to HTTP):
- a partner edits a promotion while it is a draft or rejected; a pending one waits for the
  decision; once approved only the name and the public description may change, never the
  benefit, the scope or who pays for it (PromotionLocked, 409);
- only an admin approves, rejects, pauses or resumes, and never for their own organisation
  (NotAllowed, 403); each decision is written to the audit log with the change;
- figures count paid orders only, and leave out cancelled facility orders (their share of the
  discount was refunded with them).
"""

import csv
import io
import re
import secrets
from dataclasses import dataclass, fields
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, distinct, func, or_, select, update
from sqlalchemy.orm import selectinload

from shop.catalog.models import Category, Product
from shop.core.audit import record
from shop.core.slugs import unique_slug
from shop.core.time import to_wit, utcnow
from shop.extensions import db
from shop.facilities.models import Facility
from shop.orders.models import FacilityOrder, Order
from shop.promotions.models import (
    ParcelDiscount,
    Promotion,
    PromotionCode,
    PromotionTarget,
    Redemption,
)
from shop.promotions.services import CODE_RE, normalize_code

# Single-use codes: no 0/O, 1/I/L, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_BATCH = 5000
PREFIX_RE = re.compile(r"^[A-Z0-9]{1,12}$")
MAX_AMOUNT = 100_000_000
EDITABLE = ("draft", "rejected")
DETAILS = ("name", "description")
LOCKED_WHEN_APPROVED = ("benefit", "value", "scope", "targets", "funding")
TARGET_KIND = {"facilities": "facility", "categories": "category", "products": "product"}

APPROVAL_LABELS = {"draft": _l("Draf"), "pending": _l("Menunggu persetujuan"),
                   "approved": _l("Disetujui"), "rejected": _l("Ditolak")}
STATE_LABELS = {**APPROVAL_LABELS, "paused": _l("Dihentikan sementara"),
                "scheduled": _l("Terjadwal"), "live": _l("Berjalan"), "ended": _l("Selesai"),
                "used_up": _l("Kuota habis")}
BENEFIT_LABELS = {"percent": _l("Diskon persen"), "amount": _l("Potongan rupiah"),
                  "free_shipping": _l("Gratis ongkir kurir")}
SCOPE_LABELS = {"all": _l("Semua produk"), "facilities": _l("Lapas/Rutan tertentu"),
                "categories": _l("Kategori tertentu"), "products": _l("Produk tertentu")}
FUNDING_LABELS = {"partner": _l("Ditanggung mitra (Lapas/Rutan tetap menerima harga penuh)"),
                  "facility": _l("Ditanggung Lapas/Rutan")}
REDEMPTION_LABELS = {"automatic": _l("Otomatis di keranjang"), "code": _l("Dengan kode")}


class PromotionError(ValueError):
    """A promotion change refused; `message` is Indonesian, `field` names the input."""

    status = 422

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class PromotionLocked(PromotionError):
    status = 409


class NotAllowed(PromotionError):
    status = 403


@dataclass
class PromotionData:
    """What a partner sets on a promotion (times are naive UTC, money whole rupiah)."""

    name: str
    description: str
    starts_at: object
    ends_at: object
    benefit: str
    value: int
    scope: str
    targets: tuple  # sorted (kind, id): ("facility", 3), ("category", 5), ("product", 9)
    min_subtotal: int = 0
    first_order_only: bool = False
    signed_in_only: bool = False
    max_uses: int | None = None
    max_uses_per_customer: int | None = None
    budget: int | None = None
    funding: str = "partner"
    redemption: str = "code"
    combinable: bool = False
    shared_code: str | None = None  # only with redemption "code" and one shared code

    COLUMNS = ("name", "description", "starts_at", "ends_at", "benefit", "value", "scope",
               "min_subtotal", "first_order_only", "signed_in_only", "max_uses",
               "max_uses_per_customer", "budget", "funding", "redemption", "combinable")


def shared_code_of(promotion: Promotion) -> str | None:
    return db.session.scalar(select(PromotionCode.code).where(
        PromotionCode.promotion_id == promotion.id, PromotionCode.single_use.is_(False)))


def single_use_count(promotion: Promotion) -> tuple[int, int]:
    """(codes, codes already used) of a promotion's single-use batch (one query)."""
    total, used = db.session.execute(
        select(func.count(PromotionCode.id), func.count(PromotionCode.used_at))
        .where(PromotionCode.promotion_id == promotion.id, PromotionCode.single_use.is_(True))
    ).one()
    return int(total), int(used)


def data_of(promotion: Promotion) -> PromotionData:
    values = {name: getattr(promotion, name) for name in PromotionData.COLUMNS}
    targets = tuple(sorted(
        ("facility", t.facility_id) if t.facility_id else
        ("category", t.category_id) if t.category_id else ("product", t.product_id)
        for t in promotion.targets))
    return PromotionData(targets=targets, shared_code=shared_code_of(promotion), **values)


# ------------------------------------------------------------------ states

def state_of(promotion: Promotion, now=None) -> str:
    """draft / pending / rejected, or for an approved one: paused, scheduled, live, used_up,
    ended (evaluated like the cart does: start inclusive, end exclusive)."""
    if promotion.approval != "approved":
        return promotion.approval
    now = now or utcnow()
    if not promotion.is_active:
        return "paused"
    if now < promotion.starts_at:
        return "scheduled"
    if now >= promotion.ends_at:
        return "ended"
    if promotion.max_uses is not None and promotion.uses >= promotion.max_uses:
        return "used_up"
    if promotion.budget is not None and promotion.discount_given >= promotion.budget:
        return "used_up"
    return "live"


# ------------------------------------------------------------------ validation

def _validate(data: PromotionData) -> None:
    data.name = (data.name or "").strip()
    data.description = (data.description or "").strip()
    if not data.name:
        raise PromotionError("Nama promo wajib diisi.", "name")
    if len(data.name) > 160:
        raise PromotionError("Nama promo maksimal 160 karakter.", "name")
    if data.starts_at is None or data.ends_at is None:
        raise PromotionError("Isi tanggal mulai dan selesai.", "starts_at")
    if data.ends_at <= data.starts_at:
        raise PromotionError("Tanggal selesai harus setelah tanggal mulai.", "ends_at")
    if data.benefit == "percent":
        if not isinstance(data.value, int) or not 1 <= data.value <= 90:
            raise PromotionError("Diskon persen harus antara 1 dan 90.", "percent")
    elif data.benefit == "amount":
        if not isinstance(data.value, int) or not 1 <= data.value <= MAX_AMOUNT:
            raise PromotionError("Potongan harus antara Rp1 dan Rp100.000.000.", "amount")
    elif data.benefit == "free_shipping":
        data.value = 0
    else:
        raise PromotionError("Pilih jenis manfaat promo.", "benefit")
    if data.scope not in ("all", *TARGET_KIND):
        raise PromotionError("Pilih cakupan promo.", "scope")
    if data.scope == "all":
        data.targets = ()
    else:
        kind = TARGET_KIND[data.scope]
        data.targets = tuple(sorted({t for t in data.targets if t[0] == kind}))
        if not data.targets:
            raise PromotionError({
                "facilities": "Pilih minimal satu Lapas/Rutan.",
                "categories": "Pilih minimal satu kategori.",
                "products": "Pilih minimal satu produk."}[data.scope], data.scope)
        _check_targets_exist(kind, [target_id for _, target_id in data.targets])
    if data.min_subtotal is None or not 0 <= data.min_subtotal <= MAX_AMOUNT:
        raise PromotionError("Minimal belanja antara Rp0 dan Rp100.000.000.", "min_subtotal")
    for name, label in (("max_uses", "Kuota pemakaian"),
                        ("max_uses_per_customer", "Batas per pelanggan")):
        value = getattr(data, name)
        if value is not None and not 1 <= value <= 1_000_000:
            raise PromotionError(f"{label} minimal 1 (kosongkan bila tanpa batas).", name)
    if data.budget is not None and not 1 <= data.budget <= 10 * MAX_AMOUNT:
        raise PromotionError("Anggaran minimal Rp1 (kosongkan bila tanpa batas).", "budget")
    if data.funding not in ("partner", "facility"):
        raise PromotionError("Pilih siapa yang menanggung potongan.", "funding")
    if data.redemption not in ("automatic", "code"):
        raise PromotionError("Pilih cara promo dipakai.", "redemption")
    if data.redemption == "code":
        data.combinable = False  # "combinable" is about automatic promotions
    else:
        data.shared_code = None
    if data.shared_code is not None:
        code = normalize_code(data.shared_code)
        if code is None:
            raise PromotionError("Kode 3–40 karakter: huruf, angka, - atau _, diawali huruf "
                                 "atau angka.", "shared_code")
        data.shared_code = code


def _check_targets_exist(kind, ids):
    model = {"facility": Facility, "category": Category, "product": Product}[kind]
    found = db.session.scalar(select(func.count(model.id)).where(model.id.in_(ids)))
    if found != len(set(ids)):
        raise PromotionError("Ada pilihan cakupan yang tidak dikenal.", "scope")


def _code_taken(code: str, promotion_id=None) -> bool:
    stmt = select(PromotionCode.id).where(PromotionCode.code == code)
    if promotion_id is not None:
        stmt = stmt.where(PromotionCode.promotion_id != promotion_id)
    return db.session.scalar(stmt) is not None


# ------------------------------------------------------------------ drafts

def _apply(promotion: Promotion, data: PromotionData) -> None:
    for name in PromotionData.COLUMNS:
        setattr(promotion, name, getattr(data, name))
    promotion.targets = [
        PromotionTarget(**{f"{kind}_id": target_id}) for kind, target_id in data.targets]


def _set_codes(promotion: Promotion, data: PromotionData, batch_count=None, batch_prefix=""):
    """Codes of a draft: a shared code replaces the batch and vice versa (a draft was never
    live, so none of its codes has been used)."""
    if data.redemption != "code":
        db.session.execute(delete(PromotionCode).where(PromotionCode.promotion_id == promotion.id))
        return
    if data.shared_code is not None:
        if _code_taken(data.shared_code, promotion.id):
            raise PromotionError("Kode ini sudah dipakai promo lain. Pilih kode lain.",
                                 "shared_code")
        db.session.execute(delete(PromotionCode).where(
            PromotionCode.promotion_id == promotion.id,
            PromotionCode.code != data.shared_code))
        if shared_code_of(promotion) is None:
            db.session.add(PromotionCode(promotion_id=promotion.id, code=data.shared_code,
                                         single_use=False))
        return
    db.session.execute(delete(PromotionCode).where(
        PromotionCode.promotion_id == promotion.id, PromotionCode.single_use.is_(False)))
    if batch_count:
        _generate(promotion, batch_count, batch_prefix)


def create_promotion(partner_id: int, actor, data: PromotionData, batch_count=None,
                     batch_prefix="", slug=None) -> Promotion:
    """A new draft of `partner_id`'s organisation; with redemption "code", either the shared
    code in `data` or a batch of `batch_count` single-use codes."""
    _validate(data)
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


def _slug_taken(slug):
    return db.session.scalar(select(Promotion.id).where(Promotion.slug == slug)) is not None


def changed_fields(promotion: Promotion, data: PromotionData) -> set[str]:
    before = data_of(promotion)
    return {f.name for f in fields(PromotionData)
            if getattr(before, f.name) != getattr(data, f.name)}


def update_promotion(promotion: Promotion, actor, data: PromotionData, batch_count=None,
                     batch_prefix="") -> set[str]:
    """Save a partner's changes; returns the names of the fields that changed."""
    if promotion.approval == "pending":
        raise PromotionLocked("Promo sedang menunggu persetujuan admin. Tunggu keputusannya "
                              "sebelum mengubah promo.")
    before = data_of(promotion)
    for name in ("starts_at", "ends_at"):  # the form has minute precision
        new, old = getattr(data, name), getattr(before, name)
        if new is not None and new.replace(second=0, microsecond=0) == old.replace(
                second=0, microsecond=0):
            setattr(data, name, old)
    _validate(data)
    changed = changed_fields(promotion, data)
    if promotion.approval == "approved":
        if changed & set(LOCKED_WHEN_APPROVED):
            raise PromotionLocked("Promo sudah disetujui: manfaat, cakupan dan penanggung "
                                  "potongan tidak bisa diubah. Buat promo baru bila perlu.")
        if changed - set(DETAILS):
            raise PromotionLocked("Promo sudah disetujui: hanya nama dan deskripsi yang bisa "
                                  "diubah.")
        if batch_count:
            raise PromotionLocked("Tambahkan kode sekali pakai lewat halaman promo.")
        promotion.name, promotion.description = data.name, data.description
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


def submit_promotion(promotion: Promotion, actor) -> None:
    """draft / rejected -> pending (the Kanwil decides)."""
    if promotion.approval not in EDITABLE:
        raise PromotionLocked("Promo ini sudah diajukan.")
    if promotion.ends_at <= utcnow():
        raise PromotionError("Tanggal selesai promo sudah lewat. Ubah tanggalnya dulu.",
                             "ends_at")
    if promotion.redemption == "code" and not db.session.scalar(
            select(PromotionCode.id).where(PromotionCode.promotion_id == promotion.id)):
        raise PromotionError("Promo dengan kode belum punya kode. Isi kode bersama atau buat "
                             "kode sekali pakai.", "shared_code")
    previous = promotion.approval
    promotion.approval = "pending"
    record("promotion.submitted", actor=actor, subject=promotion.slug, from_value=previous,
           to_value="pending")
    db.session.commit()


# ------------------------------------------------------------------ the Kanwil's decisions

def _admin_only(actor, promotion: Promotion, what: str) -> None:
    if getattr(actor, "role", None) != "admin":
        raise NotAllowed(f"Hanya admin Kanwil yang bisa {what} promo.")
    if actor.partner_id is not None and actor.partner_id == promotion.partner_id:
        raise NotAllowed(f"Promo organisasi sendiri tidak bisa {what} sendiri.")


def _decide(promotion: Promotion, actor, to: str, note: str) -> None:
    claimed = db.session.execute(
        update(Promotion).where(Promotion.id == promotion.id, Promotion.approval == "pending")
        .values(approval=to, decision_note=note,
                approved_by_id=actor.id if to == "approved" else None, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise PromotionLocked("Promo ini tidak sedang menunggu persetujuan.")
    record(f"promotion.{to}", actor=actor, subject=promotion.slug, from_value="pending",
           to_value=to, note=note)
    db.session.commit()
    db.session.refresh(promotion)


def approve_promotion(promotion: Promotion, actor, note: str = "") -> None:
    _admin_only(actor, promotion, "menyetujui")
    _decide(promotion, actor, "approved", (note or "").strip()[:1000])


def reject_promotion(promotion: Promotion, actor, reason: str) -> None:
    _admin_only(actor, promotion, "menolak")
    reason = (reason or "").strip()
    if not 5 <= len(reason) <= 1000:
        raise PromotionError("Tulis alasan penolakan, 5 sampai 1000 karakter.", "reason")
    _decide(promotion, actor, "rejected", reason)


def set_paused(promotion: Promotion, actor, paused: bool, note: str = "") -> None:
    """Pause (or resume) an approved promotion: the cart stops (or starts again) offering it."""
    _admin_only(actor, promotion, "menghentikan" if paused else "melanjutkan")
    if promotion.approval != "approved":
        raise PromotionLocked("Hanya promo yang sudah disetujui yang bisa dihentikan atau "
                              "dilanjutkan.")
    if promotion.is_active == (not paused):
        return
    promotion.is_active = not paused
    record("promotion.paused" if paused else "promotion.resumed", actor=actor,
           subject=promotion.slug, from_value="active" if paused else "paused",
           to_value="paused" if paused else "active", note=(note or "").strip()[:1000])
    db.session.commit()


# ------------------------------------------------------------------ codes

def normalize_prefix(raw) -> str:
    prefix = (raw or "").strip().upper().rstrip("-") if isinstance(raw, str) else ""
    if prefix and not PREFIX_RE.match(prefix):
        raise PromotionError("Awalan kode 1–12 huruf atau angka, tanpa spasi.", "batch_prefix")
    return prefix


def _random_code(prefix: str) -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{prefix}-{body}" if prefix else body


def _generate(promotion: Promotion, count: int, prefix: str = "") -> list[str]:
    if not isinstance(count, int) or not 1 <= count <= MAX_BATCH:
        raise PromotionError(f"Jumlah kode antara 1 dan {MAX_BATCH}.", "batch_count")
    prefix = normalize_prefix(prefix)
    made: set[str] = set()
    while len(made) < count:
        wanted = {_random_code(prefix) for _ in range(count - len(made))} - made
        taken = set(db.session.scalars(
            select(PromotionCode.code).where(PromotionCode.code.in_(wanted))))
        made |= wanted - taken
    codes = sorted(made)
    assert all(CODE_RE.match(code) for code in codes)
    db.session.add_all(PromotionCode(promotion_id=promotion.id, code=code, single_use=True)
                       for code in codes)
    db.session.flush()
    return codes


def generate_codes(promotion: Promotion, actor, count: int, prefix: str = "") -> list[str]:
    """Add `count` random single-use codes (unambiguous alphabet, optional prefix)."""
    if promotion.redemption != "code":
        raise PromotionError("Promo otomatis tidak memakai kode.", "batch_count")
    if shared_code_of(promotion) is not None:
        raise PromotionError("Promo ini memakai satu kode bersama; kode sekali pakai tidak "
                             "bisa ditambahkan.", "batch_count")
    if promotion.ends_at <= utcnow():
        raise PromotionError("Promo ini sudah berakhir.", "batch_count")
    try:
        codes = _generate(promotion, count, prefix)
        record("promotion.codes_generated", actor=actor, subject=promotion.slug, amount=count)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return codes


def _cell(value: str) -> str:
    """Text must not become a spreadsheet formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def codes_csv(promotion: Promotion) -> str:
    rows = db.session.execute(
        select(PromotionCode.code, PromotionCode.single_use, PromotionCode.used_at, Order.number)
        .outerjoin(Order, Order.id == PromotionCode.used_by_order_id)
        .where(PromotionCode.promotion_id == promotion.id).order_by(PromotionCode.id)
    ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kode", "jenis", "dipakai_wit", "nomor_pesanan"])
    for code, single_use, used_at, number in rows:
        writer.writerow([code, "sekali_pakai" if single_use else "bersama",
                         to_wit(used_at).strftime("%Y-%m-%d %H:%M") if used_at else "",
                         number or ""])
    return out.getvalue()


# ------------------------------------------------------------------ figures

@dataclass
class Figures:
    uses: int = 0
    customers: int = 0
    discount: int = 0
    sales: int = 0
    shipping_part: int = 0


@dataclass
class FacilityFigures:
    facility_id: int
    name: str
    slug: str
    parcels: int
    sales: int
    discount: int
    shipping_part: int


def _counted(*columns):
    """Parcel discounts of paid orders whose facility order was not cancelled."""
    return (
        select(*columns).select_from(ParcelDiscount)
        .join(FacilityOrder, FacilityOrder.id == ParcelDiscount.facility_order_id)
        .join(Order, Order.id == FacilityOrder.order_id)
        .where(Order.paid_at.isnot(None), FacilityOrder.status != "cancelled")
    )


def _int(value) -> int:
    return int(value or 0)  # PostgreSQL's SUM(bigint) is numeric


def promotion_figures(promotion_id: int) -> Figures:
    row = db.session.execute(
        _counted(func.count(distinct(FacilityOrder.order_id)),
                 func.count(distinct(Redemption.customer_key)),
                 func.sum(ParcelDiscount.amount), func.sum(FacilityOrder.subtotal),
                 func.sum(ParcelDiscount.shipping_part))
        .outerjoin(Redemption, and_(Redemption.order_id == FacilityOrder.order_id,
                                    Redemption.promotion_id == ParcelDiscount.promotion_id))
        .where(ParcelDiscount.promotion_id == promotion_id)
    ).one()
    return Figures(*(_int(value) for value in row))


def figures_by_promotion(promotion_ids) -> dict[int, Figures]:
    """Uses and discount of several promotions (one grouped query), for the lists."""
    if not promotion_ids:
        return {}
    rows = db.session.execute(
        _counted(ParcelDiscount.promotion_id, func.count(distinct(FacilityOrder.order_id)),
                 func.sum(ParcelDiscount.amount))
        .where(ParcelDiscount.promotion_id.in_(list(promotion_ids)))
        .group_by(ParcelDiscount.promotion_id)
    ).all()
    return {pid: Figures(uses=_int(uses), discount=_int(discount))
            for pid, uses, discount in rows}


def figures_by_facility(promotion_id: int, partner_funded_only=False) -> list[FacilityFigures]:
    stmt = (
        _counted(Facility.id, Facility.name, Facility.slug, func.count(FacilityOrder.id),
                 func.sum(FacilityOrder.subtotal), func.sum(ParcelDiscount.amount),
                 func.sum(ParcelDiscount.shipping_part))
        .join(Facility, Facility.id == FacilityOrder.facility_id)
        .where(ParcelDiscount.promotion_id == promotion_id)
        .group_by(Facility.id, Facility.name, Facility.slug)
        .order_by(Facility.name, Facility.id)
    )
    if partner_funded_only:
        stmt = stmt.where(ParcelDiscount.funding == "partner")
    return [FacilityFigures(fid, name, slug, _int(parcels), _int(sales), _int(discount),
                            _int(shipping))
            for fid, name, slug, parcels, sales, discount, shipping
            in db.session.execute(stmt).all()]


def _wit_day(column):
    """The WIT calendar day of a naive-UTC column, computed by the database."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.date(column, "+9 hours")
    return func.date(column + timedelta(hours=9))


def figures_by_day(promotion_id: int) -> list[tuple[str, int, int]]:
    """(YYYY-MM-DD in WIT, uses, discount) for each day the promotion was used, by the day
    the order was placed."""
    day = _wit_day(Order.created_at).label("day")
    rows = db.session.execute(
        _counted(day, func.count(distinct(FacilityOrder.order_id)),
                 func.sum(ParcelDiscount.amount))
        .where(ParcelDiscount.promotion_id == promotion_id)
        .group_by(day).order_by(day)
    ).all()
    return [(str(value), _int(uses), _int(discount)) for value, uses, discount in rows]


def statement_csv(promotion: Promotion) -> str:
    """What the partner owes each facility for a partner-funded promotion."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["lapas_rutan", "kode_unit", "paket", "penjualan", "potongan_ditanggung_mitra",
                     "termasuk_ongkir"])
    for row in figures_by_facility(promotion.id, partner_funded_only=True):
        writer.writerow([_cell(row.name), row.slug, row.parcels, row.sales, row.discount,
                         row.shipping_part])
    return out.getvalue()


# ------------------------------------------------------------------ lists and the landing page

def partner_promotions(partner_id: int) -> list[Promotion]:
    return list(db.session.scalars(
        select(Promotion).where(Promotion.partner_id == partner_id)
        .order_by(Promotion.created_at.desc(), Promotion.id.desc())))


def partner_promotion(partner_id: int, promotion_id: int) -> Promotion | None:
    """One promotion of the organisation, or None (another organisation's is "not found")."""
    return db.session.scalar(
        select(Promotion).where(Promotion.id == promotion_id,
                                Promotion.partner_id == partner_id)
        .options(selectinload(Promotion.targets)))


def target_names(promotion: Promotion) -> list[str]:
    """Names of the facilities, categories or products a scoped promotion applies to."""
    if promotion.scope == "all":
        return []
    kind = TARGET_KIND[promotion.scope]
    model = {"facility": Facility, "category": Category, "product": Product}[kind]
    column = getattr(PromotionTarget, f"{kind}_id")
    return list(db.session.scalars(
        select(model.name).join(PromotionTarget, column == model.id)
        .where(PromotionTarget.promotion_id == promotion.id).order_by(model.name)))


def approved_promotion(slug: str) -> Promotion | None:
    return db.session.scalar(
        select(Promotion).where(Promotion.slug == slug, Promotion.approval == "approved")
        .options(selectinload(Promotion.partner)))


def products_in_scope_stmt(promotion: Promotion):
    """Active products of active facilities the promotion applies to, as the cart decides
    (a category target covers its sub-categories). Subqueries, not a list of ids: the
    number of queries does not grow with the products."""
    stmt = (select(Product).join(Product.facility).join(Product.category)
            .where(Product.status == "active", Facility.is_active.is_(True)))
    if promotion.scope == "all":
        return stmt
    kind = TARGET_KIND[promotion.scope]
    targets = select(getattr(PromotionTarget, f"{kind}_id")).where(
        PromotionTarget.promotion_id == promotion.id)
    if kind == "facility":
        return stmt.where(Product.facility_id.in_(targets))
    if kind == "product":
        return stmt.where(Product.id.in_(targets))
    return stmt.where(or_(Product.category_id.in_(targets), Category.parent_id.in_(targets)))
