"""Bank statement import for the Kanwil (/admin/payments/statements): upload a CSV, see what
was matched, what was not, what was ambiguous and which lines could not be read; match the
remaining credits to orders by hand (or set them aside). Admins only."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.accounts.access import role_required
from shop.admin.payments_forms import (
    DismissLineForm,
    MatchLineForm,
    StatementForm,
    mismatch_message,
)
from shop.core.i18n import lazy_gettext as _l
from shop.payments import statements
from shop.payments.transfers import AmountMismatch, TransferError

bp = Blueprint("admin_statements", __name__, url_prefix="/admin/payments/statements")
MAX_BYTES = 2 * 1024 * 1024
GARBAGE_REASONS = {
    "pending": _l("transaksi belum dibukukan bank (PEND); impor lagi setelah dibukukan"),
    "date": _l("tanggal tidak terbaca"),
    "amount": _l("jumlah tidak terbaca"),
    "cents": _l("jumlah bersen (bukan rupiah bulat)"),
    "no_amount": _l("tidak ada jumlah"),
}
FORMAT_NAMES = {"generic": _l("umum (date,description,amount)"), "bca": "BCA", "bni": "BNI",
                "bri": "BRI", "mandiri": "Mandiri", "other": _l("tidak dikenal")}


@bp.before_request
@role_required("admin")
def _admins_only():
    """Every route here: Kanwil admins only (anonymous -> sign-in, others 403)."""


def _render(form=None, result=None, status=200):
    return render_template(
        "admin/payments_statements.html", form=form or StatementForm(formdata=None),
        result=result, lines=statements.lines_to_match(),
        match_form=MatchLineForm(formdata=None), dismiss_form=DismissLineForm(formdata=None),
        reasons=GARBAGE_REASONS, format_names=FORMAT_NAMES), status


@bp.get("/")
def index():
    return _render()


@bp.post("/")
def upload():
    form = StatementForm()
    if not form.validate_on_submit():
        return _render(form, status=422)
    data = form.statement.data.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        form.statement.errors = [_("Berkas terlalu besar (maksimal 2 MB).")]
        return _render(form, status=422)
    try:
        result = statements.import_statement(data, current_user._get_current_object(),
                                             form.statement.data.filename or "")
    except statements.UnreadableStatement:
        form.statement.errors = [_("Berkas ini bukan mutasi rekening yang dikenali: baris judul "
                                   "kolom (tanggal dan jumlah/kredit) tidak ditemukan.")]
        return _render(form, status=422)
    return _render(result=result)


@bp.post("/lines/<int:line_id>/match")
def match(line_id):
    form = MatchLineForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("admin_statements.index"))
    try:
        order = statements.match_by_hand(line_id, form.number.data,
                                         current_user._get_current_object())
    except AmountMismatch as exc:
        flash(mismatch_message(exc) + " " + _("Tidak ada yang dikonfirmasi."), "error")
    except TransferError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Mutasi dicocokkan: pesanan %(n)s dibayar.", n=order.number), "success")
    return redirect(url_for("admin_statements.index"))


@bp.post("/lines/<int:line_id>/dismiss")
def dismiss(line_id):
    form = DismissLineForm()
    if form.validate_on_submit():
        try:
            statements.dismiss_line(line_id, form.note.data or "",
                                    current_user._get_current_object())
        except TransferError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Baris mutasi disisihkan."), "success")
    return redirect(url_for("admin_statements.index"))

