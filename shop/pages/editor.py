"""The shop's own pages (/admin/pages): the Kanwil writes them in Markdown, previews the
sanitised result, saves, or goes back to the text shipped with the shop."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from shop.accounts.access import role_required
from shop.core.i18n import lazy_gettext as _l
from shop.pages import services
from shop.pages.markdown import render
from shop.pages.queries import all_pages, page_view

bp = Blueprint("admin_pages", __name__, url_prefix="/admin/pages")


@bp.before_request
@role_required("admin")
def _admin_only():
    """Kanwil admins only."""


class PageForm(FlaskForm):
    title = StringField(_l("Judul"), validators=[
        DataRequired(_l("Judul wajib diisi.")), Length(max=services.TITLE_LIMIT)])
    body = TextAreaField(_l("Isi (Markdown)"), validators=[
        DataRequired(_l("Isi wajib diisi.")), Length(max=services.BODY_LIMIT)])


class ResetForm(FlaskForm):
    """The CSRF token only."""


@bp.get("/")
def index():
    return render_template("admin/pages.html", pages=all_pages())


@bp.route("/<slug>", methods=["GET", "POST"])
def edit(slug):
    page = page_view(slug)
    if page is None:
        abort(404)
    form = PageForm(data={"title": page.title, "body": page.body})
    problem, preview = None, None
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            preview = render(form.body.data)
        else:
            try:
                services.save_page(slug, form.title.data, form.body.data, current_user)
            except services.PageError as exc:
                problem = str(exc)
            else:
                flash(_("Halaman \"%(title)s\" disimpan.", title=form.title.data.strip()),
                      "success")
                return redirect(url_for("admin_pages.edit", slug=slug))
    status = 422 if form.is_submitted() and (form.errors or problem) else 200
    return render_template("admin/page_form.html", page=page, form=form, problem=problem,
                           preview=preview, reset_form=ResetForm()), status


@bp.post("/<slug>/reset")
def reset(slug):
    if page_view(slug) is None:
        abort(404)
    if ResetForm().validate_on_submit():
        services.reset_page(slug, current_user)
        flash(_("Halaman kembali ke teks bawaan."), "success")
    return redirect(url_for("admin_pages.edit", slug=slug))
