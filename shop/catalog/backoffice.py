"""The product back office: the writes the facility desk and the Kanwil make to a facility's
products: create and edit (with a photo), the photos' framing and order, stock adjustments,
archive and restore, flagship requests.

Each verb takes the acting user explicitly (the audit names them) and, to create, the facility
the product belongs to; it checks the rules, writes its change together with an audit record and
commits (or rolls back and raises `CatalogError`/`ImageRejected` with a message safe to show).
The caller scopes product look-ups to what the desk may see before calling.
"""

import logging

from flask_babel import gettext as _
from sqlalchemy import select, update

from shop.catalog.models import UNITS, Category, FlagshipRequest, Product, StockAdjustment
from shop.catalog.services import (
    CatalogError,
    add_product_image,
    create_product,
    move_product_image,
    reframe_product_image,
)
from shop.core.audit import record
from shop.extensions import db
from shop.media.images import discard_original

log = logging.getLogger(__name__)

# What the desks may set on a product. Stock, facility, slug and the flagship mark are not here:
# stock moves only through adjustments, the flagship mark only through a Kanwil decision.
EDITABLE_FIELDS = (
    "name", "name_en", "description", "description_en", "category_id", "price", "unit",
    "weight_grams", "is_perishable", "pirt_number", "bpom_number", "halal_number", "status",
)
DESK_STATUSES = ("draft", "active")
MAX_PRICE = 100_000_000
MAX_STOCK_CHANGE = 1_000_000
REASON_MIN, REASON_MAX = 3, 300


class StockRefused(CatalogError):
    """The adjustment would take the stock below zero (or is otherwise not allowed)."""


def _check_fields(fields):
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise CatalogError(_("Kolom tidak dapat diubah: %(f)s.", f=", ".join(sorted(unknown))))
    price = fields.get("price")
    if "price" in fields and (not isinstance(price, int) or isinstance(price, bool)
                              or not 0 < price <= MAX_PRICE):
        raise CatalogError(_("Harga harus bilangan bulat rupiah lebih dari 0."))
    if "unit" in fields and fields["unit"] not in UNITS:
        raise CatalogError(_("Satuan tidak dikenal."))
    if "status" in fields and fields["status"] not in DESK_STATUSES:
        raise CatalogError(_("Status produk tidak dikenal."))
    if (fields.get("weight_grams") or 0) < 0:
        raise CatalogError(_("Berat tidak boleh negatif."))
    if "category_id" in fields and db.session.get(Category, fields["category_id"]) is None:
        raise CatalogError(_("Kategori tidak dikenal."))
    if "name" in fields and not (fields["name"] or "").strip():
        raise CatalogError(_("Nama produk wajib diisi."))


def _attach_photo(product, photo, alt_text, framing=None):
    if photo is not None:  # b"" (an empty file) is refused by the image check
        add_product_image(product, photo, alt_text=(alt_text or product.name)[:300],
                          framing=framing)


def create_facility_product(facility, actor, *, photo: bytes | None = None,
                            photo_alt: str = "", photo_framing: str | None = None,
                            initial_stock: int = 0, **fields) -> Product:
    """A new product of `facility`, made by `actor` (its staff or a Kanwil admin); stock starts
    at 0, an initial stock is logged as the adjustment "Stok awal". The photo (if any) is
    checked and stored in the same step, framed `photo_framing` ("fill", "fit", or None: "fit"
    for a photo far from 4:3)."""
    if facility is None:
        raise CatalogError(_("Pilih Lapas/Rutan pemilik produk."))
    _check_fields(fields)
    if not isinstance(initial_stock, int) or not 0 <= initial_stock <= MAX_STOCK_CHANGE:
        raise CatalogError(_("Stok awal harus bilangan bulat 0 atau lebih."))
    try:
        category = db.session.get(Category, fields.pop("category_id"))
        product = create_product(facility=facility, category=category, stock=0, **fields)
        _attach_photo(product, photo, photo_alt, photo_framing)
        record("product.created", actor=actor, facility_id=product.facility_id,
               subject=product.slug, to_value=product.status, amount=product.price)
        if initial_stock:
            _apply_stock_change(product, initial_stock, _("Stok awal"), actor)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return product


def _describe(value):
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def update_product(product, actor, *, photo: bytes | None = None, photo_alt: str = "",
                   photo_framing: str | None = None, **fields) -> Product:
    """Change the editable fields (and add a photo, framed as in create); audit what changed."""
    _check_fields(fields)
    try:
        changes = []
        old_status, old_price = product.status, product.price
        for name, value in fields.items():
            if getattr(product, name) != value:
                if name != "status":  # a status change has its own record below
                    changes.append(
                        f"{name}: {_describe(getattr(product, name))} → {_describe(value)}")
                setattr(product, name, value)
        if changes:
            price_changed = product.price != old_price
            record("product.updated", actor=actor, facility_id=product.facility_id,
                   subject=product.slug, from_value=str(old_price) if price_changed else None,
                   to_value=str(product.price) if price_changed else None,
                   note="; ".join(changes))
        if product.status != old_status:
            record("product.status", actor=actor, facility_id=product.facility_id,
                   subject=product.slug, from_value=old_status, to_value=product.status)
        if photo is not None:
            _attach_photo(product, photo, photo_alt, photo_framing)
            record("product.photo_added", actor=actor, facility_id=product.facility_id,
                   subject=product.slug)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return product


def _lock(product):
    """Lock the product row (PostgreSQL) so two changes to its photos run one after the other."""
    db.session.execute(select(Product.id).where(Product.id == product.id).with_for_update())


def set_photo_framing(product, image, framing: str, actor) -> bool:
    """Frame one of the product's photos "fill" or "fit": its sizes are derived again under new
    URLs (the old files are deleted once the change is committed). Returns False when the photo
    already had that framing (nothing changes)."""
    new_key = None
    try:
        _lock(product)
        db.session.refresh(image)
        old = image.framing
        old_key = reframe_product_image(image, framing)
        if old_key is None:
            db.session.rollback()
            return False
        new_key = image.storage_key
        record("product.photo_framing", actor=actor, facility_id=product.facility_id,
               subject=product.slug, from_value=old, to_value=framing,
               note=f"foto {image.id}")
        db.session.commit()
    except Exception:
        db.session.rollback()
        if new_key is not None:
            _discard(new_key)
        raise
    _discard(old_key)
    return True


def _discard(storage_key):
    try:
        discard_original(storage_key)
    except Exception:  # a leftover file is harmless; the change itself stands
        log.warning("could not delete the files of photo %s", storage_key, exc_info=True)


def move_photo(product, image, step: int, actor):
    """Move a photo one place earlier (-1) or later (+1); the first photo is the cover on cards
    and the product page."""
    try:
        _lock(product)
        move_product_image(product, image, step)
        record("product.photo_moved", actor=actor, facility_id=product.facility_id,
               subject=product.slug, to_value=str(image.position),
               note=f"foto {image.id}")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def _apply_stock_change(product, change, reason, actor) -> StockAdjustment:
    """One conditional UPDATE, so concurrent orders can never take the stock below zero."""
    stock_after = db.session.execute(
        update(Product)
        .where(Product.id == product.id, Product.facility_id == product.facility_id,
               Product.stock + change >= 0)
        .values(stock=Product.stock + change)
        .returning(Product.stock)
        .execution_options(synchronize_session=False)
    ).scalar()
    if stock_after is None:
        raise StockRefused(_("Stok tidak boleh kurang dari 0."))
    adjustment = StockAdjustment(product_id=product.id, user_id=getattr(actor, "id", None),
                                 change=change, stock_after=stock_after, reason=reason)
    db.session.add(adjustment)
    record("product.stock", actor=actor, facility_id=product.facility_id, subject=product.slug,
           from_value=str(stock_after - change), to_value=str(stock_after), amount=change,
           note=reason)
    db.session.flush()
    return adjustment


def adjust_stock(product, change: int, reason: str, actor) -> StockAdjustment:
    """Add (positive) or remove (negative) stock with a reason; refused below zero."""
    reason = (reason or "").strip()
    if not isinstance(change, int) or isinstance(change, bool) or change == 0:
        raise StockRefused(_("Perubahan stok harus bilangan bulat selain 0."))
    if abs(change) > MAX_STOCK_CHANGE:
        raise StockRefused(_("Perubahan stok terlalu besar."))
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise StockRefused(_("Alasan wajib diisi (3 sampai 300 karakter)."))
    try:
        adjustment = _apply_stock_change(product, change, reason, actor)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return adjustment


def _set_status(product, actor, to_status, allowed_from):
    if product.status not in allowed_from:
        raise CatalogError(_("Status produk tidak dapat diubah dari sini."))
    old = product.status
    product.status = to_status
    record("product.status", actor=actor, facility_id=product.facility_id,
           subject=product.slug, from_value=old, to_value=to_status)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return product


def archive_product(product, actor) -> Product:
    """Take a product off sale (kept for order history); it can be brought back as a draft."""
    return _set_status(product, actor, "archived", ("draft", "active"))


def unarchive_product(product, actor) -> Product:
    return _set_status(product, actor, "draft", ("archived",))


def pending_flagship_request(product_id, year) -> FlagshipRequest | None:
    return db.session.scalar(
        select(FlagshipRequest).where(FlagshipRequest.product_id == product_id,
                                      FlagshipRequest.year == year,
                                      FlagshipRequest.status == "pending")
    )


def request_flagship(product, actor, year: int, reason: str = "") -> FlagshipRequest:
    """Ask the Kanwil to mark the product as flagship for `year`; one pending request per
    product and year. Staff never set `is_flagship` themselves."""
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise CatalogError(_("Alasan maksimal 1000 karakter."))
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise CatalogError(_("Tahun tidak valid."))
    try:
        # Lock the product row (PostgreSQL) so two requests at once are checked one by one.
        db.session.execute(select(Product.id).where(Product.id == product.id).with_for_update())
        if product.status == "archived":
            raise CatalogError(_("Produk yang diarsipkan tidak dapat diusulkan sebagai unggulan."))
        if product.is_flagship and product.flagship_year == year:
            raise CatalogError(_("Produk ini sudah menjadi produk unggulan %(year)s.", year=year))
        if pending_flagship_request(product.id, year) is not None:
            raise CatalogError(_("Usulan unggulan %(year)s untuk produk ini sudah dikirim dan "
                                 "masih menunggu keputusan Kanwil.", year=year))
        flagship_request = FlagshipRequest(product_id=product.id, year=year, reason=reason,
                                           requested_by_id=getattr(actor, "id", None))
        db.session.add(flagship_request)
        record("flagship.requested", actor=actor, facility_id=product.facility_id,
               subject=product.slug, to_value=str(year), note=reason)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return flagship_request
