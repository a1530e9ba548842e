"""Kanwil management (/admin/manage): facilities (details, revenue split, shipping rates,
deactivation), categories, any facility's products, accounts and partner organisations.

Views parse input, call one service of shop.admin.manage_services (which audits and commits)
and render or redirect. Product screens reuse the staff forms and services.
"""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from shop.accounts.access import role_required
from shop.accounts.models import User
from shop.admin import manage_services as services
from shop.admin.manage_forms import (
    PARTNER_KIND_LABELS,
    ROLE_LABELS,
    AdminNewProductForm,
    CategoryForm,
    FacilityForm,
    InviteForm,
    PartnerForm,
    RenameCategoryForm,
    shipping_rates_form,
)
from shop.catalog.models import Category, Product, StockAdjustment
from shop.catalog.queries import category_tree
from shop.catalog.services import CatalogError
from shop.catalog.staff_services import (
    adjust_stock,
    archive_product,
    unarchive_product,
    update_product,
)
from shop.extensions import db
from shop.facilities.models import SHIPPING_ZONES, Facility
from shop.media.images import ImageRejected
from shop.promotions.partners import PartnerOrganization
from shop.staff.product_forms import ActionForm, ProductForm, StockForm
from shop.staff.products import (
    HISTORY_LIMIT,
    STATUS_LABELS,
    _category_choices,
    _save_failed,
    _uploaded_photo,
)

bp = Blueprint("admin_manage", __name__, url_prefix="/admin/manage")


@bp.before_request
@role_required("admin")
def _admins_only():
    """Every route here: Kanwil admins only (anonymous -> sign-in, others 403)."""


@bp.context_processor
def _labels():
    return {"product_status_labels": STATUS_LABELS, "role_labels": ROLE_LABELS,
            "partner_kind_labels": PARTNER_KIND_LABELS, "action_form": ActionForm(formdata=None)}


def _me():
    return current_user._get_current_object()


def _page_arg():
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


def _id_arg(name):
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _facility_or_404(slug) -> Facility:
    facility = db.session.scalar(select(Facility).where(Facility.slug == slug))
    if facility is None:
        abort(404)
    return facility


def _facility_choices(blank=None):
    facilities = db.session.scalars(
        select(Facility).order_by(Facility.is_active.desc(), Facility.name)).all()
    choices = [SelectChoice("", blank)] if blank else []
    choices.extend(SelectChoice(f.id, f.name if f.is_active else _("%(name)s (nonaktif)",
                                                                  name=f.name))
                   for f in facilities)
    return choices


@bp.get("/")
def index():
    return redirect(url_for("admin_manage.facilities"))


# ------------------------------------------------------------------ facilities

@bp.get("/facilities")
def facilities():
    return render_template("admin/manage_facilities.html", rows=services.facility_rows())


def _render_facility_form(form, facility, problem=None):
    status = 422 if form.errors or problem else 200
    return render_template("admin/manage_facility_form.html", form=form, facility=facility,
                           problem=problem), status


@bp.route("/facilities/new", methods=["GET", "POST"])
def new_facility():
    form = FacilityForm()
    if not form.is_submitted():
        form.premi_percent.data, form.pnbp_percent.data, form.capital_percent.data = 50, 15, 35
    problem = None
    if form.validate_on_submit():
        try:
            facility = services.add_facility(_me(), **form.facility_fields())
        except services.ManageError as exc:
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
    problem = None
    if form.validate_on_submit():
        try:
            services.update_facility(facility, _me(), **form.facility_fields())
        except services.ManageError as exc:
            problem = str(exc)
        else:
            flash(_("Perubahan %(name)s disimpan.", name=facility.name), "success")
            return redirect(url_for("admin_manage.facilities"))
    return _render_facility_form(form, facility, problem)


@bp.post("/facilities/<slug>/deactivate")
def deactivate_facility(slug):
    facility = _facility_or_404(slug)
    if ActionForm().validate_on_submit():
        services.set_facility_active(facility, _me(), False)
        flash(_("%(name)s dinonaktifkan: produknya tidak tampil di toko. Pesanan yang sudah "
                "dibayar tetap diproses.", name=facility.name), "success")
    return redirect(url_for("admin_manage.edit_facility", slug=slug))


@bp.post("/facilities/<slug>/reactivate")
def reactivate_facility(slug):
    facility = _facility_or_404(slug)
    if ActionForm().validate_on_submit():
        services.set_facility_active(facility, _me(), True)
        flash(_("%(name)s aktif kembali.", name=facility.name), "success")
    return redirect(url_for("admin_manage.edit_facility", slug=slug))


@bp.route("/facilities/<slug>/rates", methods=["GET", "POST"])
def shipping_rates(slug):
    facility = _facility_or_404(slug)
    form = shipping_rates_form(services.shipping_rates(facility))
    problem = None
    if form.validate_on_submit():
        try:
            services.update_shipping_rates(facility, _me(), form.zone_values())
        except services.ManageError as exc:
            problem = str(exc)
        else:
            flash(_("Tarif kirim %(name)s disimpan.", name=facility.name), "success")
            return redirect(url_for("admin_manage.shipping_rates", slug=slug))
    status = 422 if form.errors or problem else 200
    return render_template("admin/manage_rates.html", form=form, facility=facility,
                           zones=SHIPPING_ZONES, problem=problem), status


# ------------------------------------------------------------------ categories

def _parent_choices():
    return [SelectChoice("", _("— Tanpa induk (kategori utama) —")),
            *(SelectChoice(c.id, c.name) for c in category_tree())]


@bp.route("/categories", methods=["GET", "POST"])
def categories():
    form = CategoryForm()
    form.parent.choices = _parent_choices()
    problem = None
    if form.validate_on_submit():
        try:
            category = services.add_category(_me(), form.name.data, form.name_en.data,
                                             form.parent.data)
        except services.ManageError as exc:
            problem = str(exc)
            form.parent.errors = [*form.parent.errors, problem]
        else:
            flash(_("Kategori %(name)s ditambahkan.", name=category.name), "success")
            return redirect(url_for("admin_manage.categories"))
    status = 422 if form.errors or problem else 200
    return render_template("admin/manage_categories.html", tree=category_tree(), form=form,
                           problem=problem), status


@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
def rename_category(category_id):
    category = db.session.get(Category, category_id) or abort(404)
    form = RenameCategoryForm(obj=category)
    problem = None
    if form.validate_on_submit():
        try:
            services.rename_category(category, _me(), form.name.data, form.name_en.data)
        except services.ManageError as exc:
            problem = str(exc)
        else:
            flash(_("Kategori disimpan."), "success")
            return redirect(url_for("admin_manage.categories"))
    status = 422 if form.errors or problem else 200
    return render_template("admin/manage_category_form.html", form=form, category=category,
                           problem=problem), status


# ------------------------------------------------------------------ products

def _product_or_404(slug) -> Product:
    product = db.session.scalar(select(Product).where(Product.slug == slug))
    if product is None:
        abort(404)
    return product


@bp.get("/products")
def products():
    facility_id, status = _id_arg("facility"), request.args.get("status") or None
    q = request.args.get("q", "")[:80]
    result = services.product_page(facility_id, status, q, _page_arg())
    return render_template("admin/manage_products.html", result=result,
                           facility_choices=_facility_choices(_("Semua Lapas/Rutan")),
                           facility_id=facility_id, status=status, q=q,
                           low=current_app.config["LOW_STOCK_THRESHOLD"])


@bp.route("/products/new", methods=["GET", "POST"])
def new_product():
    form = AdminNewProductForm()
    form.category.choices = _category_choices()
    form.facility.choices = _facility_choices()
    if not form.is_submitted() and _id_arg("facility"):
        form.facility.data = _id_arg("facility")
    problem = None
    if form.validate_on_submit():
        try:
            product = services.add_product(
                _me(), db.session.get(Facility, form.facility.data),
                photo=_uploaded_photo(form), photo_alt=form.photo_alt.data,
                initial_stock=form.initial_stock.data or 0, **form.product_fields())
        except services.ManageError as exc:
            problem = str(exc)
        except (CatalogError, ImageRejected) as exc:
            problem = _save_failed(form, exc)
        else:
            flash(_("Produk %(name)s disimpan.", name=product.name), "success")
            return redirect(url_for("admin_manage.product", slug=product.slug))
    status = 422 if form.errors or problem else 200
    return render_template("admin/manage_product_form.html", form=form, product=None,
                           problem=problem), status


@bp.route("/products/<slug>/edit", methods=["GET", "POST"])
def edit_product(slug):
    product = _product_or_404(slug)
    form = ProductForm(obj=product)
    if product.status == "archived":
        del form.status  # restored from the product page, not here
    form.category.choices = _category_choices()
    if not form.is_submitted():
        form.category.data = product.category_id
    problem = None
    if form.validate_on_submit():
        try:
            update_product(product, _me(), photo=_uploaded_photo(form),
                           photo_alt=form.photo_alt.data, **form.product_fields())
        except (CatalogError, ImageRejected) as exc:
            problem = _save_failed(form, exc)
        else:
            flash(_("Perubahan %(name)s disimpan.", name=product.name), "success")
            return redirect(url_for("admin_manage.product", slug=product.slug))
    status = 422 if form.errors or problem else 200
    return render_template("admin/manage_product_form.html", form=form, product=product,
                           problem=problem), status


def _render_product(product, stock_form=None, status=200):
    history = db.session.execute(
        select(StockAdjustment, User.name, User.email)
        .outerjoin(User, User.id == StockAdjustment.user_id)
        .where(StockAdjustment.product_id == product.id)
        .order_by(StockAdjustment.id.desc())
        .limit(HISTORY_LIMIT)
    ).all()
    return render_template(
        "admin/manage_product.html", product=product, history=history,
        stock_form=stock_form or StockForm(formdata=None),
        low=current_app.config["LOW_STOCK_THRESHOLD"]), status


@bp.get("/products/<slug>")
def product(slug):
    return _render_product(_product_or_404(slug))


@bp.post("/products/<slug>/stock")
def product_stock(slug):
    product = _product_or_404(slug)
    form = StockForm()
    if form.validate_on_submit():
        try:
            adjustment = adjust_stock(product, form.change.data, form.reason.data, _me())
        except CatalogError as exc:
            form.change.errors = [*form.change.errors, str(exc)]
        else:
            flash(_("Stok diperbarui: %(change)+d, sekarang %(after)d.",
                    change=adjustment.change, after=adjustment.stock_after), "success")
            return redirect(url_for("admin_manage.product", slug=slug))
    return _render_product(product, stock_form=form, status=422)


@bp.post("/products/<slug>/archive")
def archive(slug):
    product = _product_or_404(slug)
    if ActionForm().validate_on_submit():
        try:
            archive_product(product, _me())
        except CatalogError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Produk diarsipkan dan tidak dijual lagi."), "success")
    return redirect(url_for("admin_manage.product", slug=slug))


@bp.post("/products/<slug>/unarchive")
def unarchive(slug):
    product = _product_or_404(slug)
    if ActionForm().validate_on_submit():
        try:
            unarchive_product(product, _me())
        except CatalogError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Produk dipulihkan sebagai draf. Aktifkan lewat Ubah produk."), "success")
    return redirect(url_for("admin_manage.product", slug=slug))


# ------------------------------------------------------------------ accounts

@bp.get("/accounts")
def accounts():
    role = request.args.get("role") or None
    role = role if role in services.ACCOUNT_ROLES else None
    q = request.args.get("q", "")[:80]
    result = services.account_page(role, q, _page_arg())
    partners = dict(db.session.execute(
        select(PartnerOrganization.id, PartnerOrganization.name)).all())
    facility_names = dict(db.session.execute(select(Facility.id, Facility.name)).all())
    return render_template("admin/manage_accounts.html", result=result, role=role, q=q,
                           partners=partners, facility_names=facility_names)


@bp.route("/accounts/invite", methods=["GET", "POST"])
def invite():
    form = InviteForm()
    form.facility.choices = _facility_choices(_("— Pilih Lapas/Rutan —"))
    form.partner.choices = [SelectChoice("", _("— Pilih organisasi mitra —")),
                            *(SelectChoice(p.id, p.name) for p in db.session.scalars(
                                select(PartnerOrganization).order_by(PartnerOrganization.name)))]
    problem = None
    if form.validate_on_submit():
        try:
            if form.role.data == "facility_staff":
                user = services.invite_staff(_me(), form.email.data, form.name.data,
                                             db.session.get(Facility, form.facility.data))
            elif form.role.data == "partner":
                user = services.invite_partner_user(
                    _me(), form.email.data, form.name.data,
                    db.session.get(PartnerOrganization, form.partner.data))
            else:
                user = services.invite_admin(_me(), form.email.data, form.name.data)
        except services.ManageError as exc:
            problem = str(exc)
        else:
            flash(_("Undangan dikirim ke %(email)s. Tautan untuk membuat kata sandi berlaku "
                    "1 jam; kirim ulang lewat \"Kirim tautan kata sandi\".", email=user.email),
                  "success")
            return redirect(url_for("admin_manage.accounts"))
    status = 422 if form.errors or problem else 200
    return render_template("admin/manage_invite.html", form=form, problem=problem), status


def _account_or_404(user_id) -> User:
    return db.session.get(User, user_id) or abort(404)


def _back_to_accounts():
    return redirect(request.form.get("next_url", "")
                    if request.form.get("next_url", "").startswith("/admin/manage/accounts")
                    else url_for("admin_manage.accounts"))


@bp.post("/accounts/<int:user_id>/deactivate")
def deactivate_account(user_id):
    user = _account_or_404(user_id)
    if ActionForm().validate_on_submit():
        try:
            services.set_user_active(user, _me(), False)
        except services.ManageError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Akun %(email)s dinonaktifkan dan semua sesinya diakhiri.",
                    email=user.email), "success")
    return _back_to_accounts()


@bp.post("/accounts/<int:user_id>/reactivate")
def reactivate_account(user_id):
    user = _account_or_404(user_id)
    if ActionForm().validate_on_submit():
        services.set_user_active(user, _me(), True)
        flash(_("Akun %(email)s aktif kembali.", email=user.email), "success")
    return _back_to_accounts()


@bp.post("/accounts/<int:user_id>/reset")
def reset_account(user_id):
    user = _account_or_404(user_id)
    if ActionForm().validate_on_submit():
        try:
            services.send_password_reset(user, _me())
        except services.ManageError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Tautan kata sandi dikirim ke %(email)s.", email=user.email), "success")
    return _back_to_accounts()


# ------------------------------------------------------------------ partner organisations

@bp.get("/partners")
def partners():
    return render_template("admin/manage_partners.html", rows=services.partner_rows())


def _partner_or_404(slug) -> PartnerOrganization:
    partner = db.session.scalar(
        select(PartnerOrganization).where(PartnerOrganization.slug == slug))
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
                partner = services.add_partner(_me(), **form.partner_fields())
            else:
                services.update_partner(partner, _me(), **form.partner_fields())
        except services.ManageError as exc:
            problem = str(exc)
        else:
            flash(_("Organisasi mitra %(name)s disimpan.", name=partner.name), "success")
            return redirect(url_for("admin_manage.partners"))
    status = 422 if form.errors or problem else 200
    return render_template("admin/manage_partner_form.html", form=form, partner=partner,
                           problem=problem), status
