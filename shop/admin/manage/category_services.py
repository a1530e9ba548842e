"""Writes of the category screens: add (two levels at most) and rename. Each audits and
commits, or raises `ManageError`."""

from flask_babel import gettext as _

from shop.admin.manage.support import ManageError, commit, short
from shop.catalog.models import Category
from shop.catalog.services import CatalogError, create_category
from shop.core.audit import record
from shop.extensions import db


def add_category(actor, name, name_en=None, parent_id=None) -> Category:
    """A category; with a parent, that parent must be top level (two levels at most)."""
    name = (name or "").strip()
    if not name:
        raise ManageError(_("Nama kategori wajib diisi."))
    parent = None
    if parent_id is not None:
        parent = db.session.get(Category, parent_id)
        if parent is None:
            raise ManageError(_("Kategori induk tidak dikenal."))
        if parent.parent_id is not None:
            raise ManageError(_("Kategori hanya boleh dua tingkat: %(name)s sudah sub-kategori, "
                                "pilih kategori utama sebagai induk.", name=parent.name))
    try:
        category = create_category(name, name_en=name_en or None, parent=parent)
        record("category.created", actor=actor, subject=category.slug,
               to_value=parent.slug[:60] if parent else None, note=name)
        db.session.commit()
    except CatalogError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    except Exception:
        db.session.rollback()
        raise
    return category


def rename_category(category, actor, name, name_en=None) -> Category:
    """A new name (the slug stays, so links keep working)."""
    name = (name or "").strip()
    if not name:
        raise ManageError(_("Nama kategori wajib diisi."))
    name_en = (name_en or "").strip() or None
    if (category.name, category.name_en) == (name, name_en):
        return category
    record("category.renamed", actor=actor, subject=category.slug,
           from_value=short(category.name), to_value=short(name),
           note=f"name_en: {short(category.name_en)} → {short(name_en)}")
    category.name, category.name_en = name, name_en
    commit()
    return category
