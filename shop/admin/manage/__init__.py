"""Kanwil management (/admin/manage, blueprint "admin_manage"), one module per sub-area:
facilities (details, revenue split, shipping rates, deactivation), categories, any facility's
products (the product back office of shop.catalog), accounts and partner organisations.

Views parse input, call one service (which audits and commits) and render or redirect; reads
are in `queries`, writes in `<sub-area>_services`.
"""

from shop.admin.manage import (  # noqa: F401
    accounts,
    categories,
    facilities,
    partners,
    products,
    search_words,
)
from shop.admin.manage.common import bp

__all__ = ["bp"]
