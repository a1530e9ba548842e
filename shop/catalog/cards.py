"""The product card, rendered in Python (the storefront's hottest markup: 24 per list page).

Same HTML as the former Jinja macro, but the translations, URL prefixes and unit labels are
looked up once per process, language and script root instead of per card (Flask-Babel's
context lookup and url_for cost more than the card itself); only the page's own URL (the
form's `next`) is looked up per request. Stock parts are markers (see stock_slots), filled per
request around a page the cache keeps; a page served once shows the stock read with the cards
in their place (shop.core.cache.served_once): the same HTML, and nothing left to look for."""

from functools import lru_cache

from flask import request, url_for
from flask_babel import gettext
from markupsafe import Markup, escape

from shop.catalog.models import UNITS
from shop.catalog.promo_marks import promo_marks
from shop.catalog.stock_slots import END, remember_stock, stock_badges, stock_marker
from shop.core.cache import page_url, served_once
from shop.core.i18n import current_translations
from shop.core.money import format_rupiah

_SLUG, _STEM, _SIZE = "__slug__", "__stem__", "__size__"
# Cards whose fixed parts a process keeps (about 1.5 KB each): the products of the pages a
# worker serves in both languages, times the few card shapes (list, home, "more from").
FIXED_CARDS = 8192


class _Parts:
    """What every card shares in one language (and script root)."""

    def __init__(self, lang):
        detail = url_for("catalog.product_detail", slug=_SLUG)
        media = url_for("media.derived", stem=_STEM, size=_SIZE)
        self.detail = detail.split(_SLUG)
        self.media = media
        self.cart_add = url_for("cart.add")
        self.lang = lang
        self.no_photo = escape(gettext("Belum ada foto"))
        self.flagship = Markup(gettext("Unggulan %(year)s"))
        self.add_label = Markup(gettext("Tambah %(name)s (1 %(unit)s) ke keranjang"))
        self.add = gettext("Keranjang")
        self.old_price = escape(gettext("Harga normal"))
        self.promo_price = escape(gettext("Harga promo"))
        self.code_tag = Markup(gettext("kode %(code)s %(benefit)s"))
        self.auto_tag = Markup(gettext("Promo %(benefit)s"))
        self.promo = url_for("promo.landing", slug=_SLUG).split(_SLUG)
        self.units = {key: escape(str(label)) for key, label in UNITS.items()}

    def image(self, stem, size):
        return self.media.replace(_STEM, stem).replace(_SIZE, size)


def _parts(lang) -> _Parts:
    """The shared parts, kept with the language's translations (a process keeps those)."""
    kept = vars(current_translations()).setdefault("_shop_card_parts", {})
    key = (lang, request.script_root)
    parts = kept.get(key)
    if parts is None:
        parts = kept[key] = _Parts(lang)
    return parts


def _next() -> str:
    """This page's URL (escaped), for the add-to-cart forms: once per request (kept on the
    request, not on `g`, which an outer application context can share between requests)."""
    environ = request.environ
    found = environ.get("shop.card_next")
    if found is None:
        found = environ["shop.card_next"] = escape(page_url())
    return found


def _photo(p: _Parts, cover_key):
    if cover_key is None:
        return f'<div class="no-photo" role="img" aria-label="{p.no_photo}"></div>'
    stem = escape(cover_key.rsplit(".", 1)[0])
    thumb, card = p.image(stem, "thumb"), p.image(stem, "card")
    return (f'<img src="{thumb}" srcset="{thumb} 320w, {card} 640w" '
            'sizes="(min-width: 60em) 240px, 50vw" width="320" height="240" loading="lazy" '
            'decoding="async" alt="">')


def _price(p: _Parts, mark, amount, unit) -> str:
    price = format_rupiah(amount)
    if mark is None:
        return f'  <p class="price">{price} <span class="unit">/ {unit}</span></p>\n'
    if mark.kind == "price":
        shown = (f'<del><span class="visually-hidden">{p.old_price}: </span>{price}</del> '
                 f'<ins><span class="visually-hidden">{p.promo_price}: </span>'
                 f'{format_rupiah(mark.price)}</ins>')
    else:
        shown = price
    tag = (p.code_tag % {"code": mark.code, "benefit": mark.benefit} if mark.kind == "code"
           else p.auto_tag % {"benefit": mark.benefit})
    href = f"{p.promo[0]}{escape(mark.slug)}{p.promo[1]}"
    return (f'  <p class="price">{shown} <span class="unit">/ {unit}</span></p>\n'
            f'  <p class="promo-tag-line"><a class="promo-tag" href="{href}">{tag}</a></p>\n')


def render_card(product, lang, show_facility=True, heading="h3") -> Markup:
    return Markup(_card_html(_parts(lang), promo_marks(), _next(), _stock_in_place(), product,
                             show_facility, heading))


def render_cards(products, lang, show_facility=True, heading="h3") -> Markup:
    p, marks, next_url, badge = _parts(lang), promo_marks(), _next(), _stock_in_place()
    return Markup("".join(_card_html(p, marks, next_url, badge, x, show_facility, heading)
                          for x in products))


def _stock_in_place():
    """For a page served once (shop.core.cache.served_once), stock -> badge: the cards show
    the stock read with them in place of their markers (nothing left to look for in the
    page afterwards); else None: markers, filled per request around a kept page."""
    return stock_badges() if served_once() else None


def _card_html(p: _Parts, marks, next_url, badge, product, show_facility, heading) -> str:
    """The card: its fixed parts (kept per product content, see `_fixed`) around what changes
    per request (the price with its promotion mark, the page's own URL, and the stock: as
    markers, or with `badge`, in place: the same HTML as the markers filled)."""
    cover = product.cover
    head, stock_line, markers, form_head, form_tail = _fixed(
        p, heading, show_facility, product.id, product.slug, product.localized_name(p.lang),
        product.unit, product.is_flagship and product.flagship_year,
        cover.storage_key if cover is not None else None,
        product.facility.name if show_facility else None,
    )
    unit = p.units.get(product.unit) or escape(product.unit)
    price = _price(p, marks.for_product(product), product.price, unit)
    if badge is None:
        remember_stock(product)  # for the markers
        return f"{head}{price}{stock_line}{markers}{form_head}{next_url}{form_tail}" \
               f"{END}\n</article>"
    stock = product.stock
    form = f"{form_head}{next_url}{form_tail}" if stock > 0 else ""
    return f"{head}{price}{stock_line}{badge(stock)}</p>\n  {form}\n</article>"


@lru_cache(maxsize=FIXED_CARDS)
def _fixed(p: _Parts, heading, show_facility, product_id, slug, name, unit_key, flagship_year,
           cover_key, facility_name) -> tuple[str, str, str, str, str]:
    """A card's HTML in parts: before its price; from the price to the stock badge; the stock
    markers (badge, then `if`: the form is shown while in stock); the form up to the page URL;
    after it, to the end of the `if`. A pure function of its arguments (the language's shared
    parts and what the card shows of the product), so a kept result is exact whatever changed
    since; an edit makes a new key."""
    name, slug = escape(name), escape(slug)
    unit = p.units.get(unit_key) or escape(unit_key)
    head = [
        f'<article class="card" id="p-{slug}">\n',
        f'  <a class="card-link" href="{p.detail[0]}{slug}{p.detail[1]}">\n',
        f"    {_photo(p, cover_key)}\n",
        f'    <{heading} class="card-title">{name}</{heading}>\n  </a>\n',
    ]
    if flagship_year:
        badge = p.flagship % {"year": flagship_year}
        head.append(f'  <span class="badge badge-flagship">{badge}</span>\n')
    stock_line = '  <p class="stock-line">'
    if show_facility:
        stock_line = f'  <p class="card-facility">{escape(facility_name)}</p>\n{stock_line}'
    markers = f'{stock_marker(product_id, "badge")}</p>\n  {stock_marker(product_id, "if")}'
    form_head = (
        f'\n  <form method="post" action="{p.cart_add}" class="card-add">\n'
        '    <input type="hidden" name="csrf_token" value="__CSRF_TOKEN__">\n'
        f'    <input type="hidden" name="product" value="{slug}">\n'
        '    <input type="hidden" name="quantity" value="1">\n'
        '    <input type="hidden" name="next" value="'
    )
    label = p.add_label % {"name": name, "unit": unit}
    form_tail = (f'#p-{slug}">\n'
                 f'    <button type="submit" class="button-small" aria-label="{label}">'
                 f'+ {p.add}</button>\n'
                 "  </form>\n  ")
    return "".join(head), stock_line, markers, form_head, form_tail
