"""The shop's own pages, the product page's WhatsApp and share links, and the checkout's
address picker, in a real browser: with and without JavaScript, axe-core at phone and desktop
sizes (no violation at all), screenshots in test-artifacts/shop-pages/."""

import os

import pytest
from playwright.sync_api import expect

from tests.conftest import wait_for_images
from tests.e2e.browser import AXE_JS, AXE_RUN, VIEWPORTS, pick_region
from tests.factories import CONTACT

pytestmark = pytest.mark.e2e


@pytest.fixture
def shop(gen_facility, gen_category, gen_product, gen_rates):
    unit = gen_rates(gen_facility(
        slug="lapas-tobelo", name="Lapas Kelas IIB Tobelo", town="Gorua",
        regency="Kabupaten Halmahera Utara", regency_code="82.03",
        address="Jl. Raya Gorua No. 1, Kec. Tobelo Utara, Halmahera Utara 97762",
        opening_hours="Senin–Jumat 08.00–15.00 WIT, Sabtu 08.00–12.00 WIT",
        whatsapp="+6281200000107", latitude=1.742, longitude=127.989))
    food = gen_category("Makanan & Minuman", slug="makanan-minuman")
    product = gen_product(facility=unit, category=food, slug="sambal-roa", name="Sambal Roa",
                          price=45_000, unit="jar", stock=20, weight_grams=250, image=True)
    return unit, product


def _violations(page):
    page.add_script_tag(path=AXE_JS)
    return [f"{v['id']} ({v['impact']}): {v['help']} {v['targets']}"
            for v in page.evaluate(AXE_RUN)]


def _shot(page, artifacts_dir, name):
    folder = os.path.join(artifacts_dir, "shop-pages")
    os.makedirs(folder, exist_ok=True)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    wait_for_images(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


PAGES = ("/tentang", "/syarat-penjualan", "/kebijakan-privasi", "/pengembalian", "/kontak",
         "/faq", "/products/sambal-roa")


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_pages_have_no_axe_violations_and_no_sideways_scroll(new_context, live_server, shop,
                                                              viewport, artifacts_dir):
    page = new_context(bypass_csp=True, viewport=VIEWPORTS[viewport]).new_page()
    problems = []
    for path in PAGES:
        page.goto(live_server + path)
        problems += [f"{path}: {v}" for v in _violations(page)]
        widths = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert widths[0] <= widths[1], f"{path} scrolls sideways at {viewport}"
        _shot(page, artifacts_dir, f"{viewport}{path.replace('/', '-')}")
    assert not problems, "\n".join(problems)


def test_footer_leads_to_every_page(page, live_server, shop):
    page.goto(live_server + "/")
    footer = page.locator("footer")
    for name, heading in (("Tentang kami", "Tentang Etalase Binaan"),
                          ("Kontak", "Kontak"), ("Tanya jawab (FAQ)",
                                                 "Pertanyaan yang sering diajukan")):
        footer.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        if name == "Kontak":
            expect_contact_whatsapp(page)


def expect_contact_whatsapp(page):
    link = page.get_by_role("link", name="Tanya via WhatsApp (Lapas Kelas IIB Tobelo)")
    expect(link).to_have_attribute(
        "href", "https://wa.me/6281200000107?text=Halo%20Lapas%20Kelas%20IIB%20Tobelo%2C%20saya%20"
        "ingin%20bertanya%20tentang%20produk%20di%20Etalase%20Binaan.")


def _to_checkout(page, live_server):
    page.goto(live_server + "/products/sambal-roa")
    page.get_by_role("button", name="Tambah ke keranjang").click()
    # with JavaScript a status message (added by fetch), without it the page's flash
    expect(page.locator(".toast[role=status]:not(:empty), .flash-success")).to_contain_text(
        "ditambahkan")
    page.goto(live_server + "/checkout")
    return page.locator("form.checkout")


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_region_picker_with_javascript(new_context, live_server, shop, viewport, artifacts_dir):
    page = new_context(bypass_csp=True, viewport=VIEWPORTS[viewport]).new_page()
    form = _to_checkout(page, live_server)
    expect(form.get_by_role("button", name="Lanjut pilih provinsi")).to_be_hidden()
    expect(form.get_by_label("Kabupaten/kota", exact=True)).to_be_hidden()
    for label, value in CONTACT.items():
        form.get_by_label({"name": "Nama lengkap", "email": "Surel", "phone": "Nomor HP"}[label],
                          exact=True).fill(value)
    form.get_by_label("Jalan, nomor rumah").fill("Jl. Pahlawan Revolusi No. 12")
    pick_region(form, regency="Kabupaten Halmahera Utara", district="Tobelo Utara",
                village="Gorua")
    expect(form.get_by_label("Kode pos")).to_have_value("97767")  # Gorua, official
    assert not _violations(page)
    _shot(page, artifacts_dir, f"{viewport}-checkout-picker-js")
    form.locator("fieldset.parcel").get_by_label("Kirim dengan kurir").check()
    page.get_by_role("button", name="Lihat ringkasan & ongkos kirim").click()
    review = page.locator(".review")
    expect(review).to_contain_text("Dalam kota")  # the zone from regency code 82.03
    expect(review).to_contain_text("Rp10.000")


def test_region_picker_without_javascript(browser, live_server, shop, artifacts_dir):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page = context.new_page()
    form = _to_checkout(page, live_server)
    form.get_by_label("Provinsi", exact=True).select_option(label="Maluku Utara")
    form.get_by_role("button", name="Lanjut pilih provinsi").click()
    form.get_by_label("Kabupaten/kota", exact=True).select_option(label="Kota Ternate")
    form.get_by_role("button", name="Lanjut pilih kabupaten/kota").click()
    form.get_by_label("Kecamatan", exact=True).select_option(label="Kota Ternate Tengah")
    form.get_by_role("button", name="Lanjut pilih kecamatan").click()
    form.get_by_label("Kelurahan/desa", exact=True).select_option(label="Kalumpang")
    for label, value in (("Nama lengkap", "Budi"), ("Surel", "budi@example.com"),
                         ("Nomor HP", "0812 3456 7890"), ("Jalan, nomor rumah", "Jl. Merdeka 1"),
                         ("Kode pos", "97722")):
        form.get_by_label(label, exact=True).fill(value)
    form.locator("fieldset.parcel").get_by_label("Kirim dengan kurir").check()
    _shot(page, artifacts_dir, "phone-checkout-picker-nojs")
    page.get_by_role("button", name="Lihat ringkasan & ongkos kirim").click()
    expect(page.locator(".review")).to_contain_text("Maluku Utara")  # north_maluku zone
    expect(page.locator(".review")).to_contain_text("Rp25.000")
    context.close()
