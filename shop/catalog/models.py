"""Categories, products and their photos."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.i18n import lazy_gettext as _l
from shop.core.text import fold_words
from shop.core.time import utcnow
from shop.extensions import db
from shop.facilities.models import Facility

# Code -> label shown after "per" ("Rp60.000 / kg").
UNITS = {
    "piece": _l("buah"),
    "kg": _l("kg"),
    "pack": _l("bungkus"),
    "bottle": _l("botol"),
    "jar": _l("toples"),
    "box": _l("kotak"),
    "set": _l("set"),
    "bunch": _l("ikat"),
    "head": _l("ekor"),
    "sack": _l("karung"),
}


def unit_label(code):
    """A unit code ("jar") in the visitor's language ("toples"): the `unit_label` template
    filter, product pages and order lines all read UNITS."""
    return UNITS.get(code, code)


PRODUCT_STATUSES = ("draft", "active", "archived")
PRODUCT_STATUS_LABELS = {"draft": _l("Draf"), "active": _l("Aktif"), "archived": _l("Diarsipkan")}
FLAGSHIP_REQUEST_LABELS = {"pending": _l("Menunggu keputusan Kanwil"), "approved": _l("Disetujui"),
                           "refused": _l("Ditolak")}


class CategoryText:
    """A category's name in a language (the model and the product page's plain view share it)."""

    __slots__ = ()

    def label(self, locale="id"):
        return self.name_en if locale == "en" and self.name_en else self.name


class ProductText:
    """What a product says in a language (the model and the product page's plain view)."""

    __slots__ = ()

    @property
    def unit_label(self):
        return unit_label(self.unit)

    @property
    def cover(self):
        return self.images[0] if self.images else None

    def localized_name(self, locale="id"):
        return self.name_en if locale == "en" and self.name_en else self.name

    def localized_description(self, locale="id"):
        return self.description_en if locale == "en" and self.description_en else self.description


class ImageText:
    """A photo's description in a language (the model and the product page's plain view)."""

    __slots__ = ()

    def alt(self, locale="id"):
        return self.alt_text_en if locale == "en" and self.alt_text_en else self.alt_text


class Category(CategoryText, db.Model):
    """A node of the category tree, at most two levels deep (enforced by the service)."""

    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    name_en: Mapped[str | None] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("category.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Search words of both names (kept by a listener; the search index reads it).
    search_name: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")

    parent: Mapped["Category | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Category"]] = relationship(
        back_populates="parent", order_by="Category.position, Category.name"
    )

    def __repr__(self):
        return f"<Category {self.slug}>"


class Product(ProductText, db.Model):
    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("stock >= 0", name="stock_non_negative"),
        CheckConstraint("weight_grams >= 0", name="weight_non_negative"),
        CheckConstraint("status IN ('draft', 'active', 'archived')", name="status_known"),
        CheckConstraint(
            "(is_flagship = false AND flagship_year IS NULL) OR "
            "(is_flagship = true AND flagship_year IS NOT NULL)",
            name="flagship_has_year",
        ),
        Index("ix_product_listing", "status", "facility_id", "created_at"),
        Index("ix_product_newest", "status", "created_at", "id"),
        # counting the visible products (an index-only scan of the active ones), and "more
        # from this facility" (read in its order: no sort of the facility's products)
        Index("ix_product_active_facility", "facility_id",
              sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'")),
        Index("ix_product_active_more", "facility_id", "is_flagship", "created_at", "id",
              sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(
        ForeignKey("facility.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    slug: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(160), nullable=False)
    name_en: Mapped[str | None] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    description_en: Mapped[str | None] = mapped_column(Text)
    price: Mapped[int] = mapped_column(Integer, nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False, default="piece")
    weight_grams: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    stock: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    is_flagship: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    flagship_year: Mapped[int | None] = mapped_column(Integer)
    is_perishable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    pirt_number: Mapped[str | None] = mapped_column(String(40))
    bpom_number: Mapped[str | None] = mapped_column(String(40))
    halal_number: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="draft")
    # Search words (shop.core.text.fold_words) of both names, and of names + descriptions:
    # database triggers copy them, with the category's and facility's, into the search index.
    search_name: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    facility: Mapped[Facility] = relationship()
    category: Mapped[Category] = relationship()
    images: Mapped[list["ProductImage"]] = relationship(
        back_populates="product",
        order_by="ProductImage.position, ProductImage.id",
        cascade="all, delete-orphan",
    )

    def __repr__(self):
        return f"<Product {self.slug}>"


@event.listens_for(Product, "before_insert")
@event.listens_for(Product, "before_update")
def _refresh_search_text(mapper, connection, product):
    product.search_name = fold_words(product.name, product.name_en)
    product.search_text = fold_words(
        product.name, product.name_en, product.description, product.description_en
    )


@event.listens_for(Category, "before_insert")
@event.listens_for(Category, "before_update")
def _refresh_category_search_name(mapper, connection, category):
    category.search_name = fold_words(category.name, category.name_en)


class SearchVariant(db.Model):
    """An everyday spelling the Kanwil taught the search: typing `word` also finds `canonical`
    (and the other way round). Built-in variants live in shop/catalog/search.py."""

    __tablename__ = "search_variant"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(60), nullable=False, unique=True)
    canonical: Mapped[str] = mapped_column(String(60), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


# How a photo fills the 4:3 frame of cards and product pages (shop.media.images.derive).
IMAGE_FRAMINGS = ("fill", "fit")
IMAGE_FRAMING_LABELS = {"fit": _l("Pas (tanpa potong)"), "fill": _l("Penuh (dipotong)")}


class ProductImage(ImageText, db.Model):
    """A product photo. The original is kept in storage; derived WebP sizes are generated. The
    photo at the first position is the product's cover (cards, share previews)."""

    __tablename__ = "product_image"
    __table_args__ = (
        CheckConstraint("framing IN ('fill', 'fit')", name="framing_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    alt_text: Mapped[str] = mapped_column(String(300), nullable=False)
    alt_text_en: Mapped[str | None] = mapped_column(String(300))
    # Key of the original in media storage; contains a random part, so URLs are immutable.
    storage_key: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    # "fill": cropped to 4:3; "fit": the whole photo, padded to 4:3. A new framing gets a new
    # storage key (so new URLs): derived photos are cached as immutable.
    framing: Mapped[str] = mapped_column(String(4), nullable=False, default="fill",
                                         server_default="fill")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    product: Mapped[Product] = relationship(back_populates="images")

    @property
    def framing_label(self):
        return IMAGE_FRAMING_LABELS.get(self.framing, self.framing)


def _register_cache_invalidation():
    from shop.core.cache import register_catalog_models

    register_catalog_models(Facility, Category, Product, ProductImage, SearchVariant)


_register_cache_invalidation()


class StockAdjustment(db.Model):
    """A manual stock change by staff, with its reason."""

    __tablename__ = "stock_adjustment"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    change: Mapped[int] = mapped_column(Integer, nullable=False)
    stock_after: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(300), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class FlagshipRequest(db.Model):
    """Staff ask the Kanwil to mark a product as flagship for a year; an admin decides."""

    __tablename__ = "flagship_request"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'refused')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), nullable=False, index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decision_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)

    product: Mapped[Product] = relationship()
