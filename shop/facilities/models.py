"""A correctional facility (Lapas, Rutan, LPKA, LPP) that makes and sells goods."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, Float, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from shop.core.i18n import lazy_gettext as _l
from shop.core.text import fold_words
from shop.core.time import utcnow
from shop.extensions import db

FACILITY_KINDS = {
    "lapas": _l("Lapas"),
    "rutan": _l("Rutan"),
    "lpka": _l("LPKA"),
    "lpp": _l("LPP"),
}
FACILITY_KIND_NAMES = {
    "lapas": _l("Lembaga Pemasyarakatan"),
    "rutan": _l("Rumah Tahanan Negara"),
    "lpka": _l("Lembaga Pembinaan Khusus Anak"),
    "lpp": _l("Lembaga Pemasyarakatan Perempuan"),
}


class PlaceText:
    """Where a facility is and what it teaches (the model and the product page's plain view)."""

    __slots__ = ()

    @property
    def has_map(self):
        return self.latitude is not None and self.longitude is not None

    def programme_list(self, locale="id"):
        text = self.programmes_en if locale == "en" and self.programmes_en else self.programmes
        return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Facility(PlaceText, db.Model):
    __tablename__ = "facility"
    __table_args__ = (
        CheckConstraint(
            "premi_percent + pnbp_percent + capital_percent = 100", name="split_sums_to_100"
        ),
        CheckConstraint(
            "premi_percent >= 0 AND pnbp_percent >= 0 AND capital_percent >= 0",
            name="split_non_negative",
        ),
        CheckConstraint("kind IN ('lapas', 'rutan', 'lpka', 'lpp')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(160), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    facility_class: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    town: Mapped[str] = mapped_column(String(120), nullable=False)
    regency: Mapped[str] = mapped_column(String(120), nullable=False)
    address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    email: Mapped[str] = mapped_column(String(160), nullable=False, default="")
    opening_hours: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # WhatsApp number of the showroom, stored as +62... (shop.core.text.normalize_phone).
    whatsapp: Mapped[str] = mapped_column(String(20), nullable=False, default="",
                                          server_default="")
    # Kemendagri code of the facility's regency/city ("82.71" Kota Ternate): the checkout's
    # "same town" shipping zone is an address in this regency.
    regency_code: Mapped[str] = mapped_column(String(5), nullable=False, default="",
                                              server_default="")
    # Where the showroom is, for the map link (WGS84 degrees); empty = no map link.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    profile: Mapped[str] = mapped_column(Text, nullable=False, default="")
    profile_en: Mapped[str | None] = mapped_column(Text)
    # One programme per line, e.g. "Pertukangan kayu".
    programmes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    programmes_en: Mapped[str | None] = mapped_column(Text)
    # Search words of the name and place (kept by a listener; the product search index reads it).
    search_name: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    premi_percent: Mapped[int] = mapped_column(Integer, nullable=False, default=50)
    pnbp_percent: Mapped[int] = mapped_column(Integer, nullable=False, default=15)
    capital_percent: Mapped[int] = mapped_column(Integer, nullable=False, default=35)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    @property
    def kind_label(self):
        return FACILITY_KINDS.get(self.kind, self.kind)

    @property
    def kind_name(self):
        return FACILITY_KIND_NAMES.get(self.kind, self.kind)

    def localized_profile(self, locale="id"):
        return self.profile_en if locale == "en" and self.profile_en else self.profile

    def __repr__(self):
        return f"<Facility {self.slug}>"


@event.listens_for(Facility, "before_insert")
@event.listens_for(Facility, "before_update")
def _refresh_search_name(mapper, connection, facility):
    facility.search_name = fold_words(facility.name, facility.town, facility.regency)


SHIPPING_ZONES = {
    "same_town": _l("Dalam kota"),
    "north_maluku": _l("Maluku Utara"),
    "indonesia": _l("Seluruh Indonesia"),
}


class ShippingRate(db.Model):
    """What a facility charges to send a parcel to a zone: the first kilogram, then each
    further kilogram started. Edited by the Kanwil."""

    __tablename__ = "shipping_rate"
    __table_args__ = (
        db.UniqueConstraint("facility_id", "zone", name="uq_shipping_rate_zone"),
        CheckConstraint("first_kg >= 0 AND next_kg >= 0", name="rates_non_negative"),
        CheckConstraint(
            "zone IN ('same_town', 'north_maluku', 'indonesia')", name="zone_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(
        db.ForeignKey("facility.id", ondelete="CASCADE"), nullable=False, index=True
    )
    zone: Mapped[str] = mapped_column(String(20), nullable=False)
    first_kg: Mapped[int] = mapped_column(Integer, nullable=False)
    next_kg: Mapped[int] = mapped_column(Integer, nullable=False)
