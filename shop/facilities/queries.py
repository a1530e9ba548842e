"""Read helpers for facilities. Counts of their products (and the flagship target) live in
the catalogue, above this layer: shop.catalog.flagship."""

from sqlalchemy import select

from shop.extensions import db
from shop.facilities.models import Facility


def active_facilities() -> list[Facility]:
    return list(
        db.session.scalars(
            select(Facility).where(Facility.is_active.is_(True)).order_by(Facility.name)
        )
    )
