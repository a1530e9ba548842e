"""Writes to the catalogue. Every function flushes; the caller (CLI, view) commits once."""

from flask_babel import gettext as _
from sqlalchemy import select

from shop.catalog.models import (
    IMAGE_FRAMINGS,
    PRODUCT_STATUSES,
    UNITS,
    Category,
    Product,
    ProductImage,
    SearchVariant,
)
from shop.core.i18n import lazy_gettext as _l
from shop.core.slugs import unique_slug
from shop.core.text import fold_words
from shop.extensions import db
from shop.media.images import reframe_original, store_original


class CatalogError(ValueError):
    """A rule of the catalogue was broken; the message is Indonesian and safe to show."""


def _slug_taken(model):
    return lambda slug: db.session.scalar(select(model.id).where(model.slug == slug)) is not None


def create_category(name, *, slug=None, name_en=None, parent=None, position=0) -> Category:
    """Create a category; the tree is at most two levels deep."""
    if parent is not None and parent.parent_id is not None:
        raise CatalogError(_("Kategori hanya boleh dua tingkat."))
    category = Category(
        name=name,
        name_en=name_en,
        slug=slug or unique_slug(name, _slug_taken(Category)),
        parent=parent,
        position=position,
    )
    db.session.add(category)
    db.session.flush()
    return category


def create_product(*, facility, category, name, price, slug=None, **fields) -> Product:
    """Create a product after checking the rules the database also enforces."""
    if not isinstance(price, int) or isinstance(price, bool) or price <= 0:
        raise CatalogError(_("Harga harus bilangan bulat rupiah lebih dari 0."))
    if fields.get("stock", 0) < 0:
        raise CatalogError(_("Stok tidak boleh negatif."))
    if fields.get("unit", "piece") not in UNITS:
        raise CatalogError(_("Satuan tidak dikenal."))
    if fields.get("status", "draft") not in PRODUCT_STATUSES:
        raise CatalogError(_("Status produk tidak dikenal."))
    if fields.get("is_flagship") and not fields.get("flagship_year"):
        raise CatalogError(_("Produk unggulan harus punya tahun penetapan."))
    product = Product(
        facility=facility,
        category=category,
        name=name,
        price=price,
        slug=slug or unique_slug(name, _slug_taken(Product)),
        **fields,
    )
    db.session.add(product)
    db.session.flush()
    return product


def add_product_image(
    product, data: bytes, alt_text: str, alt_text_en=None, derive_now=True, framing=None
) -> ProductImage:
    """Store a photo (checked, re-encoded, derived sizes made) and attach it last in order.
    `framing` "fill" or "fit"; None frames a photo far from 4:3 (a portrait) "fit", so it is
    never cut without the staff choosing so."""
    if framing is not None and framing not in IMAGE_FRAMINGS:
        raise CatalogError(_("Pilihan tampilan foto tidak dikenal."))
    key, width, height, framing = store_original(data, derive_now=derive_now, framing=framing)
    image = ProductImage(
        product=product,
        position=(max((i.position for i in product.images), default=-1) + 1),
        alt_text=alt_text,
        alt_text_en=alt_text_en,
        storage_key=key,
        width=width,
        height=height,
        framing=framing,
    )
    db.session.add(image)
    db.session.flush()
    return image


def reframe_product_image(image: ProductImage, framing: str) -> str | None:
    """Frame a photo anew ("fill" or "fit"): its sizes are derived again under a new storage
    key, so every URL changes and no cache shows the old framing. Returns the old key, whose
    files the caller discards once the change is committed; None when nothing changed."""
    if framing not in IMAGE_FRAMINGS:
        raise CatalogError(_("Pilihan tampilan foto tidak dikenal."))
    if image.framing == framing:
        return None
    old_key = image.storage_key
    image.storage_key = reframe_original(old_key, framing)
    image.framing = framing
    db.session.flush()
    return old_key


def move_product_image(product, image: ProductImage, step: int) -> None:
    """Move a photo one place earlier (step -1) or later (+1) among the product's photos and
    number them 0, 1, 2... again; the first is the cover. Positions are read afresh (the
    caller holds the product's lock)."""
    images = list(db.session.scalars(
        select(ProductImage).where(ProductImage.product_id == product.id)
        .order_by(ProductImage.position, ProductImage.id)
        .execution_options(populate_existing=True)))
    if image not in images:
        raise CatalogError(_("Foto ini tidak dapat dipindahkan ke arah itu."))
    index = images.index(image)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(images):
        raise CatalogError(_("Foto ini tidak dapat dipindahkan ke arah itu."))
    images[index], images[target] = images[target], images[index]
    for position, each in enumerate(images):
        each.position = position
    db.session.flush()


def add_search_variant(word, canonical):
    """Teach the search an everyday spelling: `word` also finds `canonical` (one word each)."""
    word, canonical = fold_words(word or ""), fold_words(canonical or "")
    if not word or not canonical or " " in word or " " in canonical:
        raise CatalogError(_l("Isi satu kata dan satu kata baku."))
    if word == canonical:
        raise CatalogError(_l("Kata dan kata bakunya sama."))
    if db.session.scalar(select(SearchVariant.id).where(SearchVariant.word == word)):
        raise CatalogError(_l("Kata itu sudah ada di daftar."))
    variant = SearchVariant(word=word[:60], canonical=canonical[:60])
    db.session.add(variant)
    db.session.flush()
    return variant


def remove_search_variant(variant_id):
    variant = db.session.get(SearchVariant, variant_id)
    if variant is not None:
        db.session.delete(variant)
        db.session.flush()
    return variant
