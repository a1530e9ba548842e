"""Accounts (/admin/manage/accounts): list, invite staff, partner users and admins,
deactivate and reactivate, send a password link."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from shop.accounts.models import User
from shop.admin.manage import account_services as services
from shop.admin.manage import queries
from shop.admin.manage.common import bp, facility_choices, form_status, me
from shop.admin.manage.forms import InviteForm
from shop.admin.manage.support import ManageError
from shop.catalog.forms import ActionForm
from shop.core.paging import page_arg
from shop.core.urls import safe_next
from shop.extensions import db
from shop.facilities.models import Facility
from shop.promotions.partners import PartnerOrganization


@bp.get("/accounts")
def accounts():
    role = request.args.get("role") or None
    role = role if role in queries.ACCOUNT_ROLES else None
    q = request.args.get("q", "")[:80]
    result = queries.account_page(role, q, page_arg())
    partners, facility_names = queries.account_names()
    return render_template("admin/manage_accounts.html", result=result, role=role, q=q,
                           partners=partners, facility_names=facility_names)


@bp.route("/accounts/invite", methods=["GET", "POST"])
def invite():
    form = InviteForm()
    form.facility.choices = facility_choices(_("— Pilih Lapas/Rutan —"))
    form.partner.choices = [SelectChoice("", _("— Pilih organisasi mitra —")),
                            *(SelectChoice(p.id, p.name) for p in queries.partners_by_name())]
    problem = None
    if form.validate_on_submit():
        try:
            user = _invite(form)
        except ManageError as exc:
            problem = str(exc)
        else:
            flash(_("Undangan dikirim ke %(email)s. Tautan untuk membuat kata sandi berlaku "
                    "1 jam; kirim ulang lewat \"Kirim tautan kata sandi\".", email=user.email),
                  "success")
            return redirect(url_for("admin_manage.accounts"))
    return render_template("admin/manage_invite.html", form=form,
                           problem=problem), form_status(form, problem)


def _invite(form):
    if form.role.data == "facility_staff":
        return services.invite_staff(me(), form.email.data, form.name.data,
                                     db.session.get(Facility, form.facility.data))
    if form.role.data == "partner":
        return services.invite_partner_user(
            me(), form.email.data, form.name.data,
            db.session.get(PartnerOrganization, form.partner.data))
    return services.invite_admin(me(), form.email.data, form.name.data)


def _account_or_404(user_id) -> User:
    return db.session.get(User, user_id) or abort(404)


def _back_to_accounts():
    """Back to the account list the admin came from (its filters kept), never elsewhere."""
    target = safe_next(request.form.get("next_url"), default="")
    if not target.startswith("/admin/manage/accounts"):
        target = url_for("admin_manage.accounts")
    return redirect(target)


@bp.post("/accounts/<int:user_id>/deactivate")
def deactivate_account(user_id):
    user = _account_or_404(user_id)
    if ActionForm().validate_on_submit():
        try:
            services.set_user_active(user, me(), False)
        except ManageError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Akun %(email)s dinonaktifkan dan semua sesinya diakhiri.",
                    email=user.email), "success")
    return _back_to_accounts()


@bp.post("/accounts/<int:user_id>/reactivate")
def reactivate_account(user_id):
    user = _account_or_404(user_id)
    if ActionForm().validate_on_submit():
        services.set_user_active(user, me(), True)
        flash(_("Akun %(email)s aktif kembali.", email=user.email), "success")
    return _back_to_accounts()


@bp.post("/accounts/<int:user_id>/reset")
def reset_account(user_id):
    user = _account_or_404(user_id)
    if ActionForm().validate_on_submit():
        try:
            services.send_password_reset(user, me())
        except ManageError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Tautan kata sandi dikirim ke %(email)s.", email=user.email), "success")
    return _back_to_accounts()
