"""Partner organisations (/admin/manage/partners): list, add, edit."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from shop.admin.manage import partner_services as services
from shop.admin.manage import queries
from shop.admin.manage.common import bp, form_status, me
from shop.admin.manage.forms import PartnerForm
from shop.admin.manage.support import ManageError
from shop.promotions.partners import PartnerOrganization


@bp.get("/partners")
def partners():
    return render_template("admin/manage_partners.html", rows=queries.partner_rows())


def _partner_or_404(slug) -> PartnerOrganization:
    partner = queries.partner_by_slug(slug)
    if partner is None:
        abort(404)
    return partner


@bp.route("/partners/new", methods=["GET", "POST"])
def new_partner():
    return _partner_form(None)


@bp.route("/partners/<slug>/edit", methods=["GET", "POST"])
def edit_partner(slug):
    return _partner_form(_partner_or_404(slug))


def _partner_form(partner):
    form = PartnerForm(obj=partner)
    problem = None
    if form.validate_on_submit():
        try:
            if partner is None:
                partner = services.add_partner(me(), **form.partner_fields())
            else:
                services.update_partner(partner, me(), **form.partner_fields())
        except ManageError as exc:
            problem = str(exc)
        else:
            flash(_("Organisasi mitra %(name)s disimpan.", name=partner.name), "success")
            return redirect(url_for("admin_manage.partners"))
    return render_template("admin/manage_partner_form.html", form=form, partner=partner,
                           problem=problem), form_status(form, problem)
