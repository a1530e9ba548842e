"""Form fields every desk shares: whole rupiah and whole numbers written the Indonesian way."""

import re

from wtforms import StringField
from wtforms.validators import NumberRange

from shop.core.i18n import lazy_gettext as _l

_SIGNED_INT = re.compile(r"[+-]?[0-9]{1,9}")
_UNSIGNED_INT = re.compile(r"[0-9]{1,9}")


class RupiahField(StringField):
    """Whole rupiah, written as 45000, 45.000 or Rp45.000 (no cents)."""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        raw = re.sub(r"^rp\.?", "", valuelist[0].strip().lower()).strip()
        raw = raw.replace(".", "").replace(" ", "")
        if not re.fullmatch(r"[0-9]{1,12}", raw):
            raise ValueError(_l("Tulis harga sebagai angka rupiah bulat, contoh 45000."))
        self.data = int(raw)

    def _value(self):
        return str(self.data) if isinstance(self.data, int) else (self.raw_data or [""])[0]


class WholeNumberField(StringField):
    """An integer written with ASCII digits; with `signed`, a leading + or - ("+10", "-3").
    Anything else (1.5, 1e3, 1_000, full-width digits) is refused with a readable message."""

    def __init__(self, label=None, validators=None, signed=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.signed = signed

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        raw = valuelist[0].strip()
        if not (_SIGNED_INT if self.signed else _UNSIGNED_INT).fullmatch(raw):
            raise ValueError(_l("Tulis bilangan bulat, contoh 10 atau -3.") if self.signed
                             else _l("Tulis bilangan bulat tanpa titik atau koma, contoh 250."))
        self.data = int(raw)

    def _value(self):
        return str(self.data) if isinstance(self.data, int) else (self.raw_data or [""])[0]


class Range(NumberRange):
    """NumberRange that stays quiet when the value could not be read (that error is shown)."""

    def __call__(self, form, field):
        if field.data is not None:
            super().__call__(form, field)
