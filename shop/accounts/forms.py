"""Account forms. Labels and messages are lazily translated (rendered in the visitor's language)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, TelField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from shop.accounts.services import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, normalize_email
from shop.core.i18n import lazy_gettext as _l
from shop.core.text import normalize_phone


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NormalizedEmail:
    """Checks the address and replaces the field's data with its lower-case normal form."""

    def __call__(self, form, field):
        normalized = normalize_email(field.data)
        if normalized is None:
            raise ValidationError(_l("Alamat surel tidak valid, contoh: nama@contoh.id."))
        field.data = normalized


def _email_field():
    return EmailField(
        _l("Surel"),
        filters=[_strip],
        validators=[DataRequired(_l("Surel wajib diisi.")), Length(max=254), NormalizedEmail()],
    )


def _new_password_field(label):
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Kata sandi wajib diisi.")),
            Length(min=PASSWORD_MIN_LENGTH, message=_l("Kata sandi minimal %(min)d karakter.")),
            Length(max=PASSWORD_MAX_LENGTH, message=_l("Kata sandi maksimal %(max)d karakter.")),
        ],
    )


def _confirm_field(target):
    return PasswordField(
        _l("Ulangi kata sandi"),
        validators=[DataRequired(_l("Ulangi kata sandi.")),
                    EqualTo(target, _l("Kedua kata sandi tidak sama."))],
    )


def _name_field():
    return StringField(
        _l("Nama"),
        filters=[_strip],
        validators=[DataRequired(_l("Nama wajib diisi.")),
                    Length(max=120, message=_l("Nama maksimal 120 karakter."))],
    )


class RegisterForm(FlaskForm):
    name = _name_field()
    email = _email_field()
    password = _new_password_field(_l("Kata sandi"))
    confirm = _confirm_field("password")


class LoginForm(FlaskForm):
    email = EmailField(_l("Surel"), filters=[_strip],
                       validators=[DataRequired(_l("Surel wajib diisi.")), Length(max=254)])
    password = PasswordField(_l("Kata sandi"),
                             validators=[DataRequired(_l("Kata sandi wajib diisi.")),
                                         Length(max=PASSWORD_MAX_LENGTH)])
    remember = BooleanField(_l("Ingat saya"))


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password = _new_password_field(_l("Kata sandi baru"))
    confirm = _confirm_field("password")


class ProfileForm(FlaskForm):
    name = _name_field()
    phone = TelField(_l("Nomor HP"), filters=[_strip], validators=[Length(max=30)])

    def validate_phone(self, field):
        if not field.data:
            field.data = ""
            return
        phone = normalize_phone(field.data)
        if phone is None:
            raise ValidationError(
                _l("Nomor HP harus diawali +62 atau 08, contoh 0812 3456 7890."))
        field.data = phone


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Kata sandi saat ini"),
        validators=[DataRequired(_l("Kata sandi saat ini wajib diisi.")),
                    Length(max=PASSWORD_MAX_LENGTH)],
    )
    new_password = _new_password_field(_l("Kata sandi baru"))
    confirm = _confirm_field("new_password")
