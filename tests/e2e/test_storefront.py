"""The storefront in a real browser (Chromium through Playwright) against the live test server.

A visitor's journey (home, search, filter, product, language switch) with screenshots at phone
and desktop sizes, an axe-core accessibility scan of every public page, and the catalogue
working with JavaScript switched off.

The database is emptied after every test (conftest), so every test seeds its own catalogue.
"""

import functools
import io
import os
import re
from types import SimpleNamespace

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.conftest import wait_for_images
from tests.e2e.browser import AXE_JS, AXE_RUN, BLOCKING_IMPACTS, VIEWPORTS

pytestmark = pytest.mark.e2e



# ---------------------------------------------------------------- fixtures



# ---------------------------------------------------------------- seed data

@functools.cache
def _photo(background, accent):
    """A small product-like photo: a coloured backdrop with an object on a table (PNG bytes)."""
    image = Image.new("RGB", (480, 360), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 255, 480, 360), fill=tuple(max(0, c - 40) for c in background))
    draw.rounded_rectangle((172, 112, 308, 278), radius=21, fill=accent)
    draw.ellipse((191, 82, 289, 135), fill=tuple(min(255, c + 50) for c in accent))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def catalogue(gen_facility, gen_category, gen_product):
    """A small North Maluku catalogue: three units, two-level categories, photos, flagships
    (2025) and one sold-out product. Function-scoped: the database is emptied after each test."""
    from shop.catalog.services import add_product_image
    from shop.extensions import db

    hours = "Senin–Jumat 08.00–15.00 WIT, Sabtu 08.00–12.00 WIT"
    lpp = gen_facility(
        slug="lpp-ternate", name="Lapas Perempuan Kelas III Ternate", kind="lpp",
        facility_class="III", town="Ternate", regency="Kota Ternate",
        address="Kota Ternate, Maluku Utara", phone="+62921000102",
        email="lpp.ternate@etalasebinaan.test", opening_hours=hours,
        profile="Lapas khusus perempuan. Program kemandirian mengolah ikan roa asap menjadi "
        "sambal roa, membuat keripik, dan merajut tas.",
        profile_en="The women's prison: sambal roa, chips and knitted bags.",
        programmes="Pengolahan sambal roa\nPembuatan keripik\nRajutan",
        programmes_en="Sambal roa kitchen\nChips making\nKnitting",
        premi_percent=60, pnbp_percent=15, capital_percent=25,
    )
    ternate = gen_facility(
        slug="lapas-ternate", name="Lapas Kelas IIA Ternate", kind="lapas", facility_class="IIA",
        town="Jambula", regency="Kota Ternate",
        address="Jl. Raya Jambula, Kel. Jambula, Kec. Pulau Ternate, Kota Ternate 97751",
        phone="+62921000101", email="lapas.ternate@etalasebinaan.test", opening_hours=hours,
        profile="Lapas terbesar di Maluku Utara. Warga binaan belajar pertukangan kayu, membuat "
        "perahu miniatur dan mebel, serta bertani cabai di lahan pembinaan.",
        programmes="Pertukangan kayu\nPembuatan perahu\nPertanian cabai",
    )
    soasio = gen_facility(
        slug="rutan-soasio", name="Rutan Kelas IIB Soasio", kind="rutan", facility_class="IIB",
        town="Soasio", regency="Kota Tidore Kepulauan", opening_hours=hours,
        profile="Rutan di Pulau Tidore. Warga binaan mengolah buah pala menjadi sirup dan "
        "manisan.",
        programmes="Pengolahan pala",
    )

    food = gen_category("Makanan & Minuman", slug="makanan-minuman", name_en="Food & Drink")
    sambal = gen_category("Sambal", slug="sambal", name_en="Chilli paste", parent=food)
    snacks = gen_category("Keripik & Camilan", slug="keripik", name_en="Chips & Snacks",
                           parent=food)
    spices = gen_category("Rempah & Sirup", slug="rempah", name_en="Spices & Syrups",
                           parent=food)
    crafts = gen_category("Kerajinan Tangan", slug="kerajinan", name_en="Handicrafts",
                           position=1)
    knit = gen_category("Rajutan", slug="rajutan", name_en="Knitwear", parent=crafts)
    wood = gen_category("Kerajinan Kayu", slug="kerajinan-kayu", name_en="Woodcraft",
                         parent=crafts)
    farm = gen_category("Hasil Pertanian", slug="hasil-tani", name_en="Farm Produce",
                         position=2)

    rows = [
        # facility, category, slug, name, price, unit, stock, flagship, colours
        (lpp, sambal, "sambal-roa-original", "Sambal Roa Original", 45_000, "jar", 60, True,
         ((150, 40, 30), (200, 70, 40))),
        (lpp, sambal, "sambal-roa-pedas", "Sambal Roa Extra Pedas", 50_000, "jar", 0, False,
         ((120, 30, 30), (230, 60, 30))),
        (lpp, knit, "tas-rajut-tali-kur", "Tas Rajut Tali Kur", 185_000, "piece", 12, True,
         ((60, 90, 120), (230, 200, 120))),
        (lpp, snacks, "keripik-pisang-mulut-bebek", "Keripik Pisang Mulut Bebek", 25_000,
         "pack", 3, False, ((230, 200, 120), (200, 150, 50))),
        (ternate, wood, "perahu-miniatur-kayu", "Perahu Miniatur Kayu", 350_000, "piece", 8,
         True, ((40, 90, 140), (140, 90, 50))),
        (ternate, sambal, "sambal-dabu-dabu", "Sambal Dabu-Dabu Jambula", 30_000, "jar", 20,
         False, ((90, 120, 60), (210, 60, 50))),
        (ternate, farm, "cabai-rawit-segar", "Cabai Rawit Segar", 60_000, "kg", 40, True,
         ((70, 110, 50), (220, 40, 30))),
        (soasio, spices, "sirup-pala-tidore", "Sirup Pala Tidore", 55_000, "bottle", 24, True,
         ((200, 170, 120), (160, 90, 40))),
        (soasio, spices, "manisan-pala", "Manisan Pala Kering", 30_000, "pack", 18, True,
         ((230, 220, 190), (180, 120, 60))),
    ]
    products = {}
    for facility, category, slug, name, price, unit, stock, flagship, colours in rows:
        product = gen_product(
            facility=facility, category=category, slug=slug, name=name, price=price, unit=unit,
            stock=stock, is_flagship=flagship, flagship_year=2025 if flagship else None,
            description=f"{name} buatan warga binaan {facility.name}. Contoh produk (uji).",
            weight_grams=250,
        )
        add_product_image(product, _photo(*colours), alt_text=f"Foto {name}")
        products[slug] = product
    db.session.commit()
    return SimpleNamespace(facilities={f.slug: f for f in (lpp, ternate, soasio)},
                           products=products)


# ---------------------------------------------------------------- helpers

def _shot_dir(artifacts_dir):
    path = os.path.join(artifacts_dir, "storefront")
    os.makedirs(path, exist_ok=True)
    return path


def _settle(page):
    """Scroll to the bottom so lazy images load, wait for every image, scroll back up."""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    wait_for_images(page)
    page.evaluate("window.scrollTo(0, 0)")


def _assert_no_broken_images(page):
    broken = page.evaluate(
        "Array.from(document.images).filter(img => !img.naturalWidth).map(img => img.src)"
    )
    assert not broken, f"broken images on {page.url}: {broken}"


# ---------------------------------------------------------------- the journey

def open_filters(page):
    """On a phone the filters sit folded in a <details>; a visitor opens them first. (After
    the page's stylesheet has loaded: before it, the summary shows on a desktop too.)"""
    page.wait_for_load_state("load")
    summary = page.locator("form.filters summary")
    if summary.is_visible() and page.locator("form.filters details[open]").count() == 0:
        summary.click()
    return page.locator("form.filters")


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_visitor_journey(page, live_server, catalogue, artifacts_dir, viewport):
    shots = _shot_dir(artifacts_dir)
    step = iter(range(1, 100))

    def snap(name):
        _settle(page)
        _assert_no_broken_images(page)
        page.screenshot(path=os.path.join(shots, f"{viewport}-{next(step):02d}-{name}.png"),
                        full_page=True)

    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(f"{live_server}/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Produk karya warga binaan Maluku Utara")
    expect(page.get_by_role("heading", name="Produk Unggulan", exact=True)).to_be_visible()
    snap("home")

    # Search from the header box.
    search = page.get_by_role("search")
    search.get_by_role("searchbox", name="Cari produk").fill("sambal")
    search.get_by_role("button", name="Cari").click()
    expect(page).to_have_url(re.compile(r"/products\?q=sambal$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hasil pencarian “sambal”")
    expect(page.locator("#result-count")).to_have_text("3 produk ditemukan")
    snap("search")

    # Narrow to one unit with the filter form (a plain GET form).
    filters = open_filters(page)
    filters.get_by_label("Lapas/Rutan").select_option(label="Lapas Perempuan Kelas III Ternate")
    filters.get_by_role("button", name="Terapkan").click()
    expect(page).to_have_url(re.compile(r"facility=lpp-ternate"))
    expect(page).to_have_url(re.compile(r"q=sambal"))
    expect(page.locator("#result-count")).to_have_text("2 produk ditemukan")
    cards = page.locator(".results .card")
    expect(cards).to_have_count(2)
    expect(cards.filter(has_text="Sambal Roa Extra Pedas")).to_contain_text("Habis")
    expect(page.get_by_role("link", name="Hapus semua saringan")).to_be_visible()
    snap("filtered")

    # Open a product.
    page.get_by_role("link", name="Sambal Roa Original").click()
    expect(page).to_have_url(f"{live_server}/products/sambal-roa-original")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sambal Roa Original")
    expect(page.locator(".info .price")).to_contain_text("Rp45.000")
    expect(page.locator(".info .badge-flagship")).to_have_text("Produk Unggulan 2025")
    facility_link = page.locator(".facts").get_by_role(
        "link", name="Lapas Perempuan Kelas III Ternate")
    expect(facility_link).to_have_attribute("href", "/facilities/lpp-ternate")
    expect(page.locator(".gallery img").first).to_have_attribute("alt", "Foto Sambal Roa Original")
    snap("product")

    # Switch to English: same page, html lang="en", the switch now offers Indonesian.
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server}/products/sambal-roa-original")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".main-nav .lang")).to_have_text("Bahasa Indonesia")
    expect(page.locator(".info .price")).to_contain_text("Rp45.000")
    snap("product-en")

    # Follow the facility link (the choice of language sticks).
    facility_link.click()
    expect(page).to_have_url(f"{live_server}/facilities/lpp-ternate")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lapas Perempuan Kelas III Ternate")
    snap("facility-en")


# ---------------------------------------------------------------- accessibility (axe-core)

A11Y_PAGES = {
    "home": "/",
    "products": "/products",
    "products-empty": "/products?q=zzzz-nothing",
    "product": "/products/sambal-roa-original",
    "facilities": "/facilities",
    "facility": "/facilities/lpp-ternate",
    "not-found": "/products/tidak-ada-produk-ini",
}


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
@pytest.mark.parametrize("name", list(A11Y_PAGES))
def test_no_serious_accessibility_violations(request, new_context, live_server, artifacts_dir,
                                             name, viewport):
    path = A11Y_PAGES[name]
    if name not in ("not-found", "products-empty"):  # these two need no products
        request.getfixturevalue("catalogue")
    # The shop's CSP (script-src 'self') rightly blocks the injected axe script; bypass it in
    # this test context only.
    context = new_context(bypass_csp=True, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    response = page.goto(f"{live_server}{path}")
    assert response.status == (404 if name == "not-found" else 200)
    _settle(page)
    page.screenshot(path=os.path.join(_shot_dir(artifacts_dir), f"page-{viewport}-{name}.png"),
                    full_page=True)
    page.add_script_tag(path=AXE_JS)
    violations = page.evaluate(AXE_RUN)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]\n    "
        + "\n    ".join(v["targets"])
        for v in blocking
    )
    assert not blocking, f"axe found serious/critical problems on {path} ({viewport}):\n{report}"


# ---------------------------------------------------------------- layout on a phone

def test_no_sideways_scrolling_on_a_phone(page, live_server, catalogue):
    page.set_viewport_size(VIEWPORTS["phone"])
    overflowing = {}
    for name, path in A11Y_PAGES.items():
        page.goto(f"{live_server}{path}")
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if widths[0] > widths[1]:
            overflowing[name] = f"{path}: {widths[0]}px wide in a {widths[1]}px viewport"
    assert not overflowing, f"pages scroll sideways on a phone: {overflowing}"


# ---------------------------------------------------------------- without JavaScript

def test_catalogue_works_without_javascript(new_context, app, live_server, catalogue,
                                            monkeypatch, artifacts_dir):
    monkeypatch.setitem(app.config, "PRODUCTS_PER_PAGE", 2)  # 9 products -> 5 pages
    context = new_context(java_script_enabled=False, viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    shots = _shot_dir(artifacts_dir)

    page.goto(f"{live_server}/products")
    expect(page.locator("#result-count")).to_have_text("9 produk ditemukan")
    pager = page.get_by_role("navigation", name="Halaman")
    expect(pager).to_contain_text("Halaman 1 dari 5")
    expect(pager.locator("a[rel=prev]")).to_have_count(0)

    # Paging links carry the page number.
    pager.get_by_role("link", name="Berikutnya").click()
    expect(page).to_have_url(f"{live_server}/products?page=2")
    expect(pager).to_contain_text("Halaman 2 dari 5")
    pager.get_by_role("link", name="Sebelumnya").click()
    expect(page).to_have_url(f"{live_server}/products")
    expect(pager).to_contain_text("Halaman 1 dari 5")

    # The filter form submits as a plain GET: category, in stock only, cheapest first.
    filters = open_filters(page)
    filters.get_by_label("Kategori").select_option(value="makanan-minuman")
    filters.get_by_label("Hanya yang tersedia").check()
    filters.get_by_label("Urutkan").select_option(value="price_asc")
    filters.get_by_role("button", name="Terapkan").click()
    expect(page).to_have_url(re.compile(r"category=makanan-minuman"))
    expect(page).to_have_url(re.compile(r"in_stock=1"))
    expect(page).to_have_url(re.compile(r"sort=price_asc"))
    # Food in stock: keripik 25k, dabu-dabu 30k, manisan 30k, sambal roa 45k, sirup 55k
    # (sambal roa pedas is sold out).
    expect(page.locator("#result-count")).to_have_text("5 produk ditemukan")
    expect(page.locator(".results .card-title")).to_have_text(
        ["Keripik Pisang Mulut Bebek", "Sambal Dabu-Dabu Jambula"])
    expect(filters.get_by_label("Hanya yang tersedia")).to_be_checked()
    page.screenshot(path=os.path.join(shots, "nojs-filtered.png"), full_page=True)

    # The next page keeps every filter.
    pager.get_by_role("link", name="Berikutnya").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page).to_have_url(re.compile(r"category=makanan-minuman"))
    expect(page).to_have_url(re.compile(r"in_stock=1"))
    expect(page).to_have_url(re.compile(r"sort=price_asc"))
    expect(pager).to_contain_text("Halaman 2 dari 3")
    expect(page.locator(".results .card-title")).to_have_text(
        ["Manisan Pala Kering", "Sambal Roa Original"])
    expect(filters.get_by_label("Urutkan")).to_have_value("price_asc")

    # Clearing the filters is a plain link too.
    page.get_by_role("link", name="Hapus semua saringan").click()
    expect(page).to_have_url(f"{live_server}/products")
    expect(page.locator("#result-count")).to_have_text("9 produk ditemukan")

    # The header search submits without JavaScript as well.
    page.get_by_role("search").get_by_role("searchbox").fill("pala")
    page.get_by_role("search").get_by_role("button", name="Cari").click()
    expect(page).to_have_url(f"{live_server}/products?q=pala")
    expect(page.locator("#result-count")).to_have_text("2 produk ditemukan")
