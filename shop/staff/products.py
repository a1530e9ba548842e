"""The facility's products (/staff/products): list, create, edit, stock, archive, flagship.

Every product is looked up within the signed-in staff member's facility; another facility's
product is "not found" (404), its slug leaks nothing.
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import case, select
from sqlalchemy.orm import contains_eager, selectinload
from wtforms.fields.choices import SelectChoice

from shop.accounts.access import role_required
from shop.accounts.models import User
from shop.catalog.models import Category, FlagshipRequest, Product, StockAdjustment
from shop.catalog.queries import category_tree
from shop.catalog.services import CatalogError
from shop.catalog.staff_services import (
    adjust_stock,
    archive_product,
    create_staff_product,
    request_flagship,
    unarchive_product,
    update_product,
)
from shop.extensions import db
from shop.media.images import MAX_UPLOAD_BYTES, ImageRejected
from shop.staff.product_forms import (
    ActionForm,
    FlagshipRequestForm,
    NewProductForm,
    ProductForm,
    StockForm,
)

bp = Blueprint("staff_products", __name__, url_prefix="/staff/products")

STATUS_ORDER = case({"active": 0, "draft": 1, "archived": 2}, value=Product.status, else_=3)
HISTORY_LIMIT = 20
STATUS_LABELS = {"draft": _l("Draf"), "active": _l("Aktif"), "archived": _l("Diarsipkan")}
REQUEST_LABELS = {"pending": _l("Menunggu keputusan Kanwil"), "approved": _l("Disetujui"),
                  "refused": _l("Ditolak")}


@bp.context_processor
def _labels():
    return {"product_status_labels": STATUS_LABELS, "flagship_request_labels": REQUEST_LABELS}


@bp.before_request
@role_required("facility_staff")
def _staff_only():
    """Signed-in staff of a facility only (anonymous -> sign-in, other roles 403)."""


def _product_or_404(slug) -> Product:
    product = db.session.scalar(
        select(Product).where(Product.slug == slug,
                              Product.facility_id == current_user.facility_id)
    )
    if product is None:
        abort(404)
    return product


def _category_choices():
    """Top-level categories with their children indented under them (2 queries)."""
    choices = []
    for parent in category_tree():
        choices.append(SelectChoice(parent.id, parent.name))
        choices.extend(SelectChoice(child.id, f"\u00a0\u00a0\u00a0— {child.name}")
                       for child in parent.children)
    return choices


def _uploaded_photo(form):
    """The uploaded bytes (at most the limit + 1, so an oversize file is refused, not read
    whole), or None when no file was chosen."""
    upload = form.photo.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return upload.read(MAX_UPLOAD_BYTES + 1)


def _save_failed(form, exc):
    if isinstance(exc, ImageRejected):
        form.photo.errors = [*form.photo.errors, str(exc)]
        return None
    return str(exc)


# ------------------------------------------------------------------ list

@bp.get("/")
def products():
    facility_id = current_user.facility_id
    items = db.session.scalars(
        select(Product)
        .join(Product.category)
        .where(Product.facility_id == facility_id)
        .options(contains_eager(Product.category), selectinload(Product.images))
        .order_by(STATUS_ORDER, Product.name, Product.id)
    ).all()
    pending = {}
    for product_id, year in db.session.execute(
        select(FlagshipRequest.product_id, FlagshipRequest.year)
        .join(FlagshipRequest.product)
        .where(Product.facility_id == facility_id, FlagshipRequest.status == "pending")
        .order_by(FlagshipRequest.year)
    ):
        pending.setdefault(product_id, []).append(year)
    counts = {status: sum(1 for p in items if p.status == status)
              for status in ("active", "draft", "archived")}
    return render_template("staff/products.html", products=items, pending=pending,
                           counts=counts, low=current_app.config["LOW_STOCK_THRESHOLD"])


# ------------------------------------------------------------------ create and edit

@bp.route("/new", methods=["GET", "POST"])
def new_product():
    form = NewProductForm()
    form.category.choices = _category_choices()
    problem = None
    if form.validate_on_submit():
        try:
            product = create_staff_product(
                current_user._get_current_object(), photo=_uploaded_photo(form),
                photo_alt=form.photo_alt.data, initial_stock=form.initial_stock.data or 0,
                **form.product_fields())
        except (CatalogError, ImageRejected) as exc:
            problem = _save_failed(form, exc)
        else:
            flash(_("Produk %(name)s disimpan.", name=product.name), "success")
            return redirect(url_for("staff_products.detail", slug=product.slug))
    status = 422 if form.errors or problem else 200
    return render_template("staff/product_form.html", form=form, product=None,
                           problem=problem), status


@bp.route("/<slug>/edit", methods=["GET", "POST"])
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
            update_product(product, current_user._get_current_object(),
                           photo=_uploaded_photo(form), photo_alt=form.photo_alt.data,
                           **form.product_fields())
        except (CatalogError, ImageRejected) as exc:
            problem = _save_failed(form, exc)
        else:
            flash(_("Perubahan %(name)s disimpan.", name=product.name), "success")
            return redirect(url_for("staff_products.detail", slug=product.slug))
    status = 422 if form.errors or problem else 200
    return render_template("staff/product_form.html", form=form, product=product,
                           problem=problem), status


# ------------------------------------------------------------------ one product

def _render_detail(product, stock_form=None, flagship_form=None, status=200):
    history = db.session.execute(
        select(StockAdjustment, User.name, User.email)
        .outerjoin(User, User.id == StockAdjustment.user_id)
        .where(StockAdjustment.product_id == product.id)
        .order_by(StockAdjustment.id.desc())
        .limit(HISTORY_LIMIT)
    ).all()
    requests = db.session.scalars(
        select(FlagshipRequest).where(FlagshipRequest.product_id == product.id)
        .order_by(FlagshipRequest.id.desc())
    ).all()
    if flagship_form is None:
        flagship_form = FlagshipRequestForm(
            formdata=None, year=current_app.config["FLAGSHIP_TARGET_YEAR"])
    category = db.session.get(Category, product.category_id)
    return render_template(
        "staff/product_detail.html", product=product, category=category, history=history,
        requests=requests, stock_form=stock_form or StockForm(formdata=None),
        flagship_form=flagship_form, action_form=ActionForm(formdata=None),
        low=current_app.config["LOW_STOCK_THRESHOLD"],
    ), status


@bp.get("/<slug>")
def detail(slug):
    return _render_detail(_product_or_404(slug))


@bp.post("/<slug>/stock")
def stock(slug):
    product = _product_or_404(slug)
    form = StockForm()
    if form.validate_on_submit():
        try:
            adjustment = adjust_stock(product, form.change.data, form.reason.data,
                                      current_user._get_current_object())
        except CatalogError as exc:
            form.change.errors = [*form.change.errors, str(exc)]
        else:
            flash(_("Stok diperbarui: %(change)+d, sekarang %(after)d.",
                    change=adjustment.change, after=adjustment.stock_after), "success")
            return redirect(url_for("staff_products.detail", slug=slug))
    return _render_detail(product, stock_form=form, status=422)


@bp.post("/<slug>/archive")
def archive(slug):
    product = _product_or_404(slug)
    if ActionForm().validate_on_submit():
        try:
            archive_product(product, current_user._get_current_object())
        except CatalogError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Produk diarsipkan dan tidak dijual lagi."), "success")
    return redirect(url_for("staff_products.detail", slug=slug))


@bp.post("/<slug>/unarchive")
def unarchive(slug):
    product = _product_or_404(slug)
    if ActionForm().validate_on_submit():
        try:
            unarchive_product(product, current_user._get_current_object())
        except CatalogError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Produk dipulihkan sebagai draf. Aktifkan lewat Ubah produk."), "success")
    return redirect(url_for("staff_products.detail", slug=slug))


@bp.post("/<slug>/flagship-request")
def flagship_request(slug):
    product = _product_or_404(slug)
    form = FlagshipRequestForm()
    if form.validate_on_submit():
        try:
            request_flagship(product, current_user._get_current_object(), form.year.data,
                             form.reason.data)
        except CatalogError as exc:
            form.year.errors = [*form.year.errors, str(exc)]
        else:
            flash(_("Usulan produk unggulan %(year)s dikirim ke Kanwil.", year=form.year.data),
                  "success")
            return redirect(url_for("staff_products.detail", slug=slug))
    return _render_detail(product, flagship_form=form, status=422)
