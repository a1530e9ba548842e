"""Writes to the catalogue. Every function flushes; the caller (CLI, view) commits once."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.catalog.models import (
    PRODUCT_STATUSES,
    UNITS,
    Category,
    Product,
    ProductImage,
    SearchVariant,
)
from shop.core.slugs import unique_slug
from shop.core.text import fold_words
from shop.extensions import db
from shop.media.images import store_original


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
    product, data: bytes, alt_text: str, alt_text_en=None, derive_now=True
) -> ProductImage:
    """Store a photo (checked, re-encoded, derived sizes made) and attach it last in order."""
    key, width, height = store_original(data, derive_now=derive_now)
    image = ProductImage(
        product=product,
        position=len(product.images),
        alt_text=alt_text,
        alt_text_en=alt_text_en,
        storage_key=key,
        width=width,
        height=height,
    )
    db.session.add(image)
    db.session.flush()
    return image


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
