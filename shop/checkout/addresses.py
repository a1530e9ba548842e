"""Indonesian contact and address rules, shared by the checkout page and the API."""

import re
from dataclasses import asdict, dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from shop.core.text import normalize_phone

PROVINCES = (
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi", "Bengkulu",
    "Sumatera Selatan", "Kepulauan Bangka Belitung", "Lampung", "Banten", "DKI Jakarta",
    "Jawa Barat", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Bali", "Nusa Tenggara Barat",
    "Nusa Tenggara Timur", "Kalimantan Barat", "Kalimantan Tengah", "Kalimantan Selatan",
    "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara", "Gorontalo", "Sulawesi Tengah",
    "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara", "Maluku", "Maluku Utara",
    "Papua", "Papua Barat", "Papua Barat Daya", "Papua Selatan", "Papua Tengah",
    "Papua Pegunungan",
)
HOME_PROVINCE = "Maluku Utara"
FIELD_LIMITS = {"name": 120, "street": 200, "rt_rw": 20, "kelurahan": 100, "kecamatan": 100,
                "city": 100, "note": 1000}


@dataclass
class CheckoutDetails:
    name: str
    email: str
    phone: str
    street: str
    rt_rw: str
    kelurahan: str
    kecamatan: str
    city: str
    province: str
    postal_code: str
    note: str = ""

    def address_dict(self):
        data = asdict(self)
        data.pop("note")
        return data


def _text(data, key):
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


REQUIRED_ADDRESS = (("street", _l("Jalan dan nomor rumah")), ("kelurahan", _l("Kelurahan/desa")),
                    ("kecamatan", _l("Kecamatan")), ("city", _l("Kabupaten/kota")))
ADDRESS_FIELDS = ("street", "rt_rw", "kelurahan", "kecamatan", "city", "province", "postal_code")


def _check_contact(contact: dict, errors: dict) -> tuple[str, str, str | None]:
    name = _text(contact, "name")
    if not name:
        errors["name"] = _("Nama wajib diisi.")
    email = _text(contact, "email")
    try:
        email = validate_email(email, check_deliverability=False).normalized if email else ""
    except EmailNotValidError:
        errors["email"] = _("Alamat surel tidak valid.")
    if not email and "email" not in errors:
        errors["email"] = _("Surel wajib diisi.")
    phone = normalize_phone(_text(contact, "phone"))
    if not _text(contact, "phone"):
        errors["phone"] = _("Nomor HP wajib diisi.")
    elif phone is None:
        errors["phone"] = _("Nomor HP harus diawali +62 atau 08, contoh 0812 3456 7890.")
    return name, email, phone


def _check_address(address: dict, errors: dict) -> dict:
    values = {key: _text(address, key) for key in ADDRESS_FIELDS}
    for key, label in REQUIRED_ADDRESS:
        if not values[key]:
            errors[key] = _("%(field)s wajib diisi.", field=label)
    if values["rt_rw"] and not re.fullmatch(r"\d{1,3}\s*/\s*\d{1,3}", values["rt_rw"]):
        errors["rt_rw"] = _("RT/RW ditulis seperti 003/005.")
    if values["province"] not in PROVINCES:
        errors["province"] = _("Pilih provinsi dari daftar.")
    if not re.fullmatch(r"\d{5}", values["postal_code"]):
        errors["postal_code"] = _("Kode pos terdiri dari 5 angka.")
    return values


def validate_details(contact: dict, address: dict, note=None):
    """Returns (CheckoutDetails, {}) or (None, {field: message in the visitor's language})."""
    errors = {}
    name, email, phone = _check_contact(contact, errors)
    values = _check_address(address, errors)
    note_text = note.strip() if isinstance(note, str) else ""
    fields = {"name": name, **values, "note": note_text}
    for key, limit in FIELD_LIMITS.items():
        if len(fields.get(key, "")) > limit:
            errors[key] = _("Maksimal %(limit)s karakter.", limit=limit)
    if errors:
        return None, errors
    return CheckoutDetails(name=name, email=email, phone=phone, note=note_text, **values), {}
