"""The stylesheets: shop.css (loaded on every page) stays small, and every page loads the sheets
that style its classes. templates/base.html links order.css and desk.css only for some
blueprints, so a class moved out of shop.css, or a new class on a page that does not load its
sheet, would leave that page unstyled. A static check: the classes of each rendered template
(with its includes, imports and macros, and those its scripts add) and of the catalogue's
markup built in Python, against the sheets base.html links for the blueprint that renders it."""

import os
import re
from collections import defaultdict
from functools import cache

import pytest
from flask import render_template_string, request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOP_CSS_LIMIT = 20 * 1024  # bench/catalog.py: "static/css/shop.css < 20 KB"

# Markup built in Python, and the blueprint whose pages show it.
PYTHON_MARKUP = {"shop/catalog/cards.py": "catalog", "shop/catalog/stock_slots.py": "catalog"}
# Used on pages without the sheet that styles the name elsewhere, knowingly: desk.css styles
# .promo-form only for the partner's multiple select (the cart's promo form has none), and
# .report-table for the Kanwil's reports (the public impact page's table keeps shop.css's).
ELSEWHERE_ONLY = {"promo-form", "report-table"}


def _read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def _files(folder, suffix):
    for parent, _, names in os.walk(os.path.join(ROOT, folder)):
        for name in names:
            if name.endswith(suffix):
                yield os.path.relpath(os.path.join(parent, name), ROOT)


def test_shop_css_stays_under_20_kb():
    size = os.path.getsize(os.path.join(ROOT, "static", "css", "shop.css"))
    assert size < SHOP_CSS_LIMIT, f"static/css/shop.css is {size / 1024:.1f} KB"


# ---------------------------------------------------------------- what the sheets style

@cache
def _sheet_classes():
    sheets = {}
    for path in _files("static/css", ".css"):
        css = re.sub(r"/\*.*?\*/", "", _read(path), flags=re.S)
        selectors = re.sub(r"\d*\.\d+", "", " ".join(re.findall(r"([^{}]+)\{", css)))
        sheets[os.path.basename(path)] = set(re.findall(r"\.(-?[a-zA-Z_][\w-]*)", selectors))
    return sheets


# ---------------------------------------------------------------- what the pages use

def _classes_in_markup(text):
    """Names in class="..." (Jinja tags inside kept as text, quoted literals of {{ ... }}
    taken, a generated "status-{{ x }}" skipped) and in class='...' macro arguments."""
    found = set()
    for value in re.findall(r'class="([^"]*)"', text):
        for expression in re.findall(r"\{\{(.*?)\}\}", value):
            found |= {w for s in re.findall(r"'([^']*)'", expression) for w in s.split()}
        value = re.sub(r"\{%.*?%\}", " ", value)
        found |= set(re.sub(r"[\w-]*\{\{.*?\}\}[\w-]*", " ", value).split())
    for value in re.findall(r"\bclass_?=\s*'([^']*)'", text):
        found |= set(value.split())
    return found


def _classes_added_by_script(name):
    calls = re.findall(r'(?:className\s*=|classList\.(?:add|toggle)\()\s*"([\w -]+)"',
                       _read(f"static/js/{name}"))
    return {c for value in calls for c in value.split()}


@cache
def _templates():
    return {os.path.relpath(path, "templates"): _read(path)
            for path in _files("templates", ".html")}


def _closure(name, seen=None):
    """The template and what it includes, imports and extends (base.html apart: it is
    rendered for each blueprint, see _base_page)."""
    seen = set() if seen is None else seen
    if name in seen or name not in _templates() or name == "base.html":
        return seen
    seen.add(name)
    text = _templates()[name]
    for ref in re.findall(r"\{%-?\s*(?:extends|include|import|from)\s+['\"]([^'\"]+)['\"]", text):
        # {% include "payments/_pay_" ~ code ~ ".html" %}: every template with that prefix
        for part in [ref] if ref.endswith(".html") else [t for t in _templates()
                                                          if t.startswith(ref)]:
            _closure(part, seen)
    return seen


def _template_classes(name):
    """The classes of a template's own markup, and the sheets it links itself ({% block
    styles %} or, for a page of its own like the packing slip, its <link>)."""
    classes, linked = set(), set()
    for part in _closure(name):
        text = _templates()[part]
        classes |= _classes_in_markup(text)
        linked |= set(re.findall(r"filename=['\"]css/([\w-]+\.css)['\"]", text))
        for script in re.findall(r"filename=['\"]js/([\w-]+\.js)['\"]", text):
            classes |= _classes_added_by_script(script)
    return classes, linked


# ---------------------------------------------------------------- which blueprint renders what

@cache
def _renderers():
    """template -> the blueprints whose views name it. A template named by a module without a
    blueprint (the error page, the cart's promo box) -> None: checked against the sheets of a
    page of no blueprint, which is what every page loads."""
    modules = {path: _read(path) for path in _files("shop", ".py")}

    def blueprint_of(path):
        own = re.search(r'Blueprint\(\s*"(\w+)"', modules[path])
        if own:
            return own.group(1)
        shared = re.search(r"^from ([\w.]+) import .*\bbp\b", modules[path], flags=re.M)
        return blueprint_of(shared.group(1).replace(".", "/") + ".py") if shared else None

    found = defaultdict(set)
    for path, source in modules.items():
        for template in re.findall(r'"([\w/]+\.html)"', source):
            if template in _templates() and not template.startswith("emails/"):
                found[template].add(blueprint_of(path))
    return found


@cache
def _base_page(app, blueprint):
    """The stylesheets base.html links on a page of this blueprint, and the classes of its
    header, flashes and footer there."""
    rule = next((r for r in app.url_map.iter_rules()
                 if blueprint and r.endpoint.startswith(blueprint + ".")), None)
    with app.test_request_context("/"):
        request.url_rule = rule
        html = render_template_string('{% extends "base.html" %}')
    sheets = set(re.findall(r'<link rel="stylesheet" href="/static/css/([\w-]+\.css)', html))
    scripts = re.findall(r'src="/static/js/([\w-]+\.js)', html)
    classes = _classes_in_markup(html).union(*map(_classes_added_by_script, scripts))
    return frozenset(sheets), frozenset(classes)


def _pages():
    """(template or module, blueprint) for every page or fragment the shop renders."""
    for template, blueprints in sorted(_renderers().items()):
        for blueprint in sorted(blueprints, key=str):
            yield template, blueprint
    yield from PYTHON_MARKUP.items()


def _missing(app, source, blueprint, sheets):
    if source.endswith(".py"):
        classes, linked = _classes_in_markup(_read(source)), set()
    else:
        classes, linked = _template_classes(source)
    loaded, base_classes = set(), set()
    if "<html" not in _templates().get(source, ""):  # not a page of its own: in base.html
        loaded, base_classes = map(set, _base_page(app, blueprint))
    loaded |= linked
    available = set().union(*(sheets[name] for name in loaded if name in sheets))
    styled = set().union(*sheets.values())
    return loaded, sorted(((classes | base_classes) & styled) - available - ELSEWHERE_ONLY)


def test_every_page_loads_the_sheets_that_style_its_classes(app):
    sheets, problems = _sheet_classes(), []
    for source, blueprint in _pages():
        loaded, missing = _missing(app, source, blueprint, sheets)
        if missing:
            where = {c: sorted(n for n, names in sheets.items() if c in names) for c in missing}
            problems.append(f"{source} ({blueprint or 'no blueprint'}; loads "
                            f"{', '.join(sorted(loaded))}): styled only in {where}")
    assert not problems, "\n".join(problems)


def test_the_check_fails_for_a_class_whose_sheet_is_not_loaded(app):
    """The check itself: cart-line moved to order.css would leave the cart unstyled."""
    sheets = {name: set(names) for name, names in _sheet_classes().items()}
    sheets["shop.css"].discard("cart-line")
    sheets["order.css"].add("cart-line")
    assert _missing(app, "cart/cart.html", "cart", sheets) == ({"shop.css"}, ["cart-line"])


@pytest.mark.parametrize("template, expected", [
    ("catalog/list.html", {"filters", "check", "pager"}),  # pager: a macro it imports
    ("orders/detail.html", {"parcel-card", "status", "timeline", "button-link"}),  # includes
    ("payments/pay.html", {"pay-box", "facts", "transfer", "test-cards", "is-copied"}),
    ("cart/cart.html", {"cart-line", "stepper", "blocked"}),  # blocked: inside {% if %}
])
def test_the_check_sees_includes_macros_conditions_and_scripts(template, expected):
    assert expected <= _template_classes(template)[0]


def test_the_storefront_loads_shop_css_only(app):
    """The pages Lighthouse scores (home, catalogue, product, cart, checkout) get one
    render-blocking stylesheet; the toast cart-add.js shows there is styled by it."""
    for blueprint in ("catalog", "facilities", "cart", "checkout"):
        sheets, classes = _base_page(app, blueprint)
        assert sheets == {"shop.css"}, blueprint
        assert {"toast", "toast-error", "cart-count"} <= classes
