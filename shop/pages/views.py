"""The shop's own pages (/tentang, /syarat-penjualan, /kebijakan-privasi, /pengembalian,
/kontak, /faq) and what robots and browsers ask for: robots.txt, sitemap.xml, favicon.ico,
the web app manifest."""

from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for

from shop.catalog.queries import sitemap_products
from shop.core.cache import cached_page
from shop.facilities.queries import active_facilities
from shop.pages.content import PAGES
from shop.pages.queries import page_view

bp = Blueprint("pages", __name__)


def _show(slug):
    page = page_view(slug)
    if page is None:
        abort(404)
    facilities = active_facilities() if slug == "kontak" else []
    return render_template("pages/page.html", page=page, facilities=facilities)


def _register_page_routes():
    for slug, kind in PAGES.items():
        def view(slug=slug):
            return _show(slug)

        view.__name__ = f"page_{slug}"
        bp.add_url_rule(kind.path, endpoint=slug, view_func=cached_page(view), methods=["GET"])


_register_page_routes()

# Private areas: nothing there is for search engines (they need a sign-in or a token anyway).
# The cart and the checkout stay crawlable: they show nothing private (the visitor's own
# session only) and are in no sitemap; a crawler that opens them sees an empty cart.
DISALLOW = ("/admin/", "/staff/", "/partner/", "/account/", "/orders/", "/payments/", "/api/",
            "/dev/")


@bp.get("/robots.txt")
def robots():
    base = current_app.config["SHOP_BASE_URL"].rstrip("/")
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOW), "",
             f"Sitemap: {base}{url_for('pages.sitemap')}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


@bp.get("/sitemap.xml")
@cached_page
def sitemap():
    base = current_app.config["SHOP_BASE_URL"].rstrip("/")
    urls = [(url_for("catalog.home"), None), (url_for("catalog.product_list"), None),
            (url_for("facilities.facility_list"), None)]
    urls += [(url_for("facilities.facility_detail", slug=f.slug), f.updated_at)
             for f in active_facilities()]
    urls += [(url_for("catalog.product_detail", slug=slug), updated)
             for slug, updated in sitemap_products()]
    urls += [(kind.path, None) for kind in PAGES.values()]
    body = render_template("pages/sitemap.xml", base=base, urls=urls)
    return Response(body, mimetype="application/xml")


@bp.get("/favicon.ico")
def favicon():
    return redirect(url_for("static", filename="img/favicon.ico"), code=301)


@bp.get("/site.webmanifest")
def manifest():
    return {
        "name": "Etalase Binaan Maluku Utara",
        "short_name": "Etalase Binaan",
        "start_url": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#12355b",
        "icons": [
            {"src": url_for("static", filename="img/icon-192.png"), "sizes": "192x192",
             "type": "image/png"},
            {"src": url_for("static", filename="img/icon-512.png"), "sizes": "512x512",
             "type": "image/png"},
        ],
    }
