"""Forms of the product back office (the staff desk and the Kanwil). Labels and messages are
lazily translated."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from shop.catalog.backoffice import MAX_PRICE, MAX_STOCK_CHANGE, REASON_MAX, REASON_MIN
from shop.catalog.models import IMAGE_FRAMING_LABELS, UNITS
from shop.core.forms import Range, RupiahField, WholeNumberField
from shop.core.i18n import lazy_gettext as _l

DESK_STATUS_CHOICES = [SelectChoice("draft", _l("Draf (belum tampil di toko)")),
                        SelectChoice("active", _l("Aktif (tampil dan dijual)"))]
ACCEPTED_PHOTO_TYPES = "image/jpeg,image/png,image/webp"
FRAMING_CHOICES = [SelectChoice(code, IMAGE_FRAMING_LABELS[code]) for code in ("fit", "fill")]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _none_if_blank(value):
    value = _strip(value)
    return value or None


class ProductForm(FlaskForm):
    name = StringField(_l("Nama produk"), filters=[_strip],
                       validators=[DataRequired(_l("Nama produk wajib diisi.")),
                                   Length(max=160, message=_l("Maksimal %(max)d karakter."))])
    name_en = StringField(_l("Nama dalam bahasa Inggris"), filters=[_none_if_blank],
                          validators=[Optional(),
                                      Length(max=160, message=_l("Maksimal %(max)d karakter."))])
    description = TextAreaField(_l("Deskripsi"), filters=[lambda v: _strip(v) or ""],
                                validators=[Length(max=5000,
                                                   message=_l("Maksimal %(max)d karakter."))])
    description_en = TextAreaField(_l("Deskripsi dalam bahasa Inggris"),
                                   filters=[_none_if_blank],
                                   validators=[Optional(), Length(
                                       max=5000, message=_l("Maksimal %(max)d karakter."))])
    category = SelectField(_l("Kategori"), coerce=int, choices=[],
                           validate_choice=True,
                           validators=[InputRequired(_l("Pilih kategori."))])
    price = RupiahField(_l("Harga (rupiah)"),
                        validators=[InputRequired(_l("Harga wajib diisi.")),
                                    Range(min=1, max=MAX_PRICE,
                                                message=_l("Harga antara Rp1 dan Rp100.000.000."))])
    unit = SelectField(_l("Satuan"), default="piece", validate_choice=True,
                       choices=[SelectChoice(code, label) for code, label in UNITS.items()])
    weight_grams = WholeNumberField(_l("Berat kirim (gram)"), default=0,
                                validators=[Optional(), Range(
                                    min=0, max=1_000_000,
                                    message=_l("Berat antara 0 dan 1.000.000 gram."))])
    is_perishable = BooleanField(_l("Mudah basi atau rusak (makanan segar)"))
    pirt_number = StringField(_l("Nomor P-IRT"), filters=[_none_if_blank],
                              validators=[Optional(), Length(
                                  max=40, message=_l("Maksimal %(max)d karakter."))])
    bpom_number = StringField(_l("Nomor BPOM"), filters=[_none_if_blank],
                              validators=[Optional(), Length(
                                  max=40, message=_l("Maksimal %(max)d karakter."))])
    halal_number = StringField(_l("Nomor sertifikat halal"), filters=[_none_if_blank],
                               validators=[Optional(), Length(
                                   max=60, message=_l("Maksimal %(max)d karakter."))])
    status = SelectField(_l("Status"), choices=DESK_STATUS_CHOICES, default="draft",
                         validate_choice=True)
    photo = FileField(_l("Tambah foto"), render_kw={"accept": ACCEPTED_PHOTO_TYPES})
    photo_alt = StringField(_l("Keterangan foto (untuk pembaca layar)"), filters=[_strip],
                            validators=[Length(max=300,
                                               message=_l("Maksimal %(max)d karakter."))])
    # Left unchosen, the service frames a photo far from 4:3 "fit" (the page's script preselects
    # the same choice once a file is picked).
    photo_framing = RadioField(_l("Tampilan foto di kartu produk"), choices=FRAMING_CHOICES,
                               validate_choice=False)

    def validate_photo_framing(self, field):
        if field.data not in (None, "", "fit", "fill"):
            raise ValidationError(_l("Pilihan tampilan foto tidak dikenal."))

    def chosen_framing(self):
        """The staff's choice ("fit" or "fill"), or None: the service decides by the shape."""
        return self.photo_framing.data or None

    def product_fields(self) -> dict:
        """The values the services take (stock and the flagship mark are never here)."""
        fields = {
            "name": self.name.data, "name_en": self.name_en.data,
            "description": self.description.data or "",
            "description_en": self.description_en.data, "category_id": self.category.data,
            "price": self.price.data, "unit": self.unit.data,
            "weight_grams": self.weight_grams.data or 0,
            "is_perishable": bool(self.is_perishable.data),
            "pirt_number": self.pirt_number.data, "bpom_number": self.bpom_number.data,
            "halal_number": self.halal_number.data,
        }
        if "status" in self:
            fields["status"] = self.status.data
        return fields


class NewProductForm(ProductForm):
    initial_stock = WholeNumberField(_l("Stok awal"), default=0,
                                 validators=[Optional(), Range(
                                     min=0, max=MAX_STOCK_CHANGE,
                                     message=_l("Stok awal harus 0 atau lebih."))])


class StockForm(FlaskForm):
    change = WholeNumberField(
        _l("Perubahan stok"), id="stock-change", signed=True,
        render_kw={"pattern": r"[+\-]?[0-9]{1,9}", "autocomplete": "off"},
        validators=[InputRequired(_l("Isi perubahan stok.")),
                    Range(min=-MAX_STOCK_CHANGE, max=MAX_STOCK_CHANGE,
                                message=_l("Perubahan stok terlalu besar."))])
    reason = StringField(_l("Alasan"), id="stock-reason", filters=[_strip],
                         validators=[DataRequired(_l("Alasan wajib diisi.")),
                                     Length(min=REASON_MIN, max=REASON_MAX,
                                            message=_l("Alasan %(min)d sampai %(max)d karakter."))])

    def validate_change(self, field):
        if field.data == 0:
            raise ValidationError(_l("Perubahan stok tidak boleh 0."))


class FlagshipRequestForm(FlaskForm):
    year = WholeNumberField(_l("Tahun"), id="flagship-year",
                        validators=[InputRequired(_l("Isi tahun.")),
                                    Range(min=2000, max=2100, message=_l("Tahun tidak valid."))])
    reason = TextAreaField(_l("Alasan usulan"), id="flagship-reason",
                           filters=[lambda v: _strip(v) or ""],
                           validators=[Length(max=1000,
                                              message=_l("Maksimal %(max)d karakter."))])


class ActionForm(FlaskForm):
    """A button-only post (archive, restore): the CSRF token is its only field."""


class PhotoFramingForm(FlaskForm):
    """The photo list's switch: its buttons post framing=fit or framing=fill."""

    framing = SelectField(choices=FRAMING_CHOICES, validate_choice=True)


class PhotoMoveForm(FlaskForm):
    """The photo list's "move up" / "move down" buttons."""

    direction = SelectField(choices=[SelectChoice("up", "up"), SelectChoice("down", "down")],
                            validate_choice=True)

    def step(self) -> int:
        return -1 if self.direction.data == "up" else 1
