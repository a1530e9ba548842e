"""Paying the Indonesian way in a real browser (Chromium through Playwright), at phone and
desktop sizes, with axe-core on every page of the way:

- QRIS through Midtrans: the checkout review offers the methods, the pay page links to the
  (fake) Midtrans hosted page, the customer picks QRIS and pays there, fake-midtrans sends the
  signed notification to the live shop and the browser comes back to the paid order.
- A bank transfer: the exact amount with its copy button, the proof uploaded.

Screenshots of the pay pages go to test-artifacts/payments/.
"""

import io
import os
import re
from types import SimpleNamespace

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import wait_for_images
from tests.e2e.browser import AXE_JS, AXE_RUN, VIEWPORTS, pick_region

pytestmark = pytest.mark.e2e

CONTACT = {"Nama lengkap": "Budi Santoso", "Surel": "budi@example.com",
           "Nomor HP": "0812 3456 7890"}
ADDRESS = {"Jalan, nomor rumah": "Jl. Pahlawan Revolusi No. 12", "RT/RW": "003/005",
           "Kode pos": "97712"}
PRICE, QTY = 45_000, 2
TOTAL = PRICE * QTY  # picked up: no shipping


def rupiah(amount):
    return "Rp" + f"{amount:,}".replace(",", ".")


@pytest.fixture
def shop(gen_facility, gen_category, gen_product, gen_rates):
    lapas = gen_rates(gen_facility(
        slug="lapas-ternate", name="Lapas Kelas IIA Ternate", kind="lapas",
        facility_class="IIA", town="Jambula", regency="Kota Ternate",
        address="Jl. Raya Jambula, Kota Ternate 97751", email="lapas.ternate@x.test",
        opening_hours="Senin–Jumat 08.00–15.00 WIT"))
    food = gen_category("Makanan & Minuman", slug="makanan-minuman")
    sambal = gen_product(facility=lapas, category=food, slug="sambal-roa", name="Sambal Roa",
                          price=PRICE, unit="jar", stock=20, weight_grams=600)
    return SimpleNamespace(lapas=lapas, sambal=sambal)


@pytest.fixture
def live_midtrans(app, fake_midtrans_server, live_server):
    """fake-midtrans, with the shop's finish and notification URLs on the live server."""
    before = {k: app.config[k] for k in ("SHOP_BASE_URL", "MIDTRANS_API_BASE",
                                         "MIDTRANS_SNAP_BASE")}
    app.config.update(SHOP_BASE_URL=live_server, MIDTRANS_API_BASE=fake_midtrans_server,
                      MIDTRANS_SNAP_BASE=fake_midtrans_server)
    yield fake_midtrans_server
    app.config.update(before)


class Checks:
    """Screenshots into test-artifacts/payments/, axe-core (no violation of any impact) and
    CSP or script errors, for one browser page."""

    def __init__(self, page, artifacts_dir, prefix):
        self.page = page
        self.dir = os.path.join(artifacts_dir, "payments")
        os.makedirs(self.dir, exist_ok=True)
        self.prefix = prefix
        self.problems = []
        self.errors = []
        page.on("console", lambda m: self.errors.append(f"{m.text} ({m.location.get('url')})")
                if m.type == "error" and not (m.location.get("url") or "").endswith(
                    "/favicon.ico") else None)  # the fake Midtrans page has none
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def shot(self, name):
        self.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        wait_for_images(self.page)
        self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=os.path.join(self.dir, f"{self.prefix}-{name}.png"),
                             full_page=True)

    def axe(self, where):
        with open(AXE_JS, encoding="utf-8") as source:
            self.page.evaluate(source.read())  # through DevTools: the page's CSP stays on
        for v in self.page.evaluate(AXE_RUN):
            self.problems.append(f"- {where} {v['id']} ({v['impact']}): {v['help']}\n    "
                                 + "\n    ".join(v["targets"]))

    def fits(self):
        widths = self.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{self.page.url} scrolls sideways: {widths}"

    def assert_clean(self):
        assert not self.problems, "axe found problems:\n" + "\n".join(self.problems)
        assert not self.errors, f"script or CSP errors: {self.errors}"


def to_review(page, live_server, shop):
    page.goto(f"{live_server}/products/{shop.sambal.slug}")
    page.get_by_label(re.compile(r"^Jumlah")).fill(str(QTY))
    page.get_by_role("button", name="Tambah ke keranjang").click()
    expect(page.locator(".toast[role=status]")).not_to_be_empty()
    page.goto(f"{live_server}/checkout")
    form = page.locator("form.checkout")
    for label, value in {**CONTACT, **ADDRESS}.items():
        form.get_by_label(re.compile(rf"^{re.escape(label)}")).fill(value)
    pick_region(form)
    page.get_by_label("Ambil di tempat (gratis)").check()
    page.get_by_role("button", name="Lihat ringkasan & ongkos kirim").click()
    expect(page.get_by_role("heading", name="Ringkasan pesanan")).to_be_visible()


def place_by(page, label):
    methods = page.locator("fieldset.pay-methods")
    expect(methods.locator("legend")).to_have_text("Cara bayar")
    expect(methods.locator("input[type=radio]")).to_have_count(4)
    methods.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Buat pesanan & bayar").click()
    expect(page).to_have_url(re.compile(r"/orders/EB-[0-9A-Z]+/pay$"))
    return re.search(r"/orders/([^/]+)/pay", page.url).group(1)


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_qris_payment_on_the_midtrans_page(new_context, live_server, shop, live_midtrans,
                                           artifacts_dir, viewport):
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    checks = Checks(page, artifacts_dir, f"qris-{viewport}")

    to_review(page, live_server, shop)
    checks.axe("/checkout (review with methods)")
    checks.shot("1-review")
    number = place_by(page, "QRIS, virtual account, GoPay, ShopeePay, DANA")

    box = page.locator(".pay-box")
    expect(box.get_by_role("heading", level=2)).to_have_text(
        "QRIS, virtual account, dompet digital")
    expect(box.locator(".price")).to_have_text(rupiah(TOTAL))
    pay_now = box.get_by_role("link", name="Bayar sekarang")
    expect(pay_now).to_have_attribute("href", re.compile(rf"^{live_midtrans}/snap/v4/"))
    expect(page.get_by_role("heading", name="Ganti cara bayar")).to_be_visible()
    checks.fits()
    checks.axe("/orders/<n>/pay (midtrans)")
    checks.shot("2-pay")

    pay_now.click()  # the (fake) Midtrans hosted page
    expect(page.get_by_role("heading", name="Pembayaran")).to_be_visible()
    page.get_by_role("button", name="QRIS").click()
    expect(page.get_by_role("heading", name="Menunggu pembayaran")).to_be_visible()
    page.get_by_role("button", name="Saya sudah bayar (simulasi)").click()

    # Back at the shop: the notification arrived first, the return page confirms it.
    expect(page).to_have_url(f"{live_server}/orders/{number}")
    expect(page.locator("main .status").first).to_have_text("Dibayar")
    expect(page.locator(".notice-ok")).to_contain_text("Pembayaran diterima")
    checks.fits()
    checks.axe("/orders/<n> (paid)")
    checks.shot("3-paid")
    checks.assert_clean()


def _png():
    out = io.BytesIO()
    Image.new("RGB", (600, 400), (40, 90, 160)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_bank_transfer_with_copy_button_and_proof(new_context, live_server, shop, artifacts_dir,
                                                  viewport):
    from shop.payments.services import current_payment

    context = new_context(viewport=VIEWPORTS[viewport],
                          permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    checks = Checks(page, artifacts_dir, f"transfer-{viewport}")

    to_review(page, live_server, shop)
    number = place_by(page, "Transfer bank")
    from shop.orders.services import order_by_number

    payment = current_payment(order_by_number(number))
    due = rupiah(payment.due)
    assert payment.due == TOTAL + payment.unique_code

    box = page.locator(".pay-box")
    expect(box.get_by_role("heading", level=2)).to_have_text("Transfer bank")
    expect(box.locator("#amount-due")).to_have_text(due)
    expect(box).to_contain_text("0000-01-000000-30-0")
    expect(box).to_contain_text(f"kode unik {payment.unique_code:03d}")
    expect(box).to_contain_text("WIT")
    checks.fits()
    checks.axe("/orders/<n>/pay (bank transfer)")
    checks.shot("1-pay")

    copy = box.get_by_role("button", name="Salin jumlah")
    copy.click()
    expect(box.get_by_role("button", name="Tersalin")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == str(payment.due)
    expect(page.get_by_role("status").filter(has_text="Tersalin")).to_have_count(1)

    page.get_by_label("Foto atau PDF bukti transfer").set_input_files(
        files=[{"name": "bukti.png", "mimeType": "image/png", "buffer": _png()}])
    page.get_by_role("button", name="Kirim bukti").click()
    expect(page).to_have_url(f"{live_server}/orders/{number}/pay")
    expect(page.locator(".flash-success")).to_have_text(
        "Bukti transfer diterima. Kanwil akan memeriksanya.")
    expect(box.locator(".notice-ok")).to_contain_text("Bukti transfer diterima pada")
    checks.fits()
    checks.axe("/orders/<n>/pay (proof sent)")
    checks.shot("2-proof-sent")

    page.goto(f"{live_server}/orders/{number}")
    expect(page.locator("main")).to_contain_text("Cara bayar: Transfer bank")
    checks.axe("/orders/<n> (awaiting transfer)")
    checks.shot("3-order")

    # The Kanwil sees the transfer with its proof and confirms it with the bank's reference.
    from sqlalchemy import select

    from shop.accounts.models import User
    from shop.accounts.provisioning import create_admin
    from shop.extensions import db

    if db.session.scalar(select(User.id).where(User.email == "kanwil.e2e@example.org")) is None:
        create_admin("kanwil.e2e@example.org", "Kanwil-Malut-2026!", "Admin Kanwil")
    admin_page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    admin = Checks(admin_page, artifacts_dir, f"transfer-{viewport}-kanwil")
    admin_page.goto(f"{live_server}/account/login")
    admin_page.get_by_label("Surel").fill("kanwil.e2e@example.org")
    admin_page.get_by_label("Kata sandi").fill("Kanwil-Malut-2026!")
    admin_page.get_by_role("button", name="Masuk").click()
    admin_page.goto(f"{live_server}/admin/payments/")
    admin_page.get_by_role("link", name=number).first.click()
    expect(admin_page.get_by_role("link", name="Lihat bukti")).to_be_visible()
    admin.axe("/admin/payments/transfers/<n>")
    admin.shot("4-transfer")
    admin_page.get_by_label(re.compile(r"^Jumlah")).fill(str(payment.due))
    admin_page.get_by_label(re.compile(r"^Nomor referensi bank")).fill("BRI-MUTASI-0001")
    admin_page.get_by_role("button", name="Konfirmasi: pesanan dibayar").click()
    expect(admin_page.locator(".flash-success")).to_be_visible()
    admin.shot("5-confirmed")

    page.goto(f"{live_server}/orders/{number}")
    expect(page.locator("main")).to_contain_text("Dibayar")
    checks.shot("6-order-paid")
    checks.assert_clean()
    admin.assert_clean()


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_pay_at_pickup_and_card_pay_pages(new_context, live_server, shop, localstripe,
                                          artifacts_dir, viewport):
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    checks = Checks(page, artifacts_dir, f"other-{viewport}")

    to_review(page, live_server, shop)
    place_by(page, "Bayar di tempat saat mengambil")
    box = page.locator(".pay-box")
    expect(box).to_contain_text("Jl. Raya Jambula, Kota Ternate 97751")
    expect(box).to_contain_text("Senin–Jumat 08.00–15.00 WIT")
    checks.fits()
    checks.axe("/orders/<n>/pay (pay at pickup)")
    checks.shot("1-pickup")

    # The parcels are already at the facility, waiting for the money: no switching now.
    expect(page.get_by_role("button", name="Ganti cara bayar")).to_have_count(0)

    # Another order paid by card: the pay page of the card.
    to_review(page, live_server, shop)
    place_by(page, "Kartu kredit/debit")
    expect(box.get_by_role("heading", level=2)).to_have_text("Bayar dengan kartu")
    checks.fits()
    checks.axe("/orders/<n>/pay (card)")
    checks.shot("2-card")
    checks.assert_clean()
