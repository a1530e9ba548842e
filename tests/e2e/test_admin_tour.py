"""The Kanwil dashboard (/admin) in a real browser (Chromium through Playwright), against the
live test server, at phone and desktop sizes.

Three facilities (one meets the flagship target, two do not), a paid order with a parcel from
each, one of them waiting too long, a low-stock product and two pending flagship requests. A
Kanwil admin signs in, reads the target, the sales, the stalled parcel and the low stock; tries
to refuse a request without a reason (refused, the form says why), refuses it with one, then
approves the other and sees the facility reach the target. axe-core scans every state; the page
must not scroll sideways and the chart text must stay legible. Screenshots go to
test-artifacts/admin/.
"""

import os
from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import AXE_JS, AXE_RUN, BLOCKING_IMPACTS, VIEWPORTS, sign_in

pytestmark = pytest.mark.e2e


ADMIN_EMAIL = "kanwil.malut@example.org"
ADMIN_PASSWORD = "Kanwil-Malut-2025!"
YEAR = 2025


@pytest.fixture
def office(gen_facility, gen_category, gen_product, gen_rates, gen_order):
    """Three facilities, products (flagships, low stock), a paid three-parcel order (one parcel
    stalled), two pending flagship requests from Sanana's staff and a Kanwil admin."""
    from sqlalchemy import update

    from shop.accounts.provisioning import create_admin, create_staff
    from shop.catalog.backoffice import request_flagship
    from shop.core.time import utcnow
    from shop.extensions import db
    from shop.orders.models import Order
    from shop.orders.services import mark_paid

    ternate = gen_rates(gen_facility(
        slug="lapas-ternate", name="Lapas Kelas IIA Ternate", town="Ternate",
        regency="Kota Ternate"))
    lpp = gen_rates(gen_facility(
        slug="lpp-ternate", name="Lapas Perempuan Kelas III Ternate", kind="lpp",
        facility_class="III", town="Ternate", regency="Kota Ternate"))
    sanana = gen_rates(gen_facility(
        slug="lapas-sanana", name="Lapas Kelas IIB Sanana", town="Sanana",
        regency="Kabupaten Kepulauan Sula"))
    food = gen_category("Makanan & Minuman", slug="makanan-minuman")
    craft = gen_category("Kerajinan", slug="kerajinan")
    flag = {"is_flagship": True, "flagship_year": YEAR}
    meja = gen_product(facility=ternate, category=craft, name="Meja Jati Ternate",
                        price=1_250_000, stock=8, **flag)
    gen_product(facility=ternate, category=craft, name="Kursi Rotan Ternate", price=650_000,
                 stock=12, **flag)
    roa = gen_product(facility=lpp, category=food, name="Sambal Roa", price=45_000, stock=3,
                       unit="jar", **flag)
    ikan = gen_product(facility=sanana, category=food, name="Ikan Asin Sanana", price=40_000,
                        stock=20, unit="pack")
    kenari = gen_product(facility=sanana, category=food, name="Bagea Kenari Sanana",
                          price=25_000, stock=0, unit="pack")
    gen_product(facility=sanana, category=food, name="Halua Kenari", price=30_000, stock=2,
                 unit="pack")

    order, _token = gen_order({meja: 1, roa: 2, ikan: 3},
                          {"lapas-ternate": "courier", "lpp-ternate": "pickup",
                           "lapas-sanana": "courier"})
    assert mark_paid(order) == "paid"
    db.session.commit()
    db.session.execute(update(Order).where(Order.id == order.id)
                       .values(paid_at=utcnow() - timedelta(days=3)))
    db.session.commit()

    staff = create_staff("petugas.sanana@example.org", sanana, "Petugas Sanana",
                         password="Sanana-Meja-2025!", invite=False)
    ikan_request = request_flagship(ikan, staff, YEAR, "Terlaris tiga bulan terakhir.")
    kenari_request = request_flagship(kenari, staff, YEAR, "Bahan kenari lokal Sula.")
    create_admin(ADMIN_EMAIL, ADMIN_PASSWORD, "Admin Kanwil")
    return SimpleNamespace(order=order.number, ikan=ikan_request.id, kenari=kenari_request.id,
                           total=order.subtotal,  # goods revenue: shipping is not revenue
                           sanana=sanana.name, lpp=lpp.name,
                           ternate=ternate.name)


# ---------------------------------------------------------------- helpers


class Shots:
    def __init__(self, page, artifacts_dir, prefix):
        self.page = page
        self.dir = os.path.join(artifacts_dir, "admin")
        os.makedirs(self.dir, exist_ok=True)
        self.prefix = prefix
        self.step = 0

    def __call__(self, name):
        self.step += 1
        self.page.screenshot(
            path=os.path.join(self.dir, f"{self.prefix}-{self.step:02d}-{name}.png"),
            full_page=True)


def _sideways(page):
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return [f"{page.url} scrolls sideways: {widths}"] if widths[0] > widths[1] else []


def _axe(page, url, where, viewport):
    page.goto(url)
    page.add_script_tag(path=AXE_JS)
    violations = page.evaluate(AXE_RUN)
    return [
        f"- {where} ({viewport}) {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]\n    "
        + "\n    ".join(v["targets"])
        for v in violations if v["impact"] in BLOCKING_IMPACTS
    ]


def _axe_after_post(page, url, where, viewport):
    """Like _axe, for the page a form POST answers with (here: a 422 with the problem)."""
    page.goto(url.rsplit("/admin/", 1)[0] + "/admin/")
    with page.expect_navigation():
        page.evaluate("""url => { const f = document.createElement('form'); f.method = 'post';
            f.action = url; const t = document.querySelector('input[name=csrf_token]');
            if (t) f.append(t.cloneNode()); document.body.append(f); f.submit(); }""", url)
    page.add_script_tag(path=AXE_JS)
    violations = page.evaluate(AXE_RUN)
    return [
        f"- {where} ({viewport}) {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]\n    "
        + "\n    ".join(v["targets"])
        for v in violations if v["impact"] in BLOCKING_IMPACTS
    ]


def _smallest_chart_text(page):
    """Height in CSS pixels of the smallest text drawn inside the charts."""
    return page.evaluate("""() => Math.min(...[...document.querySelectorAll('svg.chart text')]
        .map(t => t.getBoundingClientRect().height).filter(h => h > 0))""")


def _row(page, table, name):
    return page.locator(f"table.{table} tbody tr").filter(
        has=page.get_by_role("rowheader", name=name, exact=True))


# ---------------------------------------------------------------- the tour


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_admin_tours_the_dashboard_and_decides_flagship_requests(
        new_context, live_server, office, artifacts_dir, viewport):
    context = new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    snap = Shots(page, artifacts_dir, viewport)
    problems, layout = [], []
    dashboard_url = f"{live_server}/admin/"

    # Sign in; back to the dashboard.
    sign_in(page, live_server, ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/admin/",
            next_path="/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor Kanwil")
    nav = page.get_by_role("navigation", name="Menu Kanwil")
    expect(nav.get_by_role("link", name="Dasbor")).to_have_attribute("aria-current", "page")

    # The flagship target: Ternate meets it, the others miss it, and say by how much.
    expect(_row(page, "target-table", office.ternate)).to_contain_text("Memenuhi")
    expect(_row(page, "target-table", office.lpp)).to_contain_text("kurang 1")
    expect(_row(page, "target-table", office.sanana)).to_contain_text("kurang 2")
    chart = page.get_by_role("img", name=f"Grafik kemajuan target produk unggulan {YEAR}")
    expect(chart).to_be_visible()

    # Sales: the one paid order, with three parcels, counted once in the whole shop.
    month = page.locator("table.sales-table").first
    expect(month.locator("tfoot tr")).to_contain_text("Semua")
    total = f"Rp{office.total:,}".replace(",", ".")
    expect(month.locator("tfoot td").nth(1)).to_have_accessible_name(
        f"{total} ({total})")
    expect(month.locator("tfoot td").first).to_have_text("1")
    expect(page.get_by_role("img", name=f"Grafik batang penjualan {office.sanana}")
           ).to_be_visible()

    # Every parcel of the order has waited three days since payment.
    stalled = page.locator("table.stalled-table tbody tr")
    expect(stalled).to_have_count(3)
    expect(stalled.first).to_contain_text("3 hari")
    # Low stock: out of stock first.
    low = page.locator("table.low-stock-table tbody tr")
    expect(low).to_have_count(3)
    expect(low.first).to_contain_text("Bagea Kenari Sanana")
    expect(low.first).to_contain_text("Habis")

    layout += _sideways(page)
    smallest = _smallest_chart_text(page)
    assert smallest >= 10, f"chart text is {smallest:.1f} px high at {viewport}"
    snap("dashboard")

    # A stalled parcel leads to its order on the Kanwil's order desk, and back.
    first = stalled.first.get_by_role("link")
    parcel = first.inner_text()
    first.click()
    expect(page).to_have_url(f"{live_server}/admin/orders/{office.order}#{parcel}")
    page.go_back()
    expect(page).to_have_url(dashboard_url)

    auditor = new_context(bypass_csp=True, viewport=VIEWPORTS[viewport],
                          storage_state=context.storage_state())
    audit = auditor.new_page()
    problems += _axe(audit, dashboard_url, "/admin/", viewport)

    # Refusing without a reason is refused.
    requests = page.locator("li.flagship-request")
    expect(requests).to_have_count(2)
    kenari = requests.filter(has_text="Bagea Kenari Sanana")
    kenari.get_by_role("button", name="Tolak").click()
    expect(page.get_by_role("alert")).to_contain_text("Tuliskan alasan penolakan")
    reason = kenari.get_by_label("Alasan keputusan")
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(kenari.locator(".field-error")).to_contain_text("Tuliskan alasan penolakan")
    expect(requests).to_have_count(2)
    layout += _sideways(page)
    snap("refuse-without-reason")
    # (The error page answers a POST: axe scans the same state through its own POST.)
    problems += _axe_after_post(audit, f"{live_server}/admin/flagship-requests/{office.kenari}"
                                "/refuse", "/admin/ (refusal without a reason)", viewport)

    # With a reason it is refused; the other request is approved.
    reason.fill("Stok habis; usulkan lagi bila produksi jalan.")
    kenari.get_by_role("button", name="Tolak").click()
    expect(page.locator(".flash-success")).to_contain_text("Usulan unggulan Bagea Kenari Sanana "
                                                           "ditolak.")
    expect(requests).to_have_count(1)
    requests.first.get_by_role("button", name="Setujui").click()
    expect(page.locator(".flash-success")).to_contain_text(
        f"Ikan Asin Sanana ditetapkan sebagai produk unggulan {YEAR}.")
    expect(page.locator("#flagship-requests + .empty")).to_contain_text(
        "Tidak ada usulan yang menunggu keputusan.")
    expect(_row(page, "target-table", office.sanana)).to_contain_text("kurang 1")
    expect(_row(page, "target-table", office.sanana).locator("td").first).to_have_text("1/2")
    layout += _sideways(page)
    snap("after-decisions")
    problems += _axe(audit, page.url, "/admin/ (after decisions)", viewport)

    # Another target year: nobody has flagships for it yet.
    page.get_by_role("navigation", name="Tahun target").get_by_role(
        "link", name=str(YEAR + 1)).click()
    expect(page).to_have_url(f"{dashboard_url}?year={YEAR + 1}")
    expect(page.get_by_role("heading", name=f"Target produk unggulan {YEAR + 1}")).to_be_visible()
    expect(_row(page, "target-table", office.ternate)).to_contain_text("kurang 2")
    layout += _sideways(page)
    snap("next-year")
    auditor.close()

    assert not layout, "pages scroll sideways:\n" + "\n".join(layout)
    assert not problems, "axe found serious/critical problems:\n" + "\n".join(problems)
