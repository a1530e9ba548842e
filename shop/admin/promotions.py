"""The Kanwil's promotion desk (/admin/promotions): approve or reject what partners submit,
pause or resume any promotion."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.accounts.access import role_required
from shop.core.time import utcnow
from shop.orders.promotion_figures import promotion_figures
from shop.promotions import approval, queries
from shop.promotions.codes import shared_code_of, single_use_count
from shop.promotions.errors import NotAllowed, PromotionError
from shop.promotions.forms import DecisionForm
from shop.promotions.labels import state_of, template_labels
from shop.promotions.models import Promotion

bp = Blueprint("admin_promotions", __name__, url_prefix="/admin/promotions")


@bp.before_request
@role_required("admin")
def _admin_only():
    """Kanwil admins only (anonymous -> sign-in, partners and everyone else 403)."""


ADMIN_NAV_ENDPOINTS = ("admin.dashboard", "admin_reports.index", "admin_orders.orders",
                       "admin_manage.facilities", "admin_orders.audit")


@bp.context_processor
def _labels():
    return {"admin_nav": all(e in current_app.view_functions for e in ADMIN_NAV_ENDPOINTS),
            **template_labels()}


def _promotion_or_404(promotion_id) -> Promotion:
    promotion = queries.promotion_for_review(promotion_id)
    if promotion is None:
        abort(404)
    return promotion


@bp.get("/")
def index():
    pending, others = queries.review_lists()
    now = utcnow()
    return render_template("admin/promotions.html", pending=pending, others=others,
                           states={p.id: state_of(p, now) for p in pending + others},
                           form=DecisionForm(formdata=None))


def _render_detail(promotion, form=None, status=200):
    codes_total, codes_used = single_use_count(promotion)
    return render_template(
        "admin/promotions_detail.html", promotion=promotion, state=state_of(promotion),
        targets=queries.target_names(promotion), shared_code=shared_code_of(promotion),
        codes_total=codes_total, codes_used=codes_used,
        figures=promotion_figures(promotion.id),
        form=form or DecisionForm(formdata=None)), status


@bp.get("/<int:promotion_id>")
def detail(promotion_id):
    return _render_detail(_promotion_or_404(promotion_id))


def _decide(promotion_id, action, success):
    promotion = _promotion_or_404(promotion_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_detail(promotion, form, 422)
    try:
        action(promotion, current_user._get_current_object(), form.note.data or "")
    except NotAllowed:
        abort(403)
    except PromotionError as exc:
        if exc.field == "reason":
            form.note.errors = [*form.note.errors, exc.message]
            return _render_detail(promotion, form, exc.status)
        flash(exc.message, "error")
        return redirect(url_for("admin_promotions.detail", promotion_id=promotion.id))
    flash(success(promotion), "success")
    return redirect(url_for("admin_promotions.index"))


@bp.post("/<int:promotion_id>/approve")
def approve(promotion_id):
    return _decide(promotion_id, approval.approve_promotion,
                   lambda p: _("Promo %(name)s disetujui.", name=p.name))


@bp.post("/<int:promotion_id>/reject")
def reject(promotion_id):
    return _decide(promotion_id, approval.reject_promotion,
                   lambda p: _("Promo %(name)s ditolak; mitra melihat alasannya.", name=p.name))


@bp.post("/<int:promotion_id>/pause")
def pause(promotion_id):
    return _decide(promotion_id, lambda p, actor, note: approval.set_paused(p, actor, True, note),
                   lambda p: _("Promo %(name)s dihentikan sementara.", name=p.name))


@bp.post("/<int:promotion_id>/resume")
def resume(promotion_id):
    return _decide(promotion_id, lambda p, actor, note: approval.set_paused(p, actor, False, note),
                   lambda p: _("Promo %(name)s berjalan lagi.", name=p.name))
