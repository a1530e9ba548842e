"""Indonesian contact and address rules, shared by the checkout page and the API."""

import re
from dataclasses import asdict, dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from shop.core import regions
from shop.core.i18n import lazy_gettext as _l
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
HOME_PROVINCE_CODE = "82"
# Kemendagri's long names of two provinces, shown as people write them (and as PROVINCES has).
PROVINCE_SHORT = {"Daerah Istimewa Yogyakarta": "DI Yogyakarta",
                  "Daerah Khusus Ibukota Jakarta": "DKI Jakarta"}
REGION_FIELDS = ("province_code", "regency_code", "district_code", "village_code")
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
    # Kemendagri code of the kelurahan/desa when the address was picked from the official
    # list; "" for a free-text address (API clients sending names only).
    village_code: str = ""

    @property
    def regency_code(self) -> str:
        return ".".join(self.village_code.split(".")[:2]) if self.village_code else ""

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


REGION_LABELS = {"province_code": _l("provinsi"), "regency_code": _l("kabupaten/kota"),
                 "district_code": _l("kecamatan"), "village_code": _l("kelurahan/desa")}


def _code(address, key):
    value = address.get(key)
    return value.strip() if isinstance(value, str) else ""


def _first_missing_level(address) -> str | None:
    for key in REGION_FIELDS:
        if not _code(address, key):
            return key
    return None


def _chosen_region(address: dict, errors: dict, required: bool):
    """The [province, regency, district, village] chosen by code, or None (free text). Every
    code sent must be an ancestor of the village: a village outside the chosen district is
    refused, never silently moved."""
    village_code = _code(address, "village_code")
    if not village_code:
        missing = _first_missing_level(address) if required else None
        if missing:
            errors[missing] = _("Pilih %(level)s dari daftar.", level=REGION_LABELS[missing])
        return None
    chain = regions.chain(village_code)
    if chain is None:
        errors["village_code"] = _("Kelurahan/desa tidak dikenal. Pilih dari daftar.")
        return None
    for key, region in zip(REGION_FIELDS[:3], chain[:3], strict=True):
        sent = _code(address, key)
        if sent and sent != region.code:
            errors["village_code"] = _(
                "%(village)s tidak berada di %(level)s yang dipilih. Pilih lagi "
                "kelurahan/desanya.", village=chain[3].name, level=REGION_LABELS[key])
            return None
    return chain


def _apply_region(address: dict, chain) -> dict:
    """The names of the chosen regions replace whatever text came with them."""
    province, regency, district, village = chain
    postal = _text(address, "postal_code") or village.postal_code or ""
    return {**address, "province": PROVINCE_SHORT.get(province.name, province.name),
            "city": regency.name, "kecamatan": district.name, "kelurahan": village.name,
            "postal_code": postal}


def validate_details(contact: dict, address: dict, note=None, require_region=False):
    """Returns (CheckoutDetails, {}) or (None, {field: message in the visitor's language}).

    With a `village_code` (Kemendagri), the region names come from the official list; without
    one the free-text names are checked (the API's original shape). `require_region`: the
    checkout page, where the region is picked from the list."""
    errors = {}
    name, email, phone = _check_contact(contact, errors)
    chain = _chosen_region(address, errors, require_region)
    if chain is not None:
        address = _apply_region(address, chain)
    elif require_region:
        address = {**address, **{k: address.get(k) or "-" for k in ("kelurahan", "kecamatan",
                                                                    "city")},
                   "province": address.get("province") or HOME_PROVINCE}
    values = _check_address(address, errors)
    values["village_code"] = chain[3].code if chain else ""
    note_text = note.strip() if isinstance(note, str) else ""
    fields = {"name": name, **values, "note": note_text}
    for key, limit in FIELD_LIMITS.items():
        if len(fields.get(key, "")) > limit:
            errors[key] = _("Maksimal %(limit)s karakter.", limit=limit)
    if errors:
        return None, errors
    return CheckoutDetails(name=name, email=email, phone=phone, note=note_text, **values), {}
