"""One page of a list, for pages and the API alike."""

from dataclasses import dataclass
from datetime import datetime

from flask import request
from sqlalchemy import func, select

from shop.extensions import db

MAX_PAGE = 10_000


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int
    suggestion: str = ""  # "did you mean" for a search that found nothing

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages


def page_arg(name: str = "page") -> int:
    """The page number asked for in the query string: 1 when missing or not a plain number."""
    raw = request.args.get(name, "")
    if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 5:
        return max(1, min(int(raw), MAX_PAGE))
    return 1


def date_arg(name: str, default=None):
    """A YYYY-MM-DD date from the query string; `default` when missing or not a date."""
    try:
        return datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return default


def paginate(stmt, page: int, per_page: int, *order_by, scalars: bool = True) -> Page:
    """Run `stmt` for one page (ordered by `order_by`) and count all its rows."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    query = stmt.order_by(*order_by) if order_by else stmt
    query = query.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(query)
    items = list(result.scalars()) if scalars else list(result.all())
    return Page(items, total or 0, page, per_page)
