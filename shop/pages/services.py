"""The Kanwil saves or resets a shop page. Every write is audited and committed here."""

from flask_babel import gettext as _
from sqlalchemy import select

from shop.core.audit import record
from shop.extensions import db
from shop.pages.content import PAGES
from shop.pages.models import ShopPage

TITLE_LIMIT, BODY_LIMIT = 120, 50_000


class PageError(ValueError):
    """A page could not be saved; the message is safe to show."""


def save_page(slug: str, title: str, body: str, actor) -> ShopPage:
    if slug not in PAGES:
        raise PageError(_("Halaman tidak dikenal."))
    title, body = (title or "").strip(), (body or "").replace("\r\n", "\n").strip()
    if not title or not body:
        raise PageError(_("Judul dan isi halaman wajib diisi."))
    if len(title) > TITLE_LIMIT or len(body) > BODY_LIMIT:
        raise PageError(_("Judul paling banyak %(t)s karakter, isi %(b)s karakter.",
                          t=TITLE_LIMIT, b=BODY_LIMIT))
    try:
        page = db.session.scalar(select(ShopPage).where(ShopPage.slug == slug))
        if page is None:
            page = ShopPage(slug=slug, title=title, body=body)
            db.session.add(page)
        page.title, page.body = title, body
        page.updated_by_id = getattr(actor, "id", None)
        record("page.saved", actor=actor, subject=slug, note=title)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return page


def reset_page(slug: str, actor) -> None:
    """Back to the text shipped with the shop."""
    try:
        page = db.session.scalar(select(ShopPage).where(ShopPage.slug == slug))
        if page is not None:
            db.session.delete(page)
            record("page.reset", actor=actor, subject=slug)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
