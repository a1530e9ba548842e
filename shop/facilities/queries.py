"""Read helpers for facilities. Counts of their products (and the flagship target) live in
the catalogue, above this layer: shop.catalog.flagship."""

from sqlalchemy import select

from shop.core.cache import ContentMemo
from shop.extensions import db
from shop.facilities.models import Facility

_ACTIVE = (select(Facility.id, Facility.slug, Facility.name)
           .where(Facility.is_active.is_(True)).order_by(Facility.name))
_KEPT_ACTIVE = ContentMemo(lambda read: (tuple(read(_ACTIVE)), None))


def facility_choices():
    """(id, slug, name) rows of the active facilities by name: the catalogue's filter (kept
    by the process per content version; a tuple, so a part rendered from it can be kept
    under it)."""
    return _KEPT_ACTIVE.get()


def active_facility_ids() -> tuple[int, ...]:
    """The ids of the active facilities, in a fixed order per content version."""
    return tuple(row.id for row in facility_choices())


def active_facilities() -> list[Facility]:
    return list(
        db.session.scalars(
            select(Facility).where(Facility.is_active.is_(True)).order_by(Facility.name)
        )
    )
