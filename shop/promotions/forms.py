"""Forms of promotions, used by the partner desk (drafts, codes) and the Kanwil (decisions).
Times are typed in WIT (datetime-local) and kept in naive UTC;
labels and messages are lazily translated, every message is Indonesian first."""

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import TextArea

from shop.core.forms import Range, RupiahField, WholeNumberField
from shop.core.i18n import lazy_gettext as _l
from shop.core.time import from_wit, to_wit
from shop.promotions.codes import MAX_BATCH, normalize_code
from shop.promotions.validation import PromotionData

WIT_INPUT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


def utc_to_wit_input(value: datetime) -> str:
    return to_wit(value).strftime("%Y-%m-%dT%H:%M")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class WitDateTimeField(StringField):
    """A datetime-local input read as WIT; `data` is naive UTC."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {})["type"] = "datetime-local"
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        raw = valuelist[0].strip()
        for fmt in WIT_INPUT_FORMATS:
            try:
                self.data = from_wit(datetime.strptime(raw, fmt))
                return
            except ValueError:
                continue
        raise ValueError(_l("Tulis tanggal dan jam, contoh 2026-12-01T08:00 (WIT)."))

    def _value(self):
        if isinstance(self.data, datetime):
            return utc_to_wit_input(self.data)
        return (self.raw_data or [""])[0]


class IdMultipleField(SelectMultipleField):
    """Ids chosen in a multi-select (choices: SelectChoice, optionally with an optgroup)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"size": 8})
        super().__init__(label, validators, coerce=int, choices=[],
                         invalid_value_message=_l("Pilihan tidak valid."),
                         invalid_choice_message=_l("Ada pilihan yang tidak dikenal (%(value)s)."),
                         **kwargs)


BENEFIT_CHOICES = [SelectChoice("percent", _l("Diskon persen")),
                   SelectChoice("amount", _l("Potongan rupiah")),
                   SelectChoice("free_shipping", _l("Gratis ongkir kurir"))]
SCOPE_CHOICES = [SelectChoice("all", _l("Semua produk")),
                 SelectChoice("facilities", _l("Lapas/Rutan yang dipilih")),
                 SelectChoice("categories", _l("Kategori yang dipilih")),
                 SelectChoice("products", _l("Produk yang dipilih"))]
FUNDING_CHOICES = [
    SelectChoice("partner", _l("Mitra menanggung potongan (Lapas/Rutan tetap menerima harga "
                               "penuh)")),
    SelectChoice("facility", _l("Lapas/Rutan menanggung potongan"))]
REDEMPTION_CHOICES = [SelectChoice("automatic", _l("Otomatis untuk setiap keranjang yang "
                                                   "memenuhi syarat")),
                      SelectChoice("code", _l("Dengan kode promo"))]
CODE_MODE_CHOICES = [SelectChoice("shared", _l("Satu kode bersama yang saya tentukan")),
                     SelectChoice("batch", _l("Kode sekali pakai dibuat acak oleh sistem"))]


class PromotionForm(FlaskForm):
    require_batch = False  # a new promotion by batch needs its first codes
    name = StringField(_l("Nama promo"), filters=[_strip],
                       validators=[DataRequired(_l("Nama promo wajib diisi.")),
                                   Length(max=160, message=_l("Maksimal %(max)d karakter."))])
    description = TextAreaField(_l("Deskripsi untuk pembeli"),
                                filters=[lambda v: _strip(v) or ""],
                                validators=[Length(max=5000,
                                                   message=_l("Maksimal %(max)d karakter."))])
    starts_at = WitDateTimeField(_l("Mulai (WIT)"),
                                 validators=[InputRequired(_l("Isi tanggal dan jam mulai."))])
    ends_at = WitDateTimeField(_l("Selesai (WIT)"),
                               validators=[InputRequired(_l("Isi tanggal dan jam selesai."))])
    benefit = RadioField(_l("Manfaat"), choices=BENEFIT_CHOICES, default="percent",
                         validate_choice=True)
    # No Optional(): the inline checks below say when each is required (by the benefit).
    percent = WholeNumberField(_l("Besar diskon (%)"))
    amount = RupiahField(_l("Besar potongan (rupiah)"))
    scope = RadioField(_l("Berlaku untuk"), choices=SCOPE_CHOICES, default="all",
                       validate_choice=True)
    facilities = IdMultipleField(_l("Lapas/Rutan"))
    categories = IdMultipleField(_l("Kategori"))
    products = IdMultipleField(_l("Produk"))
    min_subtotal = RupiahField(_l("Minimal belanja produk yang termasuk (rupiah)"),
                               validators=[Optional(), Range(
                                   min=0, max=100_000_000,
                                   message=_l("Antara Rp0 dan Rp100.000.000."))])
    first_order_only = BooleanField(_l("Hanya untuk pesanan pertama pembeli"))
    signed_in_only = BooleanField(_l("Hanya untuk pembeli yang masuk akun"))
    max_uses = WholeNumberField(_l("Kuota pemakaian (total)"), validators=[Optional(), Range(
        min=1, max=1_000_000, message=_l("Minimal 1; kosongkan bila tanpa batas."))])
    max_uses_per_customer = WholeNumberField(
        _l("Batas pemakaian per pembeli"), validators=[Optional(), Range(
            min=1, max=1_000_000, message=_l("Minimal 1; kosongkan bila tanpa batas."))])
    budget = RupiahField(_l("Anggaran potongan (rupiah)"), validators=[Optional(), Range(
        min=1, max=1_000_000_000, message=_l("Minimal Rp1; kosongkan bila tanpa batas."))])
    funding = RadioField(_l("Siapa menanggung potongan"), choices=FUNDING_CHOICES,
                         default="partner", validate_choice=True)
    redemption = RadioField(_l("Cara memakai"), choices=REDEMPTION_CHOICES, default="code",
                            validate_choice=True)
    combinable = BooleanField(_l("Bisa digabung dengan satu kode promo"))
    code_mode = RadioField(_l("Jenis kode"), choices=CODE_MODE_CHOICES, default="shared",
                           validate_choice=True)
    shared_code = StringField(_l("Kode bersama"), filters=[_strip],
                              validators=[Length(max=40, message=_l("Maksimal %(max)d karakter."))])
    batch_count = WholeNumberField(_l("Jumlah kode sekali pakai yang dibuat"),
                                   validators=[Range(
                                       min=1, max=MAX_BATCH,
                                       message=_l("Antara 1 dan %(max)d."))])
    batch_prefix = StringField(
        _l("Awalan kode (boleh kosong)"), filters=[_strip],
        validators=[Length(max=12, message=_l("Maksimal %(max)d karakter."))])

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("Tanggal selesai harus setelah tanggal mulai."))

    def validate_percent(self, field):
        if self.benefit.data != "percent":
            return
        if field.data is None:
            raise ValidationError(_l("Isi besar diskon, 1 sampai 90 persen."))
        if not 1 <= field.data <= 90:
            raise ValidationError(_l("Diskon persen harus antara 1 dan 90."))

    def validate_amount(self, field):
        if self.benefit.data != "amount":
            return
        if field.data is None:
            raise ValidationError(_l("Isi besar potongan dalam rupiah."))
        if not 1 <= field.data <= 100_000_000:
            raise ValidationError(_l("Potongan antara Rp1 dan Rp100.000.000."))

    def _validate_targets(self, field, scope, message):
        if self.scope.data == scope and not field.data:
            raise ValidationError(message)

    def validate_facilities(self, field):
        self._validate_targets(field, "facilities", _l("Pilih minimal satu Lapas/Rutan."))

    def validate_categories(self, field):
        self._validate_targets(field, "categories", _l("Pilih minimal satu kategori."))

    def validate_products(self, field):
        self._validate_targets(field, "products", _l("Pilih minimal satu produk."))

    def validate_shared_code(self, field):
        if self.redemption.data != "code" or self.code_mode.data != "shared":
            return
        if not field.data:
            raise ValidationError(_l("Isi kode promo, contoh BINAAN20."))
        if normalize_code(field.data) is None:
            raise ValidationError(_l("Kode 3–40 karakter: huruf, angka, - atau _, diawali huruf "
                                     "atau angka."))

    def validate_batch_prefix(self, field):
        if field.data and not (field.data.isascii() and field.data.isalnum()):
            raise ValidationError(_l("Awalan hanya huruf dan angka, tanpa spasi."))

    def validate_batch_count(self, field):
        if (self.require_batch and self.redemption.data == "code"
                and self.code_mode.data == "batch" and not field.data):
            raise ValidationError(_l("Isi jumlah kode sekali pakai yang dibuat."))

    # ---------------------------------------------------------------- to and from the model

    def promotion_data(self) -> PromotionData:
        benefit = self.benefit.data
        value = {"percent": self.percent.data, "amount": self.amount.data}.get(benefit, 0)
        scope = self.scope.data
        chosen = {"facilities": ("facility", self.facilities.data),
                  "categories": ("category", self.categories.data),
                  "products": ("product", self.products.data)}
        targets = ()
        if scope in chosen:
            kind, ids = chosen[scope]
            targets = tuple(sorted({(kind, i) for i in ids or []}))
        code = self.redemption.data == "code" and self.code_mode.data == "shared"
        return PromotionData(
            name=self.name.data, description=self.description.data or "",
            starts_at=self.starts_at.data, ends_at=self.ends_at.data, benefit=benefit,
            value=value, scope=scope, targets=targets,
            min_subtotal=self.min_subtotal.data or 0,
            first_order_only=bool(self.first_order_only.data),
            signed_in_only=bool(self.signed_in_only.data), max_uses=self.max_uses.data,
            max_uses_per_customer=self.max_uses_per_customer.data, budget=self.budget.data,
            funding=self.funding.data, redemption=self.redemption.data,
            combinable=bool(self.combinable.data) and self.redemption.data == "automatic",
            shared_code=(self.shared_code.data.upper() if code and self.shared_code.data
                         else None),
        )

    def batch(self):
        """(count, prefix) of single-use codes to generate, or (None, "")."""
        if self.redemption.data == "code" and self.code_mode.data == "batch":
            return self.batch_count.data, (self.batch_prefix.data or "").upper()
        return None, ""


def form_values(promotion, shared_code=None) -> dict:
    """What the form would post for a promotion as it is (to prefill and to compare)."""
    values = {
        "name": promotion.name, "description": promotion.description,
        "starts_at": utc_to_wit_input(promotion.starts_at),
        "ends_at": utc_to_wit_input(promotion.ends_at), "benefit": promotion.benefit,
        "percent": str(promotion.value) if promotion.benefit == "percent" else "",
        "amount": str(promotion.value) if promotion.benefit == "amount" else "",
        "scope": promotion.scope,
        "facilities": [str(t.facility_id) for t in promotion.targets if t.facility_id],
        "categories": [str(t.category_id) for t in promotion.targets if t.category_id],
        "products": [str(t.product_id) for t in promotion.targets if t.product_id],
        "min_subtotal": str(promotion.min_subtotal or 0),
        "max_uses": "" if promotion.max_uses is None else str(promotion.max_uses),
        "max_uses_per_customer": "" if promotion.max_uses_per_customer is None
        else str(promotion.max_uses_per_customer),
        "budget": "" if promotion.budget is None else str(promotion.budget),
        "funding": promotion.funding, "redemption": promotion.redemption,
        "code_mode": "shared" if shared_code else "batch", "shared_code": shared_code or "",
        "batch_count": "", "batch_prefix": "",
    }
    for flag in ("first_order_only", "signed_in_only", "combinable"):
        if getattr(promotion, flag):
            values[flag] = "y"
    return values


class BatchForm(FlaskForm):
    count = WholeNumberField(_l("Jumlah kode"), id="batch-count",
                             validators=[InputRequired(_l("Isi jumlah kode.")), Range(
                                 min=1, max=MAX_BATCH,
                                 message=_l("Antara 1 dan %(max)d."))])
    prefix = StringField(_l("Awalan (boleh kosong)"), id="batch-prefix", filters=[_strip],
                         validators=[Length(max=12, message=_l("Maksimal %(max)d karakter."))])

    def validate_prefix(self, field):
        if field.data and not (field.data.isascii() and field.data.isalnum()):
            raise ValidationError(_l("Awalan hanya huruf dan angka, tanpa spasi."))


class ActionForm(FlaskForm):
    """A button-only post (submit for approval): the CSRF token is its only field."""


class DecisionForm(FlaskForm):
    """The Kanwil's note with a decision (required to reject)."""

    note = StringField(_l("Catatan / alasan"), filters=[_strip],
                       widget=TextArea(),
                       validators=[Length(max=1000, message=_l("Maksimal %(max)d karakter."))])
