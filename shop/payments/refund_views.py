"""The customer's page of a manual refund (/refunds/<token>, the signed link from the mail):
give or correct the bank account the money goes back to. The link names one refund and lasts
30 days; anything else is 404."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from shop.core.i18n import lazy_gettext as _l
from shop.payments import manual_refunds

bp = Blueprint("refunds", __name__)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class AccountForm(FlaskForm):
    bank = StringField(_l("Nama bank"), filters=[_strip],
                       validators=[DataRequired(_l("Tulis nama bank.")), Length(2, 60)])
    number = StringField(_l("Nomor rekening"), filters=[_strip],
                         validators=[DataRequired(_l("Tulis nomor rekening.")), Length(5, 30)])
    holder = StringField(_l("Nama pemilik rekening"), filters=[_strip],
                         validators=[DataRequired(_l("Tulis nama pemilik rekening.")),
                                     Length(2, 120)])


def _refund_or_404(token):
    refund = manual_refunds.refund_for_token(token) if len(token) < 300 else None
    if refund is None:
        abort(404)
    return refund


def _render(refund, form, status=200):
    return render_template("payments/refund_account.html", refund=refund,
                           order=refund.payment.order, form=form), status


@bp.get("/refunds/<token>")
def account(token):
    refund = _refund_or_404(token)
    form = AccountForm(formdata=None, data={"bank": refund.account_bank,
                                            "number": refund.account_number,
                                            "holder": refund.account_holder})
    return _render(refund, form)


@bp.post("/refunds/<token>")
def give_account(token):
    refund = _refund_or_404(token)
    form = AccountForm()
    if not form.validate_on_submit():
        return _render(refund, form, 422)
    try:
        manual_refunds.give_account(refund, form.bank.data, form.number.data, form.holder.data)
    except manual_refunds.RefundTaskError as exc:
        for name, message in exc.fields.items():
            getattr(form, name).errors = [*getattr(form, name).errors, message]
        if not exc.fields:
            flash(exc.message, "error")
        return _render(refund, form, 422)
    flash(_("Terima kasih. Rekening Anda kami simpan sampai dana dikirim, lalu kami hapus."),
          "success")
    return redirect(url_for("refunds.account", token=token))
