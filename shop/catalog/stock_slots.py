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
"""

import re

from flask import current_app, g, request
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import select

from shop.catalog.models import Product
from shop.core.cache import LiveFragments, register_live_fragments

MARK = "<!--stock:"
MARK_B = MARK.encode()
END = "<!--/stock-->"
_IDS = re.compile(r"<!--stock:(\d+):")
# Starts with fixed text, so a search jumps from marker to marker.
_MARKER = re.compile(r"<!--stock:(\d+):(n|state|if|badge|max)-->")


def _state(stock, low):
    if stock <= 0:
        return "sold_out"
    return "low" if stock <= low else "available"


def _seen(product):
    values = g.get("live_values")
    if values is None:
        values = g.live_values = {}
    values[product.id] = product.stock
    return product.id


def stock_slot(product, kind):
    """A marker for `kind` (badge, max, if, n, state), remembering the stock just read."""
    return Markup(f"<!--stock:{_seen(product)}:{kind}-->")


def stock_value(product, kind="n"):
    """The JSON form (a string the filler replaces, quotes included, by a number/string)."""
    return f"<!--stock:{_seen(product)}:{kind}-->"


class StockSlots(LiveFragments):
    def ids(self, body):
        return sorted({int(i) for i in _IDS.findall(body)}) if MARK in body else []

    def select(self, ids):
        return select(Product.id, Product.stock).where(Product.id.in_(ids))

    def stale(self, values):
        return any(stock <= 0 for stock in values.values())

    def fill(self, body, values):
        if MARK not in body:
            return body
        low = current_app.config["LOW_STOCK_THRESHOLD"]
        # (gettext outside the f-strings: Babel cannot see calls inside them)
        sold_out, low_text, available = gettext("Habis"), gettext("Tinggal %(n)s"), \
            gettext("Tersedia")
        badges = {
            "sold_out": f'<span class="stock stock-out">{sold_out}</span>',
            "low": f'<span class="stock stock-low">{low_text}</span>',
            "available": f'<span class="stock stock-ok">{available}</span>',
        }
        return _fill(body, values, low, badges)


def _fill(body, values, low, badges):
    """Every marker of `body` replaced, in one pass: an `if` part kept while in stock has its
    own markers filled (the quantity maximum inside the add-to-cart form); a JSON value's
    marker takes its quotes with it. An unknown or incomplete marker is left as it is."""
    out, pos = [], 0
    while (m := _MARKER.search(body, pos)) is not None:
        start, end, kind = m.start(), m.end(), m.group(2)
        stock = values.get(int(m.group(1)), 0)
        if kind in ("n", "state"):
            if body[start - 1:start] != '"' or body[end:end + 1] != '"':
                out.append(body[pos:end])
                pos = end
                continue
            out.append(body[pos:start - 1])
            out.append(str(stock) if kind == "n" else f'"{_state(stock, low)}"')
            pos = end + 1
        elif kind == "if":
            close = body.find(END, end)
            if close < 0:
                out.append(body[pos:end])
                pos = end
                continue
            out.append(body[pos:start])
            if stock > 0:
                out.append(_fill(body[end:close], values, low, badges))
            pos = close + len(END)
        else:
            out.append(body[pos:start])
            if kind == "max":
                out.append(str(min(stock, 99)))
            else:
                state = _state(stock, low)
                out.append(badges[state] % {"n": stock} if state == "low" else badges[state])
            pos = end
    out.append(body[pos:])
    return "".join(out)


FILLER = StockSlots()


def init_app(app):
    register_live_fragments(FILLER)
    app.jinja_env.globals["stock_slot"] = stock_slot

    @app.after_request
    def _fill_uncached_pages(response):
        """Pages outside the page cache (a promotion's landing page) fill from what they read."""
        if (response.mimetype == "text/html" and not response.direct_passthrough
                and request.endpoint):
            body = response.get_data()
            if MARK_B in body:
                text = FILLER.fill(body.decode(), g.get("live_values") or {})
                response.set_data(text.encode())
        return response
