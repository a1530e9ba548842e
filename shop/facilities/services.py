"""Writes to facilities. The caller commits."""

from shop.extensions import db
from shop.facilities.models import FACILITY_KINDS, Facility


class FacilityError(ValueError):
    """A facility rule was broken; the message is Indonesian."""


def create_facility(*, slug, name, kind, town, regency, **fields) -> Facility:
    """Create a facility; the revenue split must be whole percents summing to 100."""
    if kind not in FACILITY_KINDS:
        raise FacilityError("Jenis unit tidak dikenal.")
    split = [fields.get(k, d) for k, d in
             (("premi_percent", 50), ("pnbp_percent", 15), ("capital_percent", 35))]
    if any(not isinstance(p, int) or p < 0 for p in split) or sum(split) != 100:
        raise FacilityError("Pembagian hasil harus persen bulat yang berjumlah 100.")
    facility = Facility(slug=slug, name=name, kind=kind, town=town, regency=regency, **fields)
    db.session.add(facility)
    db.session.flush()
    return facility
