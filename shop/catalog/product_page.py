"""What the product page and the API's product show, read as plain rows in one statement.

Loading a Product entity with its facility, category, parent category and photos through the
ORM cost more CPU than rendering the page (about 0.7 ms, against 0.2 ms for the same columns as
rows). Here one statement reads the columns the page and the API show (the photos by an outer
join: one row per photo, at least one) into frozen views that answer what the templates,
promotion marks and stock slots ask of a product (the text methods are the models' own).

The views compare and hash by what the page shows, so a rendered part can be kept under the view
itself (shop.core.templating.kept): any edit makes a different key. Stock and the timestamps
are left out of the comparison: the page shows stock through markers filled per request, and
the API (which shows the timestamps) is not kept that way.
"""

from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate

from sqlalchemy import bindparam

from shop.catalog.models import (
    Category,
    CategoryText,
    ImageText,
    Product,
    ProductImage,
    ProductText,
)
from shop.extensions import db
from shop.facilities.models import Facility, PlaceText


@dataclass(frozen=True, slots=True)
class PlaceView(PlaceText):
    """The facility as the product page shows it (name, where, how to reach it)."""

    id: int
    slug: str
    name: str
    town: str
    regency: str
    address: str
    phone: str
    opening_hours: str
    whatsapp: str
    latitude: float | None
    longitude: float | None
    programmes: str
    programmes_en: str | None


@dataclass(frozen=True, slots=True)
class CategoryView(CategoryText):
    id: int
    slug: str
    name: str
    name_en: str | None
    parent_id: int | None
    parent: "CategoryView | None"


@dataclass(frozen=True, slots=True)
class ImageView(ImageText):
    storage_key: str
    alt_text: str
    alt_text_en: str | None


@dataclass(frozen=True, slots=True)
class ProductView(ProductText):
    id: int
    slug: str
    name: str
    name_en: str | None
    description: str
    description_en: str | None
    price: int
    unit: str
    weight_grams: int
    is_flagship: bool
    flagship_year: int | None
    is_perishable: bool
    pirt_number: str | None
    bpom_number: str | None
    halal_number: str | None
    facility_id: int
    category_id: int
    facility: PlaceView
    category: CategoryView
    images: tuple[ImageView, ...]
    # Not part of the comparison: shown per request (stock markers) or only by the API.
    stock: int = field(compare=False)
    created_at: datetime = field(compare=False)
    updated_at: datetime = field(compare=False)


_PRODUCT = (
    Product.id, Product.slug, Product.name, Product.name_en, Product.description,
    Product.description_en, Product.price, Product.unit, Product.weight_grams,
    Product.is_flagship, Product.flagship_year, Product.is_perishable, Product.pirt_number,
    Product.bpom_number, Product.halal_number, Product.facility_id, Product.category_id,
)
_TIMES = (Product.stock, Product.created_at, Product.updated_at)
_FACILITY = (
    Facility.id, Facility.slug, Facility.name, Facility.town, Facility.regency, Facility.address,
    Facility.phone, Facility.opening_hours, Facility.whatsapp, Facility.latitude,
    Facility.longitude, Facility.programmes, Facility.programmes_en,
)
_PARENT = db.aliased(Category)
_CATEGORY = (Category.id, Category.slug, Category.name, Category.name_en, Category.parent_id)
_PARENT_CATEGORY = (_PARENT.id, _PARENT.slug, _PARENT.name, _PARENT.name_en)
_IMAGE = (ProductImage.storage_key, ProductImage.alt_text, ProductImage.alt_text_en)
_GROUPS = (_PRODUCT, _TIMES, _FACILITY, _CATEGORY, _PARENT_CATEGORY, _IMAGE)
# where each group of columns ends in a row
_ENDS = tuple(accumulate(len(group) for group in _GROUPS))


def page_statement(visible):
    """`visible` (the select of visible products, facility and category joined) reading one
    product's page by `:slug`: one row per photo, at least one."""
    return (
        visible
        .outerjoin(_PARENT, Category.parent)
        .outerjoin(ProductImage, ProductImage.product_id == Product.id)
        .where(Product.slug == bindparam("slug"))
        .order_by(ProductImage.position, ProductImage.id)
        .with_only_columns(*(column for group in _GROUPS for column in group))
    )


def product_view(rows) -> ProductView | None:
    """The view of `page_statement`'s rows (None when there are none)."""
    if not rows:
        return None
    row = rows[0]
    product, times, facility, category, parent, _image = _ENDS
    parent_view = (CategoryView(*row[category:parent], None, None)
                   if row[category] is not None else None)
    images = tuple(ImageView(*image[parent:]) for image in rows if image[parent] is not None)
    return ProductView(
        *row[:product], PlaceView(*row[times:facility]),
        CategoryView(*row[facility:category], parent_view), images, *row[product:times])
