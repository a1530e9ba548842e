"""Writes of the facility screens: details and revenue split, activation, shipping rates.

Every verb checks its rules, writes its change together with an audit record naming the admin
and commits (or rolls back and raises `ManageError` with an Indonesian message safe to show).
"""

from flask_babel import gettext as _
from sqlalchemy import select

from shop.admin.manage.queries import shipping_rates
from shop.admin.manage.support import ManageError, commit, short
from shop.core.audit import record
from shop.core.slugs import unique_slug
from shop.core.text import normalize_phone
from shop.extensions import db
from shop.facilities.models import FACILITY_KINDS, SHIPPING_ZONES, Facility
from shop.facilities.services import FacilityError, create_facility, set_shipping_rate

SPLIT_FIELDS = ("premi_percent", "pnbp_percent", "capital_percent")
# What the facility form edits (the slug stays: it is in public URLs).
FACILITY_FIELDS = (
    "name", "kind", "facility_class", "town", "regency", "address", "phone", "email",
    "opening_hours", "profile", "profile_en", "programmes", "programmes_en", *SPLIT_FIELDS,
    "whatsapp", "regency_code", "latitude", "longitude",
)


def parse_point(text: str) -> tuple[float, float] | None:
    """'0.7431, 127.3196' -> (0.7431, 127.3196); None when not two degrees in range."""
    parts = [p.strip() for p in (text or "").replace(";", ",").split(",")]
    try:
        lat, lon = (float(p) for p in parts) if len(parts) == 2 else (None, None)
    except ValueError:
        return None
    if lat is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _contact_fields(fields: dict) -> dict:
    """The form's WhatsApp number and map point → stored values (+62..., two floats)."""
    fields = dict(fields)
    if "whatsapp" in fields:
        fields["whatsapp"] = normalize_phone(fields["whatsapp"] or "") or ""
    if "map_point" in fields:
        point = parse_point(fields.pop("map_point") or "")
        fields["latitude"], fields["longitude"] = point if point else (None, None)
    return fields


def split_problem(premi, pnbp, capital) -> str | None:
    """Why a revenue split is refused (None when it is fine): whole percents, 0..100, sum 100."""
    parts = (premi, pnbp, capital)
    if any(not isinstance(p, int) or isinstance(p, bool) or not 0 <= p <= 100 for p in parts):
        return _("Pembagian hasil ditulis sebagai persen bulat antara 0 dan 100.")
    total = sum(parts)
    if total != 100:
        return _("Premi, PNBP dan modal kerja harus berjumlah 100%%, sekarang %(total)s%% "
                 "(%(premi)s + %(pnbp)s + %(capital)s).",
                 total=total, premi=premi, pnbp=pnbp, capital=capital)
    return None


def _check_facility(fields):
    unknown = set(fields) - set(FACILITY_FIELDS)
    if unknown:
        raise ManageError(_("Kolom tidak dapat diubah: %(f)s.", f=", ".join(sorted(unknown))))
    if fields.get("kind") not in FACILITY_KINDS:
        raise ManageError(_("Jenis unit tidak dikenal."))
    for name in ("name", "town", "regency"):
        if not (fields.get(name) or "").strip():
            raise ManageError(_("Nama, kota dan kabupaten/kota wajib diisi."))
    problem = split_problem(*(fields.get(name) for name in SPLIT_FIELDS))
    if problem:
        raise ManageError(problem)


def _split_text(facility):
    return f"{facility.premi_percent}/{facility.pnbp_percent}/{facility.capital_percent}"


def add_facility(actor, **fields) -> Facility:
    """A new facility (active), its slug made from the name."""
    fields = _contact_fields(fields)
    _check_facility(fields)
    try:
        slug = unique_slug(fields["name"], lambda s: db.session.scalar(
            select(Facility.id).where(Facility.slug == s)) is not None)
        facility = create_facility(slug=slug, **fields)
        record("facility.created", actor=actor, facility_id=facility.id, subject=facility.slug,
               to_value=_split_text(facility))
        db.session.commit()
    except FacilityError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    except Exception:
        db.session.rollback()
        raise
    return facility


def update_facility(facility, actor, **fields) -> Facility:
    """Change the facility's details and revenue split; audit what changed."""
    fields = _contact_fields(fields)
    _check_facility(fields)
    try:
        old_split = _split_text(facility)
        changes = []
        for name, value in fields.items():
            if getattr(facility, name) != value:
                if name not in SPLIT_FIELDS:
                    changes.append(f"{name}: {short(getattr(facility, name))} → {short(value)}")
                setattr(facility, name, value)
        new_split = _split_text(facility)
        if changes or new_split != old_split:
            record("facility.updated", actor=actor, facility_id=facility.id,
                   subject=facility.slug,
                   from_value=old_split if new_split != old_split else None,
                   to_value=new_split if new_split != old_split else None,
                   note="; ".join(changes))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return facility


def set_facility_active(facility, actor, active: bool) -> Facility:
    """Deactivate (its products leave the shop at once: the public queries show active
    facilities only) or reactivate a facility. Orders are not touched: paid parcels stay on
    the facility's desk and can be fulfilled."""
    if facility.is_active == active:
        return facility
    facility.is_active = active
    record("facility.activated" if active else "facility.deactivated", actor=actor,
           facility_id=facility.id, subject=facility.slug,
           from_value="inactive" if active else "active",
           to_value="active" if active else "inactive")
    commit()
    return facility


def update_shipping_rates(facility, actor, rates: dict[str, tuple[int, int]]) -> None:
    """Set the facility's rate (first kilogram, each further kilogram) for every zone given."""
    if set(rates) - set(SHIPPING_ZONES):
        raise ManageError(_("Zona pengiriman tidak dikenal."))
    try:
        current = shipping_rates(facility)
        changes = []
        for zone, (first_kg, next_kg) in rates.items():
            old = current.get(zone)
            before = (old.first_kg, old.next_kg) if old is not None else None
            if before == (first_kg, next_kg):
                continue
            set_shipping_rate(facility, zone, first_kg, next_kg)
            was = "-" if before is None else f"{before[0]}+{before[1]}"
            changes.append(f"{zone}: {was} → {first_kg}+{next_kg}")
        if changes:
            record("facility.shipping_rates", actor=actor, facility_id=facility.id,
                   subject=facility.slug, note="; ".join(changes))
        db.session.commit()
    except FacilityError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    except Exception:
        db.session.rollback()
        raise
