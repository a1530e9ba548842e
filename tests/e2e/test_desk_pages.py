"""Desk and Kanwil pages on a phone and a desktop: their own header (no shop cart, no product
search), no page that scrolls sideways (wide tables scroll inside themselves), unique landmarks
and axe-core clean. Screenshots go to test-artifacts/desks/."""

import os

import pytest

from tests.e2e.browser import AXE_JS, AXE_RUN, BLOCKING_IMPACTS, VIEWPORTS, sign_in
from tests.e2e.test_admin_tour import ADMIN_EMAIL, ADMIN_PASSWORD, office  # noqa: F401

pytestmark = pytest.mark.e2e


# What sticks out of the page (a scroll box's own content is its business): for the message.
WIDE = """() => [...document.querySelectorAll('body *')].filter(e => {
  const r = e.getBoundingClientRect();
  return r.right > document.documentElement.clientWidth + 1
    && !e.parentElement.closest('.report-scroll, .table-scroll');
}).slice(0, 8).map(e => `${e.tagName}.${e.className} ${e.getBoundingClientRect().right}`)"""

ADMIN_PAGES = ["/admin/", "/admin/orders", "/admin/orders/{order}", "/admin/audit",
               "/admin/reports/", "/admin/reports/sales", "/admin/reports/products",
               "/admin/manage/accounts", "/admin/manage/search-words", "/admin/payments/"]
STAFF_PAGES = ["/staff/", "/staff/orders/{parcel}", "/staff/products/"]


def _sign_in(page, base, email, password):
    sign_in(page, base, email, password)


def _check(page, url, name, viewport, shots):
    problems = []
    response = page.goto(url)
    assert response.status == 200, url
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if widths[0] > widths[1]:
        problems.append(f"{url} ({viewport}) scrolls sideways: {widths} {page.evaluate(WIDE)}")
    header = page.locator("header.site-header")
    if header.locator("form[role=search], .cart-link").count():
        problems.append(f"{url}: the shop's cart or search in a desk header")
    page.screenshot(path=os.path.join(shots, f"{name}-{viewport}.png"), full_page=True)
    page.add_script_tag(path=AXE_JS)
    problems += [f"{url} ({viewport}) {v['id']}: {v['help']} {v['targets']}"
                 for v in page.evaluate(AXE_RUN)
                 if v["impact"] in BLOCKING_IMPACTS or v["id"].startswith("landmark")]
    return problems


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_desk_pages_fit_and_have_their_own_header(browser, live_server, office,  # noqa: F811
                                                  artifacts_dir, viewport):
    from shop.extensions import db
    from shop.orders.models import FacilityOrder, Order

    order = db.session.query(Order).filter_by(number=office.order).one()
    shots = os.path.join(artifacts_dir, "desks")
    os.makedirs(shots, exist_ok=True)
    problems = []
    context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)
    page = context.new_page()
    _sign_in(page, live_server, ADMIN_EMAIL, ADMIN_PASSWORD)
    for path in ADMIN_PAGES:
        url = live_server + path.format(order=office.order)
        name = ("admin-" + path[7:].strip("/").replace("/", "-").replace("{order}", "order")
                ).strip("-")
        problems += _check(page, url, name, viewport, shots)
    context.close()
    context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)
    page = context.new_page()
    _sign_in(page, live_server, "petugas.sanana@example.org", "Sanana-Meja-2025!")
    sanana = db.session.query(FacilityOrder).filter_by(order_id=order.id).all()
    parcel = next(fo for fo in sanana if fo.facility.name == office.sanana)
    for path in STAFF_PAGES:
        url = live_server + path.format(parcel=parcel.number)
        name = ("staff-" + path[7:].strip("/").replace("/", "-").replace("{parcel}", "parcel")
                ).strip("-")
        problems += _check(page, url, name, viewport, shots)
    context.close()
    assert not problems, "\n".join(problems)

