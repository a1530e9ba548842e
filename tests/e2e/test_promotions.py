"""A partner promotion from draft to dashboard in a real browser (Chromium through Playwright),
against the live test server and a real localstripe (the offline Stripe).

Pemkot Ternate's partner user signs in, lands on /partner/, creates "Diskon Hari Bakti
Pemasyarakatan 20%" (20 % off food, the category "Makanan & Minuman" with its sub-category
"Sambal", by the shared code HARIBAKTI, paid by the partner) and submits it; a Kanwil admin
approves it in /admin/promotions/. A guest with a two-facility cart (sambal from the women's
prison in Ternate, a pandan mat from Sanana) types the code in lower case: the discount shows on
the Ternate group only and takes exactly 20 % of the food line off the total; the guest picks
both parcels up, pays with localstripe's success card, and the partner's dashboard then shows
the one use and the discount given, all of it on the Ternate parcel. A second guest (another
email) does the same on a desktop: the dashboard adds up to two uses, two customers.

The form cannot combine a facility and a category, so "LPP Ternate's food" is the food category:
in this shop only LPP Ternate sells food, and the Sanana product is a craft.

The partner and admin work at desktop size; the customers at phone then desktop size, in one
test so the partner and admin part runs once (the suite stays fast). axe-core scans the partner
list, the promotion form, the dashboard, the admin approval pages and the cart with the code.
Screenshots go to test-artifacts/promotions/. The checkout review's missing discount is a known
bug, now fixed and kept as a check at the end.

The database is emptied after every test (conftest), so every test seeds its own shop.
"""

import os
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.conftest import wait_for_images
from tests.e2e.browser import AXE_JS, AXE_RUN, BLOCKING_IMPACTS, VIEWPORTS, pick_region, sign_in

pytestmark = pytest.mark.e2e

DESKTOP = VIEWPORTS["desktop"]

PASSWORD = "Hari-Bakti-2025!"
PARTNER_EMAIL = "mitra.pemkot@example.org"  # email-validator refuses .test
ADMIN_EMAIL = "kanwil@example.org"
PARTNER_NAME = "Pemerintah Kota Ternate"

PROMO_NAME = "Diskon Hari Bakti Pemasyarakatan 20%"
CODE = "HARIBAKTI"
PERCENT = 20

# One guest buys on a phone, another (another email: another customer) on a desktop.
CUSTOMERS = {
    "phone": {"Nama lengkap": "Budi Santoso", "Surel": "budi@example.com",
              "Nomor HP": "0812 3456 7890"},
    "desktop": {"Nama lengkap": "Sari Umasugi", "Surel": "sari@example.com",
                "Nomor HP": "0813 4000 1122"},
}
ADDRESS = {"Jalan, nomor rumah": "Jl. Pahlawan Revolusi No. 12", "RT/RW": "003/005",
           "Kode pos": "97712"}
PROVINCE = "Maluku Utara"

# The cart: 2 jars of sambal from LPP Ternate (food, in the promotion) and 1 pandan mat from
# Sanana (craft, not in it). 20 % of the food line: 18.000, all on the Ternate group.
PRICE_FOOD, QTY_FOOD = 45_000, 2
PRICE_CRAFT, QTY_CRAFT = 65_000, 1
FOOD_LINE = PRICE_FOOD * QTY_FOOD                      # 90.000
CRAFT_LINE = PRICE_CRAFT * QTY_CRAFT                   # 65.000
DISCOUNT = FOOD_LINE * PERCENT // 100                  # 18.000
assert DISCOUNT * 100 == FOOD_LINE * PERCENT           # a whole rupiah amount: no rounding
SUBTOTAL = FOOD_LINE + CRAFT_LINE                      # 155.000
TOTAL = SUBTOTAL - DISCOUNT                            # 137.000 (both picked up: no shipping)


def rupiah(amount):
    return "Rp" + f"{amount:,}".replace(",", ".")


@pytest.fixture
def promo_shop(gen_facility, gen_category, gen_product, gen_rates):
    """LPP Ternate with a sambal (Makanan & Minuman > Sambal), Lapas Sanana with a pandan mat
    (Kerajinan), both with rates; Pemkot Ternate with one partner user; a Kanwil admin."""
    from shop.accounts.provisioning import create_admin, create_partner_user
    from shop.extensions import db
    from shop.promotions.partners import PartnerOrganization

    hours = "Senin–Jumat 08.00–15.00 WIT"
    lpp = gen_rates(gen_facility(
        slug="lpp-ternate", name="Lapas Perempuan Kelas III Ternate", kind="lpp",
        facility_class="III", town="Ternate", regency="Kota Ternate",
        address="Jl. Jati, Kota Ternate 97716", phone="+62921000102",
        email="lpp.ternate@etalasebinaan.test", opening_hours=hours))
    sanana = gen_rates(gen_facility(
        slug="lapas-sanana", name="Lapas Kelas IIB Sanana", kind="lapas", facility_class="IIB",
        town="Sanana", regency="Kabupaten Kepulauan Sula",
        address="Jl. Pelabuhan, Kel. Fagudu, Sanana, Kepulauan Sula 97795",
        phone="+62929000103", email="lapas.sanana@etalasebinaan.test", opening_hours=hours))
    food = gen_category("Makanan & Minuman", slug="makanan-minuman")
    sambal_category = gen_category("Sambal", slug="sambal", parent=food)
    craft = gen_category("Kerajinan", slug="kerajinan")
    sambal = gen_product(facility=lpp, category=sambal_category, slug="sambal-roa-lpp",
                          name="Sambal Roa LPP Ternate", price=PRICE_FOOD, unit="jar",
                          stock=20, weight_grams=300, image=True)
    mat = gen_product(facility=sanana, category=craft, slug="tikar-pandan-sanana",
                       name="Tikar Pandan Sanana", price=PRICE_CRAFT, unit="piece", stock=5,
                       weight_grams=900, image=True)

    org = PartnerOrganization(slug="pemkot-ternate", name=PARTNER_NAME, kind="government",
                              contact_name="Bagian Perekonomian",
                              contact_email="ekonomi@ternatekota.example.org")
    db.session.add(org)
    db.session.flush()
    partner = create_partner_user(PARTNER_EMAIL, "Mitra Pemkot Ternate", password=PASSWORD)
    partner.partner_id = org.id
    db.session.commit()
    admin = create_admin(ADMIN_EMAIL, PASSWORD, "Admin Kanwil")
    return SimpleNamespace(lpp=lpp, sanana=sanana, sambal=sambal, mat=mat, food=food,
                           partner=partner, admin=admin)


# ---------------------------------------------------------------- helpers

class Shots:
    def __init__(self, artifacts_dir):
        self.dir = os.path.join(artifacts_dir, "promotions")
        os.makedirs(self.dir, exist_ok=True)
        self.step = 0

    def __call__(self, page, name):
        self.step += 1
        # Lazy images load once scrolled to; then none may be broken.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        wait_for_images(page)
        page.evaluate("window.scrollTo(0, 0)")
        broken = page.evaluate(
            "Array.from(document.images).filter(i => !i.naturalWidth).map(i => i.src)")
        assert not broken, f"broken images on {page.url}: {broken}"
        page.screenshot(path=os.path.join(self.dir, f"{self.step:02d}-{name}.png"),
                        full_page=True)


def _sideways(page):
    """A report line if the page scrolls sideways (wider than the viewport), else []."""
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return [f"{page.url} scrolls sideways: {widths}"] if widths[0] > widths[1] else []


def _axe(page, url, where, viewport):
    """Open `url` in an axe page (a CSP-bypassing context sharing the person's session) and
    return its serious/critical violations as report lines."""
    page.goto(url)
    page.add_script_tag(path=AXE_JS)
    violations = page.evaluate(AXE_RUN)
    return [
        f"- {where} ({viewport}) {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]\n    "
        + "\n    ".join(v["targets"])
        for v in violations if v["impact"] in BLOCKING_IMPACTS
    ]


def _auditor(new_context, context, viewport):
    """A CSP-bypassing context (for the injected axe script only) with `context`'s session."""
    return new_context(bypass_csp=True, viewport=viewport,
                       storage_state=context.storage_state()).new_page()


def _sign_in(page, live_server, email, lands_on):
    sign_in(page, live_server, email, PASSWORD, lands_on=lands_on)
    expect(page.locator(".flash-success")).to_contain_text("Anda sudah masuk.")


def _wit_input(moment):
    """A datetime-local value in WIT (what the partner's form reads)."""
    from shop.core.time import WIT

    return moment.astimezone(WIT).strftime("%Y-%m-%dT%H:%M")


def _wit_today():
    from shop.core.time import WIT

    return datetime.now(WIT)


def _stat(page, label):
    return page.locator(".summary-cards .stat").filter(
        has=page.locator(".stat-label", has_text=re.compile(rf"^{re.escape(label)}$")))


def _group(page, facility):
    return page.locator("section.cart-group").filter(
        has=page.locator("h2", has_text=facility.name))


def _parcel_card(page, facility):
    return page.locator(".parcel-card").filter(has=page.locator("h3", has_text=facility.name))


def _add_to_cart(page, live_server, product, quantity):
    page.goto(f"{live_server}/products/{product.slug}")
    page.get_by_label(re.compile(r"^Jumlah")).fill(str(quantity))
    page.get_by_role("button", name="Tambah ke keranjang").click()
    expect(page.locator(".toast[role=status]")).to_contain_text(
        f"{product.name} ditambahkan ke keranjang")


# ---------------------------------------------------------------- the customer's part

def _fill_cart_and_apply_code(page, live_server, shop):
    _add_to_cart(page, live_server, shop.sambal, QTY_FOOD)
    _add_to_cart(page, live_server, shop.mat, QTY_CRAFT)
    page.goto(f"{live_server}/cart")
    expect(page.locator("section.cart-group")).to_have_count(2)
    expect(page.locator(".cart-summary .price")).to_have_text(rupiah(SUBTOTAL))
    expect(page.locator(".group-subtotal.discount")).to_have_count(0)
    page.get_by_label("Punya kode promo?").fill(CODE.lower())  # codes ignore case
    page.get_by_role("button", name="Pakai").click()
    expect(page).to_have_url(f"{live_server}/cart")


def _to_review(page, live_server, shop, contact):
    page.get_by_role("link", name="Lanjut ke checkout").click()
    expect(page).to_have_url(f"{live_server}/checkout")
    form = page.locator("form.checkout")
    for label, value in {**contact, **ADDRESS}.items():
        form.get_by_label(re.compile(rf"^{re.escape(label)}")).fill(value)
    pick_region(form)
    for facility in (shop.lpp, shop.sanana):  # both picked up: no shipping
        form.locator("fieldset.parcel").filter(
            has=page.locator("legend", has_text=facility.name)
        ).get_by_label("Ambil di tempat (gratis)").check()
    page.get_by_role("button", name="Lihat ringkasan & ongkos kirim").click()
    review = page.locator("section.review")
    expect(review.get_by_role("heading", name="Ringkasan pesanan")).to_be_visible()
    return review


def _buy_with_the_code(new_context, live_server, shop, snap, viewport):
    """A guest at `viewport` applies the code to a two-facility cart, picks both parcels up and
    pays; returns (axe problems, layout problems)."""
    problems, layout = [], []
    customer = new_context(viewport=VIEWPORTS[viewport])
    page = customer.new_page()
    _fill_cart_and_apply_code(page, live_server, shop)

    # The discount sits on the Ternate group only: 20 % of the food line, nothing on Sanana's.
    expect(page.locator(".flash-error")).to_have_count(0)
    box = page.locator("section.promo-box")
    expect(box.locator("code")).to_have_text(CODE)
    expect(box.locator(".promo-applied")).to_have_count(1)
    expect(box.locator(".promo-applied")).to_contain_text(f"{PROMO_NAME}: -{rupiah(DISCOUNT)}")
    lpp_group, sanana_group = _group(page, shop.lpp), _group(page, shop.sanana)
    expect(lpp_group.locator(".group-subtotal")).to_have_text(
        [f"Subtotal: {rupiah(FOOD_LINE)}", f"Diskon promo: -{rupiah(DISCOUNT)}"])
    expect(sanana_group.locator(".group-subtotal")).to_have_text(
        [f"Subtotal: {rupiah(CRAFT_LINE)}"])
    expect(sanana_group).not_to_contain_text("Diskon")
    expect(page.locator(".cart-summary .price")).to_have_text(rupiah(TOTAL))
    expect(page.locator(".cart-summary")).to_contain_text(
        f"Sudah termasuk diskon {rupiah(DISCOUNT)}.")
    layout += _sideways(page)
    snap(page, f"{viewport}-cart-with-code")
    audit = _auditor(new_context, customer, VIEWPORTS[viewport])
    problems += _axe(audit, f"{live_server}/cart", "/cart (code applied)", viewport)
    audit.context.close()

    _to_review(page, live_server, shop, CUSTOMERS[viewport])
    layout += _sideways(page)
    snap(page, f"{viewport}-review")
    # (The review's total leaves the discount out: test_review_shows_the_promo_discount.)

    page.get_by_role("button", name="Buat pesanan & bayar").click()
    expect(page).to_have_url(re.compile(r"/orders/EB-[0-9A-Z]+/pay$"))
    number = re.search(r"/orders/([^/]+)/pay", page.url).group(1)
    expect(page.locator(".pay-box .price")).to_have_text(rupiah(TOTAL))
    expect(_parcel_card(page, shop.lpp).locator("dl.compact")).to_contain_text(
        f"Diskon-{rupiah(DISCOUNT)}")
    expect(_parcel_card(page, shop.sanana).locator("dl.compact")).not_to_contain_text("Diskon")
    layout += _sideways(page)
    snap(page, f"{viewport}-pay")

    page.get_by_label(re.compile(r"^Visa 4242")).check()
    page.get_by_role("button", name=f"Bayar {rupiah(TOTAL)}").click()
    expect(page).to_have_url(f"{live_server}/orders/{number}")
    expect(page.locator("main .status").first).to_have_text("Dibayar")
    lpp_card, sanana_card = _parcel_card(page, shop.lpp), _parcel_card(page, shop.sanana)
    expect(lpp_card.locator("dl.compact")).to_have_text(re.compile(
        rf"Subtotal{rupiah(FOOD_LINE)}\s*OngkirRp0\s*Diskon-{rupiah(DISCOUNT)}\s*"
        rf"Jumlah{rupiah(FOOD_LINE - DISCOUNT)}"))
    expect(sanana_card.locator("dl.compact")).to_have_text(re.compile(
        rf"Subtotal{rupiah(CRAFT_LINE)}\s*OngkirRp0\s*Jumlah{rupiah(CRAFT_LINE)}"))
    expect(page.locator(".order-total")).to_contain_text(rupiah(TOTAL))
    layout += _sideways(page)
    snap(page, f"{viewport}-paid")
    customer.close()
    return problems, layout


def _check_dashboard(page, shop, orders):
    """The partner's figures after `orders` paid orders, each 18.000 off the Ternate parcel."""
    expect(page.locator("main h1 + p .status")).to_have_text("Berjalan")
    expect(_stat(page, "Dipakai").locator("strong")).to_have_text(str(orders))
    expect(_stat(page, "Pembeli").locator("strong")).to_have_text(str(orders))
    expect(_stat(page, "Potongan diberikan").locator("strong")).to_have_text(
        rupiah(orders * DISCOUNT))
    expect(_stat(page, "Penjualan yang terbantu").locator("strong")).to_have_text(
        rupiah(orders * FOOD_LINE))  # the Ternate parcels only: Sanana's got nothing off
    rows = page.locator("table.promo-facilities tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("th")).to_have_text(shop.lpp.name)
    expect(rows.locator("td")).to_have_text(
        [str(orders), rupiah(orders * FOOD_LINE), rupiah(orders * DISCOUNT)])
    days = page.locator("table.promo-days tbody tr")
    expect(days).to_have_count(1)
    expect(days.locator("th")).to_have_text(_wit_today().strftime("%d-%m-%Y"))
    expect(days.locator("td")).to_have_text([str(orders), rupiah(orders * DISCOUNT)])
    expect(page.locator("figure.chart svg")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        f"Yang harus dibayar sampai saat ini: {rupiah(orders * DISCOUNT)}.")


# ---------------------------------------------------------------- the journey

def test_partner_code_approved_then_used_on_one_facility_group(
        new_context, live_server, promo_shop, localstripe, artifacts_dir):
    shop = promo_shop
    snap = Shots(artifacts_dir)
    problems, layout = [], []

    # ------------------------------------------------ the partner creates and submits a draft
    partner = new_context(viewport=DESKTOP)
    ppage = partner.new_page()
    _sign_in(ppage, live_server, PARTNER_EMAIL, "/partner/")
    expect(ppage.get_by_role("heading", level=1)).to_have_text(f"Promo {PARTNER_NAME}")
    expect(ppage.get_by_role("navigation", name="Menu mitra")).to_contain_text(PARTNER_NAME)
    expect(ppage.locator(".empty")).to_contain_text("Belum ada promo.")
    snap(ppage, "partner-empty")
    paudit = _auditor(new_context, partner, DESKTOP)

    ppage.locator("main a.button").filter(has_text="Buat promo").click()
    expect(ppage).to_have_url(f"{live_server}/partner/promotions/new")
    expect(ppage.get_by_role("heading", level=1)).to_have_text("Buat promo")
    problems += _axe(paudit, f"{live_server}/partner/promotions/new", "/partner/promotions/new",
                     "desktop")

    form = ppage.locator("form.form-card")
    now = datetime.now(UTC)
    form.get_by_label("Nama promo").fill(PROMO_NAME)
    form.get_by_label("Deskripsi untuk pembeli").fill(
        "Potongan 20% untuk makanan buatan warga binaan Lapas Perempuan Ternate, dalam rangka "
        "Hari Bakti Pemasyarakatan.")
    form.get_by_label("Mulai (WIT)").fill(_wit_input(now - timedelta(hours=1)))
    form.get_by_label("Selesai (WIT)").fill(_wit_input(now + timedelta(days=30)))
    form.get_by_label("Diskon persen", exact=True).check()
    form.get_by_label("Besar diskon (%)").fill(str(PERCENT))
    form.get_by_label("Kategori yang dipilih").check()
    categories = form.get_by_label("Kategori", exact=True)
    expect(categories.locator("option")).to_have_text(
        ["Kerajinan", "Makanan & Minuman", re.compile(r"— Sambal$")])
    categories.select_option(label="Makanan & Minuman")  # the parent covers "Sambal"
    form.get_by_label(re.compile(r"^Mitra menanggung potongan")).check()
    form.get_by_label("Dengan kode promo").check()
    form.get_by_label("Satu kode bersama yang saya tentukan").check()
    form.get_by_label("Kode bersama", exact=True).fill(CODE)
    snap(ppage, "partner-form-filled")
    form.get_by_role("button", name="Simpan draf").click()

    expect(ppage).to_have_url(re.compile(rf"{re.escape(live_server)}/partner/promotions/\d+$"))
    dashboard_url = ppage.url
    expect(ppage.locator(".flash-success")).to_contain_text(f"Draf promo {PROMO_NAME} disimpan.")
    expect(ppage.get_by_role("heading", level=1)).to_have_text(PROMO_NAME)
    expect(ppage.locator("main h1 + p .status")).to_have_text("Draf")
    terms = ppage.locator("section[aria-labelledby=terms-title] dl.facts")
    expect(terms).to_contain_text("Diskon 20%")
    expect(terms).to_contain_text("Kategori tertentu: Makanan & Minuman")
    expect(terms).to_contain_text("Ditanggung mitra")
    expect(terms.locator(".promo-code")).to_have_text(CODE)

    ppage.get_by_role("button", name="Ajukan untuk disetujui").click()
    expect(ppage).to_have_url(dashboard_url)
    expect(ppage.locator(".flash-success")).to_contain_text("Promo diajukan.")
    expect(ppage.locator("main h1 + p .status")).to_have_text("Menunggu persetujuan")
    expect(ppage.get_by_role("button", name="Ajukan untuk disetujui")).to_have_count(0)
    snap(ppage, "partner-submitted")

    # ------------------------------------------------ the Kanwil admin approves it
    admin = new_context(viewport=DESKTOP)
    apage = admin.new_page()
    _sign_in(apage, live_server, ADMIN_EMAIL, "/admin/")
    apage.get_by_role("navigation", name="Menu Kanwil").get_by_role(
        "link", name="Promo", exact=True).click()
    expect(apage).to_have_url(f"{live_server}/admin/promotions/")
    pending = apage.locator("section[aria-labelledby=pending-title]")
    expect(pending.get_by_role("heading", level=2)).to_contain_text("(1)")
    expect(pending.locator(".order-row")).to_have_count(1)
    expect(pending.locator(".order-row")).to_contain_text(PARTNER_NAME)
    expect(pending.locator(".order-row")).to_contain_text("Diskon 20%")
    snap(apage, "admin-pending")
    aaudit = _auditor(new_context, admin, DESKTOP)
    problems += _axe(aaudit, f"{live_server}/admin/promotions/", "/admin/promotions/ (pending)",
                     "desktop")

    pending.get_by_role("link", name=f"Periksa dan putuskan {PROMO_NAME}").click()
    expect(apage).to_have_url(re.compile(r"/admin/promotions/\d+$"))
    detail_url = apage.url
    expect(apage.get_by_role("heading", level=1)).to_have_text(PROMO_NAME)
    expect(apage.locator("main dl.facts")).to_contain_text("Kategori tertentu: Makanan & Minuman")
    expect(apage.locator("main dl.facts .promo-code")).to_have_text(CODE)
    snap(apage, "admin-decide")
    problems += _axe(aaudit, detail_url, "/admin/promotions/<id> (pending)", "desktop")

    apage.get_by_role("button", name="Setujui").click()
    expect(apage).to_have_url(f"{live_server}/admin/promotions/")
    expect(apage.locator(".flash-success")).to_contain_text(f"Promo {PROMO_NAME} disetujui.")
    expect(pending.locator(".order-row")).to_have_count(0)
    decided = apage.locator("section[aria-labelledby=others-title] .order-row")
    expect(decided).to_have_count(1)
    expect(decided.locator(".status")).to_have_text("Berjalan")
    snap(apage, "admin-approved")
    problems += _axe(aaudit, f"{live_server}/admin/promotions/", "/admin/promotions/ (approved)",
                     "desktop")
    aaudit.context.close()
    admin.close()

    # ------------------------------------------------ a guest on a phone; the partner sees it
    found, wide = _buy_with_the_code(new_context, live_server, shop, snap, "phone")
    problems += found
    layout += wide
    ppage.goto(dashboard_url)
    _check_dashboard(ppage, shop, orders=1)
    snap(ppage, "partner-dashboard-1-use")

    # ------------------------------------------------ another guest on a desktop
    found, wide = _buy_with_the_code(new_context, live_server, shop, snap, "desktop")
    problems += found
    layout += wide
    ppage.reload()
    _check_dashboard(ppage, shop, orders=2)
    layout += _sideways(ppage)
    snap(ppage, "partner-dashboard-2-uses")
    problems += _axe(paudit, dashboard_url, "/partner/promotions/<id> (used)", "desktop")

    ppage.get_by_role("link", name="← Semua promo").click()
    expect(ppage).to_have_url(f"{live_server}/partner/")
    row = ppage.locator(".promo-list .order-row")
    expect(row).to_have_count(1)
    expect(row.locator(".status")).to_have_text("Berjalan")
    expect(row.locator("dl")).to_contain_text("Dipakai2")
    expect(row.locator("dl")).to_contain_text(f"Potongan diberikan{rupiah(2 * DISCOUNT)}")
    snap(ppage, "partner-list")
    problems += _axe(paudit, f"{live_server}/partner/", "/partner/ (one promotion)", "desktop")
    paudit.context.close()
    partner.close()

    assert not layout, "pages scroll sideways:\n" + "\n".join(layout)
    assert not problems, "axe found serious/critical problems:\n" + "\n".join(problems)


# ---------------------------------------------------------------- known bugs, kept as checks
# Each of these fails today and is reported with its fix. strict=True turns the fix into a red
# XPASS, so whoever fixes the bug also removes the marker.

@pytest.fixture
def approved_code(promo_shop):
    """The same promotion, made and approved through the services (no browser)."""
    from shop.promotions import approval, drafts

    now = datetime.now(UTC).replace(tzinfo=None)
    data = drafts.PromotionData(
        name=PROMO_NAME, description="", starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=30), benefit="percent", value=PERCENT, scope="categories",
        targets=(("category", promo_shop.food.id),), funding="partner", redemption="code",
        shared_code=CODE)
    promotion = drafts.create_promotion(promo_shop.partner.partner_id, promo_shop.partner, data)
    approval.submit_promotion(promotion, promo_shop.partner)
    approval.approve_promotion(promotion, promo_shop.admin)
    return promo_shop


def test_review_shows_the_promo_discount(page, live_server, approved_code):
    shop = approved_code
    page.set_viewport_size(VIEWPORTS["phone"])
    _fill_cart_and_apply_code(page, live_server, shop)
    expect(page.locator(".cart-summary .price")).to_have_text(rupiah(TOTAL))
    review = _to_review(page, live_server, shop, CUSTOMERS["phone"])
    expect(review).to_contain_text(f"-{rupiah(DISCOUNT)}", timeout=1000)
    expect(review.locator("tfoot tr.grand-total td")).to_have_text(rupiah(TOTAL), timeout=1000)
    # Subtotal, shipping, each discount (named) and the total: own rows that add up.
    rows = review.locator("tfoot tr").evaluate_all(
        "rows => rows.map(r => [r.querySelector('th').innerText, r.querySelector('td').innerText])")
    amount = lambda text: int(text.replace("Rp", "").replace(".", "").replace("-", ""))  # noqa: E731
    assert rows[0][0] == "Subtotal" and rows[1][0] == "Ongkir", rows
    assert rows[2] == [f"Promo: {PROMO_NAME}", f"-{rupiah(DISCOUNT)}"], rows
    assert amount(rows[0][1]) + amount(rows[1][1]) - amount(rows[2][1]) == amount(rows[3][1])
    assert amount(rows[3][1]) == TOTAL


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_buyers_see_the_promotion_on_home_and_product(new_context, live_server, approved_code,
                                                       viewport):
    """The home strip links the promotion page; the product in scope shows its code tag, the
    one out of scope does not; axe finds nothing and nothing scrolls sideways."""
    shop = approved_code
    page = new_context(bypass_csp=True, viewport=VIEWPORTS[viewport]).new_page()
    problems = []
    page.goto(f"{live_server}/")
    strip = page.locator("section.promo-strip")
    expect(strip.get_by_role("link")).to_contain_text(PROMO_NAME)
    expect(strip.get_by_role("link")).to_contain_text(f"kode {CODE} −{PERCENT}%")
    problems += _sideways(page)
    problems += _axe(page, f"{live_server}/", "/ (promotion strip)", viewport)
    url = f"{live_server}/products/{shop.sambal.slug}"
    problems += _axe(page, url, "/products/<in promotion>", viewport)
    expect(page.locator(".info .promo-tag")).to_have_text(f"kode {CODE} −{PERCENT}%")
    problems += _sideways(page)
    page.locator(".info .promo-tag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROMO_NAME)
    page.goto(f"{live_server}/products/{shop.mat.slug}")
    expect(page.locator(".promo-tag")).to_have_count(0)
    assert not problems, "\n".join(problems)
