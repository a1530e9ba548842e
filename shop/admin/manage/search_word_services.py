"""Writes of the search-words screen: each audits and commits, or raises `ManageError`."""

from shop.admin.manage.support import ManageError, commit
from shop.catalog.services import CatalogError, add_search_variant, remove_search_variant
from shop.core.audit import record


def add_variant(actor, word, canonical):
    """Store the variant, audit it and commit (the page cache follows the catalogue)."""
    try:
        variant = add_search_variant(word, canonical)
    except CatalogError as exc:
        raise ManageError(str(exc)) from None
    record("search.variant_added", actor=actor, subject=variant.word,
           to_value=variant.canonical)
    commit()
    return variant


def remove_variant(actor, variant_id):
    variant = remove_search_variant(variant_id)
    if variant is not None:
        record("search.variant_removed", actor=actor, subject=variant.word,
               from_value=variant.canonical)
        commit()
    return variant
