"""The product card, rendered in Python (the storefront's hottest markup: 24 per list page).

Same HTML as the former Jinja macro, but the translations, URL prefixes and unit labels are
looked up once per process, language and script root instead of per card (Flask-Babel's
context lookup and url_for cost more than the card itself); only the page's own URL (the
form's `next`) is looked up per request. Stock parts are markers (see stock_slots)."""

from flask import g, request, url_for
from flask_babel import gettext
from markupsafe import Markup, escape

from shop.catalog.models import UNITS
from shop.catalog.promo_marks import promo_marks
from shop.catalog.stock_slots import stock_slot
from shop.core.cache import page_url
from shop.core.i18n import current_translations
from shop.core.money import format_rupiah

_SLUG, _STEM, _SIZE = "__slug__", "__stem__", "__size__"


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
    """This page's URL (escaped), for the add-to-cart forms: once per request."""
    cached = g.get("card_next")
    if cached is None:
        cached = g.card_next = escape(page_url())
    return cached


def _photo(p: _Parts, product):
    cover = product.cover
    if cover is None:
        return f'<div class="no-photo" role="img" aria-label="{p.no_photo}"></div>'
    stem = escape(cover.storage_key.rsplit(".", 1)[0])
    thumb, card = p.image(stem, "thumb"), p.image(stem, "card")
    return (f'<img src="{thumb}" srcset="{thumb} 320w, {card} 640w" '
            'sizes="(min-width: 60em) 240px, 50vw" width="320" height="240" loading="lazy" '
            'decoding="async" alt="">')


def _price(p: _Parts, product, unit) -> str:
    mark = promo_marks().for_product(product)
    price = format_rupiah(product.price)
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
    p = _parts(lang)
    next_url = _next()
    name = escape(product.localized_name(lang))
    slug = escape(product.slug)
    unit = p.units.get(product.unit) or escape(product.unit)
    out = [
        f'<article class="card" id="p-{slug}">\n',
        f'  <a class="card-link" href="{p.detail[0]}{slug}{p.detail[1]}">\n',
        f"    {_photo(p, product)}\n",
        f'    <{heading} class="card-title">{name}</{heading}>\n  </a>\n',
    ]
    if product.is_flagship:
        badge = p.flagship % {"year": product.flagship_year}
        out.append(f'  <span class="badge badge-flagship">{badge}</span>\n')
    out.append(_price(p, product, unit))
    if show_facility:
        out.append(f'  <p class="card-facility">{escape(product.facility.name)}</p>\n')
    label = p.add_label % {"name": name, "unit": unit}
    out += [
        f'  <p class="stock-line">{stock_slot(product, "badge")}</p>\n',
        f'  {stock_slot(product, "if")}\n',
        f'  <form method="post" action="{p.cart_add}" class="card-add">\n',
        '    <input type="hidden" name="csrf_token" value="__CSRF_TOKEN__">\n',
        f'    <input type="hidden" name="product" value="{slug}">\n',
        '    <input type="hidden" name="quantity" value="1">\n',
        f'    <input type="hidden" name="next" value="{next_url}#p-{slug}">\n',
        f'    <button type="submit" class="button-small" aria-label="{label}">'
        f'+ {p.add}</button>\n',
        "  </form>\n  <!--/stock-->\n</article>",
    ]
    return Markup("".join(out))


def render_cards(products, lang, show_facility=True, heading="h3") -> Markup:
    return Markup("".join(render_card(x, lang, show_facility, heading) for x in products))
