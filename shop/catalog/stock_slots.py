"""Stock on pages without stock in the page cache.

Cards and product pages render markers where the stock shows (the badge, the add-to-cart form
that only exists while in stock, the quantity maximum, the API's `stock` and `stock_state`);
shop.core.cache fills them per request from one query, so a cached page stays valid while
orders change stock. Markers are HTML comments: escaped page content can never forge one.

    <!--stock:ID:badge-->                 the stock badge
    <!--stock:ID:max-->                   min(stock, 99)
    <!--stock:ID:if-->...<!--/stock-->    kept only while the product is in stock
    "<!--stock:ID:n-->"  (JSON)           the stock number
    "<!--stock:ID:state-->"  (JSON)       "available" | "low" | "sold_out"

A page served once (no page cache) is filled right after its render; its product cards skip
the markers and show the stock in place (`stock_badges`, shop.catalog.cards).
"""

import re

from flask import current_app, g, request
from flask_babel import gettext
from markupsafe import Markup

from shop.catalog.models import Product
from shop.core.cache import LiveFragments, register_live_fragments
from shop.core.i18n import current_locale

MARK = "<!--stock:"
MARK_B = MARK.encode()
END = "<!--/stock-->"
# Starts with fixed text, so a search jumps from marker to marker.
_MARKER = re.compile(r"<!--stock:(\d+):(n|state|if|badge|max)-->")


def _state(stock, low):
    if stock <= 0:
        return "sold_out"
    return "low" if stock <= low else "available"


def remember_stock(product) -> int:
    """Note the stock just read with `product` (the page's markers are filled from it)."""
    values = g.get("live_values")
    if values is None:
        values = g.live_values = {}
    values[product.id] = product.stock
    return product.id


def stock_marker(product_id, kind) -> str:
    """The marker text for `kind` (badge, max, if, n, state) of a product."""
    return f"<!--stock:{product_id}:{kind}-->"


def stock_slot(product, kind):
    """A marker for `kind` (badge, max, if, n, state), remembering the stock just read."""
    return Markup(stock_marker(remember_stock(product), kind))


def stock_mark(product_id, kind):
    """A marker for a product whose stock the page remembers elsewhere (for parts kept by
    shop.core.templating.kept, which must have no side effects)."""
    return Markup(stock_marker(product_id, kind))


def stock_badges():
    """stock -> the stock badge's HTML in the current language, as a badge marker is filled:
    for parts written with the stock in place (a page served once, see
    shop.core.cache.served_once)."""
    low, badges = current_app.config["LOW_STOCK_THRESHOLD"], _badges()
    return lambda stock: _shown(stock, "badge", low, badges)


def stock_value(product, kind="n"):
    """The JSON form (a string the filler replaces, quotes included, by a number/string)."""
    return stock_marker(remember_stock(product), kind)


class StockSlots(LiveFragments):
    def columns(self):
        return Product.id, Product.stock

    def parse(self, body):
        return StockPage(body)

    def fill_once(self, body, values):
        """The body filled in one pass, without parsing it into parts (a page not kept)."""
        if MARK not in body:
            return body
        out: list = []
        _fill(body, 0, len(body), values, current_app.config["LOW_STOCK_THRESHOLD"], _badges(),
              out)
        return "".join(out)

    def stale(self, values):
        return any(stock <= 0 for stock in values.values())


_BADGES: dict = {}


def _badges():
    """The three stock badges in the current language (translated once per language)."""
    locale = current_locale()
    badges = _BADGES.get(locale)
    if badges is None:
        # (gettext outside the f-strings: Babel cannot see calls inside them)
        sold_out, low_text, available = gettext("Habis"), gettext("Tinggal %(n)s"), \
            gettext("Tersedia")
        badges = _BADGES[locale] = {
            "sold_out": f'<span class="stock stock-out">{sold_out}</span>',
            "low": f'<span class="stock stock-low">{low_text}</span>',
            "available": f'<span class="stock stock-ok">{available}</span>',
        }
    return badges


class StockPage:
    """A body read once into text parts and markers, so that filling it per request is a walk
    over the parts (a cached page is parsed once per process, not per hit). A marker is
    (id, kind, parts kept while in stock: for `if`); a JSON value's marker takes its quotes
    with it; an unknown or incomplete marker stays text."""

    __slots__ = ("parts", "_ids")

    def __init__(self, body: str):
        self.parts = _parse(body, 0, len(body)) if MARK in body else [body]
        self._ids = None

    @property
    def ids(self) -> list[int]:
        """The products whose stock the page shows (read when a cached copy is served)."""
        if self._ids is None:
            self._ids = sorted(_marker_ids(self.parts, set()))
        return self._ids

    def fill(self, values: dict) -> str:
        if len(self.parts) == 1 and self.parts[0].__class__ is str:
            return self.parts[0]
        out: list = []
        _walk(self.parts, values, current_app.config["LOW_STOCK_THRESHOLD"], _badges(), out)
        return "".join(out)


def _tokens(body, pos, stop):
    """body[pos:stop] as text and markers: a str, or (product id, kind, where an `if`'s
    content starts and stops, else None). A JSON value's marker takes its quotes with it; an
    unknown or incomplete marker stays text."""
    while (m := _MARKER.search(body, pos, stop)) is not None:
        start, end, kind = m.start(), m.end(), m.group(2)
        product_id = int(m.group(1))
        if kind in ("n", "state"):
            if body[start - 1:start] != '"' or body[end:end + 1] != '"':
                yield body[pos:end]
                pos = end
                continue
            yield body[pos:start - 1]
            yield product_id, kind, None
            pos = end + 1
        elif kind == "if":
            close = body.find(END, end, stop)
            if close < 0:
                yield body[pos:end]
                pos = end
                continue
            yield body[pos:start]
            yield product_id, kind, (end, close)
            pos = close + len(END)
        else:
            yield body[pos:start]
            yield product_id, kind, None
            pos = end
    yield body[pos:stop]


def _parse(body, pos, stop):
    """body[pos:stop] as a list of text parts and markers (an `if` holds its own parts)."""
    parts = []
    for token in _tokens(body, pos, stop):
        if token.__class__ is str:
            if token:
                parts.append(token)
        else:
            product_id, kind, inner = token
            parts.append((product_id, kind, _parse(body, *inner) if inner else None))
    return parts


def _fill(body, pos, stop, values, low, badges, out):
    """body[pos:stop] filled with `values` into `out`, in one pass (no parts kept)."""
    for token in _tokens(body, pos, stop):
        if token.__class__ is str:
            out.append(token)
            continue
        product_id, kind, inner = token
        stock = values.get(product_id, 0)
        if inner is None:
            out.append(_shown(stock, kind, low, badges))
        elif stock > 0:
            _fill(body, *inner, values, low, badges, out)


def _marker_ids(parts, found):
    """The product ids of the markers in `parts`, added to `found`."""
    for part in parts:
        if part.__class__ is not str:
            found.add(part[0])
            if part[2]:
                _marker_ids(part[2], found)
    return found


def _walk(parts, values, low, badges, out):
    for part in parts:
        if part.__class__ is str:
            out.append(part)
            continue
        product_id, kind, inner = part
        stock = values.get(product_id, 0)
        if kind == "if":
            if stock > 0:
                _walk(inner, values, low, badges, out)
        else:
            out.append(_shown(stock, kind, low, badges))


def _shown(stock, kind, low, badges) -> str:
    """What a marker other than `if` shows for `stock`."""
    if kind == "max":
        return str(min(stock, 99))
    if kind == "n":
        return str(stock)
    state = _state(stock, low)
    if kind == "state":
        return f'"{state}"'
    return badges[state] % {"n": stock} if state == "low" else badges[state]


FILLER = StockSlots()


def init_app(app):
    register_live_fragments(FILLER)
    app.jinja_env.globals.update(stock_slot=stock_slot, stock_mark=stock_mark)

    @app.after_request
    def _fill_uncached_pages(response):
        """Pages outside the page cache (a promotion's landing page) fill from what they read."""
        if (response.mimetype == "text/html" and not response.direct_passthrough
                and request.endpoint):
            body = response.get_data()
            if MARK_B in body:
                text = FILLER.fill_once(body.decode(), g.get("live_values") or {})
                response.set_data(text.encode())
        return response
