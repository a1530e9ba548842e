"""The product screens of the back office, shared by the facility desk (/staff/products) and the
Kanwil (/admin/manage/products): create, edit, one product with its photos, stock and history,
the photos' framing and order, stock adjustment, archive and restore, and (staff) the flagship
request.

A desk subclasses `ProductDesk` to say which products it sees, which facility a new product
belongs to, its templates and its endpoint names, then calls `register(bp, prefix)`. Access
(role and scope) is the blueprint's `before_request`; every look-up goes through `scope()`.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from shop.catalog import backoffice, backoffice_queries
from shop.catalog.forms import (
    ActionForm,
    FlagshipRequestForm,
    NewProductForm,
    PhotoFramingForm,
    PhotoMoveForm,
    ProductForm,
    StockForm,
)
from shop.catalog.queries import category_tree
from shop.catalog.services import CatalogError
from shop.core.security import allow_blob_images
from shop.core.time import flagship_target_year
from shop.media.images import MAX_SILENT_CROP, MAX_UPLOAD_BYTES, ImageRejected


def category_choices():
    """Top-level categories with their children indented under them (2 queries)."""
    choices = []
    for parent in category_tree():
        choices.append(SelectChoice(parent.id, parent.name))
        choices.extend(SelectChoice(child.id, f"\u00a0\u00a0\u00a0— {child.name}")
                       for child in parent.children)
    return choices


def uploaded_photo(form):
    """The uploaded bytes (at most the limit + 1, so an oversize file is refused, not read
    whole), or None when no file was chosen."""
    upload = form.photo.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return upload.read(MAX_UPLOAD_BYTES + 1)


def save_failed(form, exc):
    """Show a refused photo at its field; any other refusal is the page's problem (returned)."""
    if isinstance(exc, ImageRejected):
        form.photo.errors = [*form.photo.errors, str(exc)]
        return None
    return str(exc)


def _me():
    return current_user._get_current_object()


class ProductDesk:
    """One desk's product screens. Subclasses set the attributes and may override the hooks."""

    name = ""  # the blueprint's name (for url_for)
    form_template = ""
    detail_template = ""
    detail_endpoint = "detail"
    stock_endpoint = "stock"
    flagship_requests = False  # staff propose flagships; the Kanwil decides on its dashboard

    # -------------------------------------------------------------- hooks

    def scope(self) -> int | None:
        """The facility whose products this desk sees (None: every facility)."""
        raise NotImplementedError

    def new_form(self) -> NewProductForm:
        return NewProductForm()

    def facility_of(self, form):
        """The facility a new product made with `form` belongs to."""
        raise NotImplementedError

    # -------------------------------------------------------------- routes

    def register(self, bp, prefix=""):
        rules = (
            ("/new", "new_product", self.new_product, ["GET", "POST"]),
            ("/<slug>/edit", "edit_product", self.edit_product, ["GET", "POST"]),
            ("/<slug>", self.detail_endpoint, self.detail, ["GET"]),
            ("/<slug>/stock", self.stock_endpoint, self.stock, ["POST"]),
            ("/<slug>/archive", "archive", self.archive, ["POST"]),
            ("/<slug>/unarchive", "unarchive", self.unarchive, ["POST"]),
            ("/<slug>/photos/<int:image_id>/framing", "photo_framing", self.photo_framing,
             ["POST"]),
            ("/<slug>/photos/<int:image_id>/move", "photo_move", self.photo_move, ["POST"]),
        )
        if self.flagship_requests:
            rules += (("/<slug>/flagship-request", "flagship_request", self.flagship_request,
                       ["POST"]),)
        for rule, endpoint, view, methods in rules:
            bp.add_url_rule(prefix + rule, endpoint, view, methods=methods)

    def _url(self, endpoint, **values):
        return url_for(f"{self.name}.{endpoint}", **values)

    def _product_or_404(self, slug):
        product = backoffice_queries.desk_product(slug, self.scope())
        if product is None:
            abort(404)
        return product

    def _photo_or_404(self, slug, image_id):
        """The product (within the desk's scope) and one of its photos, else 404."""
        product = self._product_or_404(slug)
        image = next((i for i in product.images if i.id == image_id), None)
        if image is None:
            abort(404)
        return product, image

    def _render_form(self, form, product, problem):
        status = 422 if form.errors or problem else 200
        allow_blob_images()  # the photo preview (static/js/photo-preview.js)
        return render_template(self.form_template, form=form, product=product,
                               problem=problem, max_silent_crop=MAX_SILENT_CROP), status

    def new_product(self):
        form = self.new_form()
        form.category.choices = category_choices()
        problem = None
        if form.validate_on_submit():
            try:
                product = backoffice.create_facility_product(
                    self.facility_of(form), _me(), photo=uploaded_photo(form),
                    photo_alt=form.photo_alt.data, photo_framing=form.chosen_framing(),
                    initial_stock=form.initial_stock.data or 0, **form.product_fields())
            except (CatalogError, ImageRejected) as exc:
                problem = save_failed(form, exc)
            else:
                flash(_("Produk %(name)s disimpan.", name=product.name), "success")
                return redirect(self._url(self.detail_endpoint, slug=product.slug))
        return self._render_form(form, None, problem)

    def edit_product(self, slug):
        product = self._product_or_404(slug)
        form = ProductForm(obj=product)
        if product.status == "archived":
            del form.status  # restored from the product page, not here
        form.category.choices = category_choices()
        if not form.is_submitted():
            form.category.data = product.category_id
        problem = None
        if form.validate_on_submit():
            try:
                backoffice.update_product(product, _me(), photo=uploaded_photo(form),
                                          photo_alt=form.photo_alt.data,
                                          photo_framing=form.chosen_framing(),
                                          **form.product_fields())
            except (CatalogError, ImageRejected) as exc:
                problem = save_failed(form, exc)
            else:
                flash(_("Perubahan %(name)s disimpan.", name=product.name), "success")
                return redirect(self._url(self.detail_endpoint, slug=product.slug))
        return self._render_form(form, product, problem)

    def _render_detail(self, product, stock_form=None, flagship_form=None, status=200,
                       photo_problem=None):
        extra = {}
        if self.flagship_requests:
            extra["requests"] = backoffice_queries.flagship_requests_of(product.id)
            extra["flagship_form"] = flagship_form or FlagshipRequestForm(
                formdata=None, year=flagship_target_year())
        return render_template(
            self.detail_template, product=product, category=product.category,
            history=backoffice_queries.stock_history(product.id),
            stock_form=stock_form or StockForm(formdata=None),
            action_form=ActionForm(formdata=None), photo_problem=photo_problem, **extra,
        ), status

    def detail(self, slug):
        return self._render_detail(self._product_or_404(slug))

    def stock(self, slug):
        product = self._product_or_404(slug)
        form = StockForm()
        if form.validate_on_submit():
            try:
                adjustment = backoffice.adjust_stock(product, form.change.data,
                                                     form.reason.data, _me())
            except CatalogError as exc:
                form.change.errors = [*form.change.errors, str(exc)]
            else:
                flash(_("Stok diperbarui: %(change)+d, sekarang %(after)d.",
                        change=adjustment.change, after=adjustment.stock_after), "success")
                return redirect(self._url(self.detail_endpoint, slug=slug))
        return self._render_detail(product, stock_form=form, status=422)

    def _status_change(self, slug, change, success):
        product = self._product_or_404(slug)
        if ActionForm().validate_on_submit():
            try:
                change(product, _me())
            except CatalogError as exc:
                flash(str(exc), "error")
            else:
                flash(success, "success")
        return redirect(self._url(self.detail_endpoint, slug=slug))

    def archive(self, slug):
        return self._status_change(slug, backoffice.archive_product,
                                   _("Produk diarsipkan dan tidak dijual lagi."))

    def unarchive(self, slug):
        return self._status_change(
            slug, backoffice.unarchive_product,
            _("Produk dipulihkan sebagai draf. Aktifkan lewat Ubah produk."))

    def flagship_request(self, slug):
        product = self._product_or_404(slug)
        form = FlagshipRequestForm()
        if form.validate_on_submit():
            try:
                backoffice.request_flagship(product, _me(), form.year.data, form.reason.data)
            except CatalogError as exc:
                form.year.errors = [*form.year.errors, str(exc)]
            else:
                flash(_("Usulan produk unggulan %(year)s dikirim ke Kanwil.",
                        year=form.year.data), "success")
                return redirect(self._url(self.detail_endpoint, slug=slug))
        return self._render_detail(product, flagship_form=form, status=422)

    def photo_framing(self, slug, image_id):
        """The photo list's switch: frame one photo "fit" (whole, padded) or "fill" (cropped)."""
        product, image = self._photo_or_404(slug, image_id)
        form = PhotoFramingForm()
        if not form.validate_on_submit():
            return self._photo_refused(product)
        try:
            changed = backoffice.set_photo_framing(product, image, form.framing.data, _me())
        except CatalogError as exc:
            return self._photo_refused(product, str(exc))
        if changed:
            flash(_("Tampilan foto diubah menjadi %(label)s.", label=image.framing_label),
                  "success")
        return redirect(self._url(self.detail_endpoint, slug=slug) + f"#photo-{image.id}")

    def photo_move(self, slug, image_id):
        """Move a photo up or down the list; the first one is the cover."""
        product, image = self._photo_or_404(slug, image_id)
        form = PhotoMoveForm()
        if not form.validate_on_submit():
            return self._photo_refused(product)
        try:
            backoffice.move_photo(product, image, form.step(), _me())
        except CatalogError as exc:
            return self._photo_refused(product, str(exc))
        flash(_("Urutan foto diperbarui."), "success")
        return redirect(self._url(self.detail_endpoint, slug=slug) + f"#photo-{image.id}")

    def _photo_refused(self, product, message=None):
        return self._render_detail(
            product, status=422,
            photo_problem=message or _("Pilihan untuk foto ini tidak dikenal. Muat ulang "
                                       "halaman, lalu coba lagi."))
