"""UU PDP: a signed-in customer downloads their data (JSON) and can delete their account."""

from flask import Blueprint, flash, make_response, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length

from shop.accounts.services import PASSWORD_MAX_LENGTH
from shop.core.i18n import lazy_gettext as _l
from shop.privacy import services

bp = Blueprint("privacy", __name__, url_prefix="/account/privacy")


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Kata sandi"),
        validators=[DataRequired(_l("Kata sandi wajib diisi.")), Length(max=PASSWORD_MAX_LENGTH)],
    )
    confirm = BooleanField(
        _l("Saya mengerti: akun dihapus dan data diri di pesanan saya dianonimkan; "
           "ini tidak dapat dibatalkan."),
        validators=[DataRequired(_l("Centang untuk menyatakan Anda mengerti."))],
    )


@bp.before_request
@login_required
def _signed_in_only():
    """Every page here needs a signed-in user (anonymous -> sign-in page)."""


def _render(form=None, problem=None, status=200):
    user = current_user._get_current_object()
    can_delete = services.can_self_delete(user)
    response = make_response(render_template(
        "accounts/privacy.html", form=form or DeleteAccountForm(formdata=None),
        problem=problem, can_delete=can_delete,
        open_orders=services.open_orders(user) if can_delete else [],
    ), status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("")
def index():
    return _render()


@bp.get("/export.json")
def export():
    response = make_response(services.export_json(current_user._get_current_object()))
    response.mimetype = "application/json"
    response.headers["Content-Disposition"] = (
        'attachment; filename="data-saya-etalase-binaan.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/delete")
def delete_account():
    user = current_user._get_current_object()
    if not services.can_self_delete(user):
        return _render(problem=_("Akun petugas, admin dan mitra tidak dapat dihapus sendiri. "
                                 "Hubungi Kanwil."), status=403)
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _render(form=form, status=422)
    try:
        count = services.delete_account(user, form.password.data)
    except services.PrivacyError as exc:
        return _render(form=form, problem=str(exc), status=422)
    session.clear()
    logout_user()
    flash(_("Akun Anda sudah dihapus. Data diri di %(n)s pesanan sudah dianonimkan; "
            "jumlah pembayarannya tetap tercatat untuk laporan.", n=count), "success")
    return redirect(url_for("catalog.home"))
