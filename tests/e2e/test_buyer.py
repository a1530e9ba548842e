"""A buyer in a real browser: the mail link opens the order in a fresh browser (another
device), the lookup finds it, and the new pages are clean for axe at phone and desktop."""

import os

import pytest
from playwright.sync_api import expect

from tests.buyer.helpers import mails, order_link_in
from tests.e2e.browser import AXE_JS, AXE_RUN, BLOCKING_IMPACTS, VIEWPORTS


def _axe(page, where, viewport):
    page.add_script_tag(path=AXE_JS)
    return [f"- {where} ({viewport}) {v['id']} ({v['impact']}): {v['help']}\n    "
            + "\n    ".join(v["targets"])
            for v in page.evaluate(AXE_RUN) if v["impact"] in BLOCKING_IMPACTS]


@pytest.fixture
def shipped(paid_order, staff_a):
    from shop.orders.fulfilment import MoveDetails
    from shop.payments import parcels

    for to in ("accepted", "packed"):
        parcels.move(paid_order.a, to, staff_a)
    parcels.move(paid_order.a, "shipped", staff_a,
                 MoveDetails(courier="jne", tracking_number="JNE12345"))
    return paid_order


def test_mail_link_opens_the_order_in_a_fresh_browser(new_context, live_server, shipped,
                                                      artifacts_dir):
    order = shipped.order
    message = next(m for m in mails(order.email) if "sudah dikirim" in m.subject)
    page = new_context(viewport=VIEWPORTS["phone"]).new_page()
    page.goto(live_server + order_link_in(message))
    expect(page).to_have_url(f"{live_server}/orders/{order.number}")
    expect(page.get_by_role("heading", name=f"Pesanan {order.number}")).to_be_visible()
    expect(page.get_by_text("Kursi Rotan Sanana").first).to_be_visible()
    page.get_by_role("button", name="Pesanan diterima").click()
    expect(page.get_by_text("ditandai sudah sampai")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "buyer-order-from-mail.png"), full_page=True)


def test_lookup_in_a_fresh_browser(new_context, live_server, paid_order, artifacts_dir):
    order = paid_order.order
    page = new_context(viewport=VIEWPORTS["desktop"]).new_page()
    page.goto(f"{live_server}/orders/lookup")
    page.get_by_label("Nomor pesanan").fill(order.number)
    page.get_by_label("Surel atau nomor HP").fill("salah@example.com")
    page.get_by_role("button", name="Buka pesanan").click()
    expect(page.get_by_role("alert")).to_contain_text("Pesanan tidak ditemukan")
    page.get_by_label("Surel atau nomor HP").fill("0812 3456 7890")
    page.get_by_role("button", name="Buka pesanan").click()
    expect(page).to_have_url(f"{live_server}/orders/{order.number}")
    expect(page.get_by_role("link", name="Unduh kuitansi (PDF)")).to_be_visible()


def test_expired_link_leads_to_the_lookup_with_the_number(new_context, live_server, paid_order):
    order = paid_order.order
    page = new_context().new_page()
    page.goto(f"{live_server}/orders/{order.number}?k=rusak.rusak.rusak")
    expect(page).to_have_url(f"{live_server}/orders/lookup?number={order.number}")
    expect(page.get_by_label("Nomor pesanan")).to_have_value(order.number)


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_buyer_pages_have_no_serious_accessibility_violations(
        new_context, live_server, shipped, gen_order, product_a, artifacts_dir, viewport):
    from shop.orders.links import make_order_token

    order = shipped.order
    unpaid, _token = gen_order({product_a: 1})
    context = new_context(bypass_csp=True, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    problems = []

    def visit(path, name):
        page.goto(live_server + path)
        page.screenshot(path=os.path.join(artifacts_dir, f"buyer-{viewport}-{name}.png"),
                        full_page=True)
        problems.extend(_axe(page, path, viewport))

    visit("/orders/lookup", "lookup")
    page.get_by_label("Nomor pesanan").fill("EB-ZZZZZZ")
    page.get_by_label("Surel atau nomor HP").fill("a@b.id")
    page.get_by_role("button", name="Buka pesanan").click()
    problems.extend(_axe(page, "/orders/lookup (miss)", viewport))
    visit(f"/orders/{order.number}?k={make_order_token(order)}", "order")
    visit(f"/orders/{order.number}/parcels/{shipped.a.number}/problem", "problem")
    visit(f"/orders/{unpaid.number}?k={make_order_token(unpaid)}", "unpaid-order")
    visit("/account/register/sent", "registered")
    page.goto(f"{live_server}/account/register")
    page.get_by_label("Nama").fill("Budi Santoso")
    page.get_by_label("Surel").fill("budi.baru@example.com")
    page.get_by_label("Kata sandi", exact=True).fill("rahasia-panjang-1")
    page.get_by_label("Ulangi kata sandi").fill("rahasia-panjang-1")
    page.get_by_role("button", name="Daftar").click()
    page.goto(f"{live_server}/account/login")
    page.get_by_label("Surel").fill("budi.baru@example.com")
    page.get_by_label("Kata sandi").fill("rahasia-panjang-1")
    page.get_by_role("button", name="Masuk").click()
    visit("/account/orders", "history")
    visit("/account", "account")
    assert not problems, "axe found serious/critical problems:\n" + "\n".join(problems)
