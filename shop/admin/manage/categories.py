"""Categories (/admin/manage/categories): the two-level tree, add and rename."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from shop.admin.manage import category_services as services
from shop.admin.manage.common import bp, form_status, me
from shop.admin.manage.forms import CategoryForm, RenameCategoryForm
from shop.admin.manage.support import ManageError
from shop.catalog.queries import category_by_id, category_tree


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
            category = services.add_category(me(), form.name.data, form.name_en.data,
                                             form.parent.data)
        except ManageError as exc:
            problem = str(exc)
            form.parent.errors = [*form.parent.errors, problem]
        else:
            flash(_("Kategori %(name)s ditambahkan.", name=category.name), "success")
            return redirect(url_for("admin_manage.categories"))
    return render_template("admin/manage_categories.html", tree=category_tree(), form=form,
                           problem=problem), form_status(form, problem)


@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
def rename_category(category_id):
    category = category_by_id(category_id) or abort(404)
    form = RenameCategoryForm(obj=category)
    problem = None
    if form.validate_on_submit():
        try:
            services.rename_category(category, me(), form.name.data, form.name_en.data)
        except ManageError as exc:
            problem = str(exc)
        else:
            flash(_("Kategori disimpan."), "success")
            return redirect(url_for("admin_manage.categories"))
    return render_template("admin/manage_category_form.html", form=form, category=category,
                           problem=problem), form_status(form, problem)
