"""Facilities (/admin/manage/facilities): details and revenue split, deactivation, shipping
rates."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from shop.admin.manage import facility_services as services
from shop.admin.manage import queries
from shop.admin.manage.common import bp, form_status, me
from shop.admin.manage.forms import FacilityForm, shipping_rates_form
from shop.admin.manage.support import ManageError
from shop.catalog.forms import ActionForm
from shop.facilities.models import SHIPPING_ZONES


def _facility_or_404(slug):
    facility = queries.facility_by_slug(slug)
    if facility is None:
        abort(404)
    return facility


@bp.get("/facilities")
def facilities():
    return render_template("admin/manage_facilities.html", rows=queries.facility_rows())


def _render_facility_form(form, facility, problem=None):
    return render_template("admin/manage_facility_form.html", form=form, facility=facility,
                           problem=problem), form_status(form, problem)


@bp.route("/facilities/new", methods=["GET", "POST"])
def new_facility():
    form = FacilityForm()
    if not form.is_submitted():
        form.premi_percent.data, form.pnbp_percent.data, form.capital_percent.data = 50, 15, 35
    problem = None
    if form.validate_on_submit():
        try:
            facility = services.add_facility(me(), **form.facility_fields())
        except ManageError as exc:
            problem = str(exc)
        else:
            flash(_("%(name)s ditambahkan. Atur tarif kirimnya.", name=facility.name),
                  "success")
            return redirect(url_for("admin_manage.shipping_rates", slug=facility.slug))
    return _render_facility_form(form, None, problem)


@bp.route("/facilities/<slug>/edit", methods=["GET", "POST"])
def edit_facility(slug):
    facility = _facility_or_404(slug)
    form = FacilityForm(obj=facility)
    if not form.is_submitted() and facility.has_map:
        form.map_point.data = f"{facility.latitude}, {facility.longitude}"
    problem = None
    if form.validate_on_submit():
        try:
            services.update_facility(facility, me(), **form.facility_fields())
        except ManageError as exc:
            problem = str(exc)
        else:
            flash(_("Perubahan %(name)s disimpan.", name=facility.name), "success")
            return redirect(url_for("admin_manage.facilities"))
    return _render_facility_form(form, facility, problem)


@bp.post("/facilities/<slug>/deactivate")
def deactivate_facility(slug):
    facility = _facility_or_404(slug)
    if ActionForm().validate_on_submit():
        services.set_facility_active(facility, me(), False)
        flash(_("%(name)s dinonaktifkan: produknya tidak tampil di toko. Pesanan yang sudah "
                "dibayar tetap diproses.", name=facility.name), "success")
    return redirect(url_for("admin_manage.edit_facility", slug=slug))


@bp.post("/facilities/<slug>/reactivate")
def reactivate_facility(slug):
    facility = _facility_or_404(slug)
    if ActionForm().validate_on_submit():
        services.set_facility_active(facility, me(), True)
        flash(_("%(name)s aktif kembali.", name=facility.name), "success")
    return redirect(url_for("admin_manage.edit_facility", slug=slug))


@bp.route("/facilities/<slug>/rates", methods=["GET", "POST"])
def shipping_rates(slug):
    facility = _facility_or_404(slug)
    form = shipping_rates_form(queries.shipping_rates(facility))
    problem = None
    if form.validate_on_submit():
        try:
            services.update_shipping_rates(facility, me(), form.zone_values())
        except ManageError as exc:
            problem = str(exc)
        else:
            flash(_("Tarif kirim %(name)s disimpan.", name=facility.name), "success")
            return redirect(url_for("admin_manage.shipping_rates", slug=slug))
    return render_template("admin/manage_rates.html", form=form, facility=facility,
                           zones=SHIPPING_ZONES, problem=problem), form_status(form, problem)
