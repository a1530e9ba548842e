"""The partner area (/partner): an organisation's promotions, their drafts, codes and figures.

Everything is looked up within the signed-in partner user's organisation; another
organisation's promotion is "not found" (404), its id leaks nothing.
"""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from shop.accounts.access import role_required
from shop.core.time import utcnow
from shop.extensions import db
from shop.orders import promotion_figures as figures
from shop.partners import exports
from shop.partners.charts import bar_chart, daily_series
from shop.promotions import approval, codes, drafts, queries
from shop.promotions.errors import PromotionError
from shop.promotions.forms import ActionForm, BatchForm, PromotionForm, form_values
from shop.promotions.labels import state_of, template_labels
from shop.promotions.models import Promotion
from shop.promotions.partners import PartnerOrganization

bp = Blueprint("partner", __name__, url_prefix="/partner")


@bp.before_request
@role_required("partner")
def _partner_only():
    """Signed-in partner users attached to an organisation (anonymous -> sign-in, others 403)."""
    if current_user.partner_id is None:
        abort(403)  # a partner account not yet attached to its organisation
    g.partner = db.session.get(PartnerOrganization, current_user.partner_id)


@bp.context_processor
def _labels():
    return template_labels()


def _promotion_or_404(promotion_id) -> Promotion:
    promotion = queries.partner_promotion(current_user.partner_id, promotion_id)
    if promotion is None:
        abort(404)
    return promotion


def _actor():
    return current_user._get_current_object()


# ------------------------------------------------------------------ list

@bp.get("/")
def promotions():
    items = queries.partner_promotions(current_user.partner_id)
    by_promotion = figures.figures_by_promotion([p.id for p in items])
    now = utcnow()
    return render_template("partner/promotions.html", promotions=items, figures=by_promotion,
                           states={p.id: state_of(p, now) for p in items},
                           empty=figures.Figures())


# ------------------------------------------------------------------ create and edit

def _fill_choices(form, promotion=None):
    """Facilities, categories (children under their parent) and products grouped by facility."""
    facilities, tree, products = queries.scope_choices(promotion)
    form.facilities.choices = [SelectChoice(f.id, f.name) for f in facilities]
    choices = []
    for parent in tree:
        choices.append(SelectChoice(parent.id, parent.name))
        choices.extend(SelectChoice(child.id, f"\u00a0\u00a0\u00a0— {child.name}")
                       for child in parent.children)
    form.categories.choices = choices
    form.products.choices = [SelectChoice(pid, name, optgroup=facility)
                             for pid, name, facility in products]


def _show_error(form, exc: PromotionError):
    """Put a service refusal next to its input; returns the message for the summary when it
    belongs to no input."""
    if exc.field and exc.field in form:
        form[exc.field].errors = [*form[exc.field].errors, exc.message]
        return None
    return exc.message


@bp.route("/promotions/new", methods=["GET", "POST"])
def new_promotion():
    form = PromotionForm()
    form.require_batch = True
    _fill_choices(form)
    problem = None
    if form.validate_on_submit():
        count, prefix = form.batch()
        try:
            promotion = drafts.create_promotion(current_user.partner_id, _actor(),
                                                form.promotion_data(), count, prefix)
        except PromotionError as exc:
            problem = _show_error(form, exc)
        else:
            flash(_("Draf promo %(name)s disimpan. Ajukan ke admin Kanwil bila sudah siap.",
                    name=promotion.name), "success")
            return redirect(url_for("partner.promotion", promotion_id=promotion.id))
    status = 422 if form.errors or problem else 200
    return render_template("partner/promotion_form.html", form=form, promotion=None,
                           problem=problem), status


def _edit_form(promotion, current: MultiDict, locked: bool) -> PromotionForm:
    if request.method != "POST":
        return PromotionForm(formdata=current)
    formdata = request.form
    if locked:
        # The page only offers the name and description: anything not posted keeps its
        # value, anything posted is compared (and refused if it would change the terms).
        formdata = current.copy()
        for key in request.form:
            formdata.setlist(key, request.form.getlist(key))
    return PromotionForm(formdata=formdata)


@bp.route("/promotions/<int:promotion_id>/edit", methods=["GET", "POST"])
def edit_promotion(promotion_id):
    promotion = _promotion_or_404(promotion_id)
    shared = codes.shared_code_of(promotion)
    locked = promotion.approval == "approved"
    form = _edit_form(promotion, MultiDict(form_values(promotion, shared)), locked)
    form.require_batch = not locked and codes.single_use_count(promotion)[0] == 0 and not shared
    _fill_choices(form, promotion)
    problem, status = None, 200
    if promotion.approval == "pending":
        problem = _("Promo sedang menunggu persetujuan admin. Tunggu keputusannya sebelum "
                    "mengubah promo.")
        status = 409 if request.method == "POST" else 200
    elif form.validate_on_submit():
        count, prefix = form.batch()
        try:
            changed = drafts.update_promotion(promotion, _actor(), form.promotion_data(),
                                              count, prefix)
        except PromotionError as exc:
            problem = _show_error(form, exc)
            status = exc.status
        else:
            flash(_("Perubahan disimpan.") if changed or count else _("Tidak ada perubahan."),
                  "success")
            return redirect(url_for("partner.promotion", promotion_id=promotion.id))
    if request.method == "POST" and status == 200 and (form.errors or problem):
        status = 422
    return render_template("partner/promotion_form.html", form=form, promotion=promotion,
                           locked=locked, problem=problem,
                           targets=queries.target_names(promotion), shared_code=shared), status


# ------------------------------------------------------------------ one promotion

def _render_promotion(promotion, batch_form=None, status=200, codes_problem=None):
    totals = figures.promotion_figures(promotion.id)
    by_facility = figures.figures_by_facility(promotion.id)
    by_day = figures.figures_by_day(promotion.id)
    series = daily_series(by_day, value_index=1)
    chart = bar_chart(
        series, _("Pemakaian promo per hari (WIT), %(days)s hari: total %(uses)s pemakaian.",
                  days=len(series), uses=totals.uses),
        describe=lambda n: _("%(n)s pemakaian", n=n))
    codes_total, codes_used = codes.single_use_count(promotion)
    return render_template(
        "partner/promotion.html", promotion=promotion, state=state_of(promotion),
        figures=totals, by_facility=by_facility, by_day=by_day, chart=chart,
        targets=queries.target_names(promotion), shared_code=codes.shared_code_of(promotion),
        codes_total=codes_total, codes_used=codes_used,
        batch_form=batch_form or BatchForm(formdata=None), codes_problem=codes_problem,
        editable=promotion.approval in ("draft", "rejected", "approved"),
    ), status


@bp.get("/promotions/<int:promotion_id>")
def promotion(promotion_id):
    return _render_promotion(_promotion_or_404(promotion_id))


@bp.post("/promotions/<int:promotion_id>/submit")
def submit(promotion_id):
    promotion = _promotion_or_404(promotion_id)
    if ActionForm().validate_on_submit():
        try:
            approval.submit_promotion(promotion, _actor())
        except PromotionError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Promo diajukan. Admin Kanwil akan memeriksa dan menyetujuinya."),
                  "success")
    return redirect(url_for("partner.promotion", promotion_id=promotion.id))


@bp.post("/promotions/<int:promotion_id>/codes")
def generate_codes(promotion_id):
    promotion = _promotion_or_404(promotion_id)
    form = BatchForm()
    if form.validate_on_submit():
        try:
            made = codes.generate_codes(promotion, _actor(), form.count.data,
                                        form.prefix.data or "")
        except PromotionError as exc:
            return _render_promotion(promotion, batch_form=form, status=exc.status,
                                     codes_problem=exc.message)
        else:
            flash(_("%(n)s kode sekali pakai dibuat. Unduh daftar kodenya sebagai CSV.",
                    n=len(made)), "success")
            return redirect(url_for("partner.promotion", promotion_id=promotion.id))
    return _render_promotion(promotion, batch_form=form, status=422)


@bp.get("/promotions/<int:promotion_id>/codes.csv")
def codes_csv(promotion_id):
    return exports.codes_csv(_promotion_or_404(promotion_id))


@bp.get("/promotions/<int:promotion_id>/statement.csv")
def statement_csv(promotion_id):
    promotion = _promotion_or_404(promotion_id)
    if promotion.funding != "partner":
        abort(404)  # the facilities bear this one: the partner owes nothing
    return exports.statement_csv(promotion)
