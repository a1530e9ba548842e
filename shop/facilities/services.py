"""Writes to facilities. The caller commits."""

from flask_babel import gettext as _
from sqlalchemy import select

from shop.extensions import db
from shop.facilities.models import FACILITY_KINDS, SHIPPING_ZONES, Facility, ShippingRate


class FacilityError(ValueError):
    """A facility rule was broken; the message is Indonesian."""


def create_facility(*, slug, name, kind, town, regency, **fields) -> Facility:
    """Create a facility; the revenue split must be whole percents summing to 100."""
    if kind not in FACILITY_KINDS:
        raise FacilityError(_("Jenis unit tidak dikenal."))
    split = [fields.get(k, d) for k, d in
             (("premi_percent", 50), ("pnbp_percent", 15), ("capital_percent", 35))]
    if any(not isinstance(p, int) or p < 0 for p in split) or sum(split) != 100:
        raise FacilityError(_("Pembagian hasil harus persen bulat yang berjumlah 100."))
    facility = Facility(slug=slug, name=name, kind=kind, town=town, regency=regency, **fields)
    db.session.add(facility)
    db.session.flush()
    return facility


def set_shipping_rate(facility, zone: str, first_kg: int, next_kg: int) -> ShippingRate:
    """Create or change a facility's rate for a zone (whole rupiah, not negative)."""
    if zone not in SHIPPING_ZONES:
        raise FacilityError(_("Zona pengiriman tidak dikenal."))
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in (first_kg, next_kg)):
        raise FacilityError(_("Tarif harus rupiah bulat, tidak negatif."))
    rate = db.session.scalar(select(ShippingRate).where(
        ShippingRate.facility_id == facility.id, ShippingRate.zone == zone))
    if rate is None:
        rate = ShippingRate(facility_id=facility.id, zone=zone)
        db.session.add(rate)
    rate.first_kg, rate.next_kg = first_kg, next_kg
    db.session.flush()
    return rate
