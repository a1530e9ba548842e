"""Forms of the Kanwil's payments desk (/admin/payments). Labels are lazily translated."""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from shop.core.forms import RupiahField
from shop.core.i18n import lazy_gettext as _l
from shop.core.money import format_rupiah


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ConfirmTransferForm(FlaskForm):
    amount = RupiahField(_l("Jumlah yang masuk ke rekening (Rp)"),
                         validators=[InputRequired(_l("Tulis jumlah yang masuk."))])
    reference = StringField(_l("Nomor referensi bank"), filters=[_strip], validators=[
        DataRequired(_l("Tulis nomor referensi dari mutasi bank.")), Length(3, 100)])


class RejectTransferForm(FlaskForm):
    reason = TextAreaField(_l("Alasan (dikirim ke pembeli)"), filters=[_strip], validators=[
        DataRequired(_l("Tulis alasannya.")), Length(5, 500)])


class StatementForm(FlaskForm):
    statement = FileField(_l("Berkas mutasi (CSV)"),
                          validators=[FileRequired(_l("Pilih berkas CSV mutasi rekening."))])


class MatchLineForm(FlaskForm):
    number = StringField(_l("Nomor pesanan"), filters=[_strip], validators=[
        DataRequired(_l("Tulis nomor pesanan, contoh EB-7K3M9Q.")), Length(4, 20)])


class DismissLineForm(FlaskForm):
    note = StringField(_l("Catatan"), filters=[_strip], validators=[Optional(), Length(0, 300)])


class RefundPaidForm(FlaskForm):
    reference = StringField(_l("Nomor referensi transfer"), filters=[_strip], validators=[
        DataRequired(_l("Tulis nomor referensi transfer dari bank.")), Length(3, 100)])


def mismatch_message(exc) -> str:
    """What an AmountMismatch means, with the difference in plain words."""
    values = {"received": format_rupiah(exc.received), "expected": format_rupiah(exc.expected),
              "difference": format_rupiah(abs(exc.difference))}
    if exc.difference < 0:
        return _("Jumlah %(received)s KURANG %(difference)s dari yang harus dibayar "
                 "%(expected)s.", **values)
    return _("Jumlah %(received)s LEBIH %(difference)s dari yang harus dibayar %(expected)s.",
             **values)
