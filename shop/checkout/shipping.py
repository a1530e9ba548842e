"""Shipping charges: a rate table per facility and zone, by the parcel's weight."""

import math
from functools import cache

from sqlalchemy import bindparam, select

from shop.checkout.addresses import HOME_PROVINCE, HOME_PROVINCE_CODE
from shop.extensions import db
from shop.facilities.models import ShippingRate

PREFIXES = ("kota ", "kabupaten ", "kab. ", "kab ")


def _place(name: str) -> str:
    name = (name or "").strip().casefold()
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):].strip()
    return name


def zone_for(facility, city: str, province: str, regency_code: str = "") -> str:
    """same_town: the facility's own regency; north_maluku; or indonesia.

    An address picked from the official list carries its regency code, compared with the
    facility's code: no spelling can put it in the wrong zone. A free-text address (or a
    facility without a code yet) falls back to comparing the names."""
    if regency_code:
        if not regency_code.startswith(HOME_PROVINCE_CODE + "."):
            return "indonesia"
        if facility.regency_code:
            return "same_town" if regency_code == facility.regency_code else "north_maluku"
    if province != HOME_PROVINCE:
        return "indonesia"
    if _place(city) in {_place(facility.town), _place(facility.regency)}:
        return "same_town"
    return "north_maluku"


def charge(rate: ShippingRate, weight_grams: int) -> int:
    """First kilogram, then each further kilogram started (a 1,001 g parcel pays 2 kg)."""
    kilos = max(1, math.ceil(weight_grams / 1000))
    return rate.first_kg + rate.next_kg * (kilos - 1)


@cache
def _rates_statement():
    """Built once: every checkout reads the rates."""
    return select(ShippingRate).where(
        ShippingRate.facility_id.in_(bindparam("facility_ids", expanding=True)))


def rates_for(facility_ids) -> dict[tuple[int, str], ShippingRate]:
    rows = db.session.scalars(_rates_statement(), {"facility_ids": list(facility_ids)})
    return {(rate.facility_id, rate.zone): rate for rate in rows}
