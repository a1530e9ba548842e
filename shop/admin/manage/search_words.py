"""Search variants (/admin/manage/search-words): everyday spellings the product search knows
("sambel" finds "sambal"); the built-in list is shown, the Kanwil adds and removes its own."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from shop.admin.manage.common import bp, form_status, me
from shop.admin.manage.forms import SearchVariantForm
from shop.admin.manage.search_word_services import add_variant, remove_variant
from shop.admin.manage.support import ManageError
from shop.catalog.forms import ActionForm
from shop.catalog.search import variant_list


@bp.route("/search-words", methods=["GET", "POST"])
def search_words():
    form = SearchVariantForm()
    problem = None
    if form.validate_on_submit():
        try:
            variant = add_variant(me(), form.word.data, form.canonical.data)
        except ManageError as exc:
            problem = str(exc)
        else:
            flash(_("Sekarang “%(word)s” juga menemukan “%(canonical)s”.",
                    word=variant.word, canonical=variant.canonical), "success")
            return redirect(url_for("admin_manage.search_words"))
    stored, built_in = variant_list()
    return render_template("admin/manage_search_words.html", form=form, problem=problem,
                           stored=stored, built_in=built_in), form_status(form, problem)


@bp.post("/search-words/<int:variant_id>/remove")
def remove_search_word(variant_id):
    if ActionForm().validate_on_submit():
        variant = remove_variant(me(), variant_id)
        if variant is not None:
            flash(_("“%(word)s” dihapus dari daftar.", word=variant.word), "success")
    return redirect(url_for("admin_manage.search_words"))
