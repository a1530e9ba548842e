"""Read helpers for facilities. Counts of their products (and the flagship target) live in
the catalogue, above this layer: shop.catalog.flagship."""

from sqlalchemy import select

from shop.core.cache import ContentMemo
from shop.extensions import db
from shop.facilities.models import Facility

_CHOICES = (select(Facility.slug, Facility.name).where(Facility.is_active.is_(True))
            .order_by(Facility.name))


_KEPT_CHOICES = ContentMemo(lambda read: (read(_CHOICES), None))


_KEPT_ACTIVE_IDS = ContentMemo(lambda read: (
    tuple(row[0] for row in read(select(Facility.id).where(Facility.is_active.is_(True))
                                 .order_by(Facility.id))), None))


def active_facility_ids() -> tuple[int, ...]:
    """The ids of the active facilities (kept by the process per content version)."""
    return _KEPT_ACTIVE_IDS.get()


def facility_choices():
    """(slug, name) rows of the active facilities by name: the catalogue's filter (kept by
    the process per content version)."""
    return _KEPT_CHOICES.get()


def active_facilities() -> list[Facility]:
    return list(
        db.session.scalars(
            select(Facility).where(Facility.is_active.is_(True)).order_by(Facility.name)
        )
    )
