"""Read a shop page: the Kanwil's saved text, or the default shipped with the shop."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from shop.extensions import db
from shop.pages.content import PAGES
from shop.pages.markdown import render
from shop.pages.models import ShopPage


@dataclass
class PageView:
    slug: str
    path: str
    title: str
    body: str
    updated_at: datetime | None

    @property
    def is_default(self):
        return self.updated_at is None

    @property
    def html(self):
        return render(self.body)


def page_view(slug: str) -> PageView | None:
    kind = PAGES.get(slug)
    if kind is None:
        return None
    row = db.session.scalar(select(ShopPage).where(ShopPage.slug == slug))
    if row is None:
        return PageView(slug, kind.path, str(kind.title), kind.default_body(), None)
    return PageView(slug, kind.path, row.title, row.body, row.updated_at)


def all_pages() -> list[PageView]:
    rows = {row.slug: row for row in db.session.scalars(select(ShopPage))}
    views = []
    for slug, kind in PAGES.items():
        row = rows.get(slug)
        views.append(PageView(slug, kind.path, row.title, row.body, row.updated_at) if row
                     else PageView(slug, kind.path, str(kind.title), kind.default_body(), None))
    return views
