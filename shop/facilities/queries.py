"""Read helpers for facilities. Counts of their products (and the flagship target) live in
the catalogue, above this layer: shop.catalog.flagship."""

from sqlalchemy import select

from shop.core.database import read_rows
from shop.extensions import db
from shop.facilities.models import Facility

_CHOICES = (select(Facility.slug, Facility.name).where(Facility.is_active.is_(True))
            .order_by(Facility.name))


def facility_choices():
    """(slug, name) rows of the active facilities by name: the catalogue's filter."""
    return read_rows(_CHOICES).all()


def active_facilities() -> list[Facility]:
    return list(
        db.session.scalars(
            select(Facility).where(Facility.is_active.is_(True)).order_by(Facility.name)
        )
    )
