"""Forms of the Kanwil's management screens. Labels and messages are lazily translated.

The product forms are the back office's (shop.catalog.forms); a new product also names the
facility it belongs to.
"""

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from shop.accounts.forms import NormalizedEmail
from shop.admin.manage.facility_services import parse_point, split_problem
from shop.catalog.forms import NewProductForm, Range
from shop.core import regions
from shop.core.forms import RupiahField, WholeNumberField
from shop.core.i18n import lazy_gettext as _l
from shop.core.text import normalize_phone
from shop.facilities.models import FACILITY_KIND_NAMES, FACILITY_KINDS, SHIPPING_ZONES

PARTNER_KIND_LABELS = {
    "government": _l("Pemerintah"),
    "company": _l("Perusahaan"),
    "community": _l("Komunitas"),
}
ROLE_LABELS = {
    "facility_staff": _l("Petugas Lapas/Rutan"),
    "partner": _l("Mitra"),
    "admin": _l("Admin Kanwil"),
    "customer": _l("Pelanggan"),
}
MAX_RATE = 10_000_000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _none_if_blank(value):
    return _strip(value) or None


def _text(label, max_length, required=None, **kwargs):
    validators = [DataRequired(required)] if required else [Optional()]
    validators.append(Length(max=max_length, message=_l("Maksimal %(max)d karakter.")))
    return StringField(label, filters=[lambda v: _strip(v) or ""], validators=validators,
                       **kwargs)


def _long_text(label, blank_is_none=False):
    return TextAreaField(label, filters=[_none_if_blank if blank_is_none
                                         else (lambda v: _strip(v) or "")],
                         validators=[Optional(), Length(
                             max=5000, message=_l("Maksimal %(max)d karakter."))])


def _percent(label):
    return WholeNumberField(label, validators=[
        InputRequired(_l("Isi persen (0 sampai 100).")),
        Range(min=0, max=100, message=_l("Persen antara 0 dan 100."))])


def _optional_email(label, max_length):
    """A contact address shown to buyers or the Kanwil: only its shape is checked (the demo's
    and some real addresses use domains email-validator refuses, such as .test)."""
    return EmailField(label, filters=[lambda v: (_strip(v) or "").lower()], validators=[
        Optional(), Length(max=max_length, message=_l("Maksimal %(max)d karakter.")),
        Regexp(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z",
               message=_l("Alamat surel tidak valid, contoh: nama@contoh.id."))])


# ------------------------------------------------------------------ facilities

class FacilityForm(FlaskForm):
    name = _text(_l("Nama"), 160, _l("Nama wajib diisi."))
    kind = SelectField(_l("Jenis"), validate_choice=True, default="lapas",
                       choices=[SelectChoice(code, f"{label} — {FACILITY_KIND_NAMES[code]}")
                                for code, label in FACILITY_KINDS.items()])
    facility_class = _text(_l("Kelas"), 10)
    town = _text(_l("Kota tempat unit berada"), 120, _l("Kota wajib diisi."))
    regency = _text(_l("Kabupaten/kota"), 120, _l("Kabupaten/kota wajib diisi."))
    address = _text(_l("Alamat pengambilan"), 300)
    phone = _text(_l("Telepon"), 40)
    email = _optional_email(_l("Surel"), 160)
    opening_hours = _text(_l("Jam buka pengambilan"), 200)
    whatsapp = _text(_l("Nomor WhatsApp"), 20)
    regency_code = _text(_l("Kode wilayah kabupaten/kota (Kemendagri)"), 5)
    map_point = _text(_l("Titik peta (lintang, bujur)"), 60)
    profile = _long_text(_l("Profil"))
    profile_en = _long_text(_l("Profil dalam bahasa Inggris"), blank_is_none=True)
    programmes = _long_text(_l("Program pembinaan (satu per baris)"))
    programmes_en = _long_text(_l("Program pembinaan dalam bahasa Inggris"), blank_is_none=True)
    premi_percent = _percent(_l("Premi warga binaan (%)"))
    pnbp_percent = _percent(_l("PNBP (%)"))
    capital_percent = _percent(_l("Modal kerja (%)"))
    split_error = None

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        parts = [self.premi_percent.data, self.pnbp_percent.data, self.capital_percent.data]
        if all(isinstance(p, int) for p in parts) and not any(
                f.errors for f in (self.premi_percent, self.pnbp_percent, self.capital_percent)):
            problem = split_problem(*parts)
            if problem:
                self.premi_percent.errors = [*self.premi_percent.errors, problem]
                self.split_error = problem
                return False
        return ok

    def facility_fields(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "name", "kind", "facility_class", "town", "regency", "address", "phone", "email",
            "opening_hours", "profile", "profile_en", "programmes", "programmes_en",
            "premi_percent", "pnbp_percent", "capital_percent", "whatsapp", "regency_code",
            "map_point")}

    def validate_whatsapp(self, field):
        if field.data and normalize_phone(field.data) is None:
            raise ValidationError(_l("Nomor WhatsApp diawali +62 atau 08, contoh 0812 3456 7890."))

    def validate_regency_code(self, field):
        if field.data and regions.get(field.data, 2) is None:
            raise ValidationError(_l("Kode kabupaten/kota tidak dikenal, contoh 82.71 untuk "
                                     "Kota Ternate."))

    def validate_map_point(self, field):
        if field.data and parse_point(field.data) is None:
            raise ValidationError(_l("Tulis lintang dan bujur dipisah koma, contoh "
                                     "0.7431, 127.3196."))


def shipping_rates_form(rates):
    """First-kilogram and next-kilogram fields for every zone (`<zone>_first`, `<zone>_next`),
    filled with the facility's current rates (`rates`: zone -> ShippingRate)."""

    class ShippingRatesForm(FlaskForm):
        def zone_values(self):
            return {zone: (self[f"{zone}_first"].data, self[f"{zone}_next"].data)
                    for zone in SHIPPING_ZONES}

    for zone in SHIPPING_ZONES:
        for part, label in (("first", _l("Kilogram pertama (Rp)")),
                            ("next", _l("Tiap kilogram berikutnya (Rp)"))):
            setattr(ShippingRatesForm, f"{zone}_{part}", RupiahField(label, validators=[
                InputRequired(_l("Isi tarif (boleh 0).")),
                Range(min=0, max=MAX_RATE, message=_l("Tarif antara Rp0 dan Rp10.000.000."))]))
    data = {}
    for zone, rate in rates.items():
        data[f"{zone}_first"], data[f"{zone}_next"] = rate.first_kg, rate.next_kg
    return ShippingRatesForm(data=data)


# ------------------------------------------------------------------ categories

def _optional_id(value):
    """An id chosen in a select: None when left blank, -1 (matches nothing) when not a number,
    so that a tampered value is refused with our message rather than WTForms' English one."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    return int(value) if str(value).isdigit() and len(str(value)) < 10 else -1


class CategoryForm(FlaskForm):
    name = _text(_l("Nama kategori"), 120, _l("Nama kategori wajib diisi."))
    name_en = StringField(_l("Nama dalam bahasa Inggris"), filters=[_none_if_blank],
                          validators=[Optional(), Length(
                              max=120, message=_l("Maksimal %(max)d karakter."))])
    # Offered: the top-level categories. The two-level rule itself is the service's.
    parent = SelectField(_l("Induk"), coerce=_optional_id, validate_choice=False, choices=[])


class RenameCategoryForm(FlaskForm):
    name = _text(_l("Nama kategori"), 120, _l("Nama kategori wajib diisi."))
    name_en = StringField(_l("Nama dalam bahasa Inggris"), filters=[_none_if_blank],
                          validators=[Optional(), Length(
                              max=120, message=_l("Maksimal %(max)d karakter."))])


# ------------------------------------------------------------------ products

class AdminNewProductForm(NewProductForm):
    """The back office's new-product form with the facility the product belongs to."""

    facility = SelectField(_l("Lapas/Rutan pemilik produk"), coerce=_optional_id, choices=[],
                           validate_choice=False)

    def validate_facility(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Pilih Lapas/Rutan pemilik produk."))


# ------------------------------------------------------------------ accounts

class InviteForm(FlaskForm):
    role = RadioField(_l("Jenis akun"), default="facility_staff", validate_choice=True,
                      choices=[SelectChoice(code, ROLE_LABELS[code])
                               for code in ("facility_staff", "partner", "admin")])
    email = EmailField(_l("Surel"), filters=[_strip], validators=[
        DataRequired(_l("Surel wajib diisi.")), Length(max=254), NormalizedEmail()])
    name = _text(_l("Nama"), 120, _l("Nama wajib diisi."))
    facility = SelectField(_l("Lapas/Rutan (untuk petugas)"), coerce=_optional_id,
                           validate_choice=False, choices=[])
    partner = SelectField(_l("Organisasi mitra (untuk akun mitra)"), coerce=_optional_id,
                          validate_choice=False, choices=[])

    def _known(self, field):
        return field.data in {choice.value for choice in field.choices}

    def validate_facility(self, field):
        if self.role.data == "facility_staff" and (field.data is None or not self._known(field)):
            raise ValidationError(_l("Pilih Lapas/Rutan tempat petugas bekerja."))

    def validate_partner(self, field):
        if self.role.data == "partner" and (field.data is None or not self._known(field)):
            raise ValidationError(_l("Pilih organisasi mitra."))


# ------------------------------------------------------------------ partner organisations

class PartnerForm(FlaskForm):
    name = _text(_l("Nama organisasi"), 160, _l("Nama organisasi wajib diisi."))
    kind = SelectField(_l("Jenis"), validate_choice=True, default="government",
                       choices=[SelectChoice(code, label)
                                for code, label in PARTNER_KIND_LABELS.items()])
    contact_name = _text(_l("Nama kontak"), 120)
    contact_email = _optional_email(_l("Surel kontak"), 254)
    contact_phone = _text(_l("Telepon kontak"), 20)

    def partner_fields(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "name", "kind", "contact_name", "contact_email", "contact_phone")}


class SearchVariantForm(FlaskForm):
    word = _text(_l("Kata yang diketik pembeli"), 60, _l("Kata wajib diisi."))
    canonical = _text(_l("Kata baku yang juga dicari"), 60, _l("Kata baku wajib diisi."))
