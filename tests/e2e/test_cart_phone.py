"""The cart and the lists on a phone (issue 13, section 4): quantity steppers with targets of at
least 44 px whatever the language, and adding from a list without losing one's place."""

import os

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import AXE_JS, AXE_RUN, VIEWPORTS

pytestmark = pytest.mark.e2e

MIN_TARGET = 44


@pytest.fixture
def shelf(gen_facility, gen_category, gen_product, gen_rates):
    facility = gen_rates(gen_facility(slug="lapas-ternate", name="Lapas Ternate"))
    category = gen_category("Kerajinan", slug="kerajinan", name_en="Crafts")
    products = [gen_product(facility=facility, category=category, slug=f"tas-rajut-{n:02d}",
                            name=f"Tas Rajut {n:02d}", name_en=f"Knitted Bag {n:02d}",
                            price=50_000 + n * 1_000, stock=3)
                for n in range(1, 19)]
    return products


def _boxes(page, selector):
    return page.locator(selector).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {w: r.width, h: r.height}; })")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_steppers_are_big_enough_on_a_phone_in_both_languages(
        new_context, live_server, shelf, artifacts_dir, lang):
    context = new_context(viewport=VIEWPORTS["phone"], bypass_csp=True)  # for axe only
    page = context.new_page()
    if lang == "en":
        page.goto(f"{live_server}/lang/en?next=/")
    for count, product in enumerate(shelf[:2], start=1):
        page.goto(f"{live_server}/products/{product.slug}")
        page.locator("form[action$='/cart/add'] button[type=submit]").first.click()
        expect(page.locator(".cart-count").first).to_have_text(str(count))
    page.goto(f"{live_server}/cart")

    steps = _boxes(page, ".stepper .step")
    assert len(steps) == 4
    for box in steps:
        assert box["w"] >= MIN_TARGET and box["h"] >= MIN_TARGET, box
    for box in _boxes(page, ".qty-form .stepper input"):
        assert box["w"] >= 48 and box["h"] >= MIN_TARGET, box  # two digits stay readable
    for box in _boxes(page, ".qty-form button[name=update], .qty-form button[name=remove]"):
        assert box["h"] >= MIN_TARGET, box
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]

    first = page.locator(".cart-line").first
    plus = first.locator(".step[value='1']")
    plus.click()
    expect(first.locator("input[name=quantity]")).to_have_value("2")
    expect(page).to_have_url(f"{live_server}/cart#line-{shelf[0].slug}")
    page.locator(".cart-line").first.locator(".step[value='1']").click()
    expect(page.locator(".cart-line").first.locator("input[name=quantity]")).to_have_value("3")
    # stock is 3: + is now off, − is on
    expect(page.locator(".cart-line").first.locator(".step[value='1']")).to_be_disabled()
    page.locator(".cart-line").first.locator(".step[value='-1']").click()
    expect(page.locator(".cart-line").first.locator("input[name=quantity]")).to_have_value("2")

    page.add_script_tag(path=AXE_JS)
    assert page.evaluate(AXE_RUN) == []  # not even a minor violation
    page.screenshot(path=os.path.join(artifacts_dir, f"cart-phone-{lang}.png"), full_page=True)
    context.close()


def test_adding_from_a_list_keeps_the_place_and_updates_the_count(
        new_context, live_server, shelf, artifacts_dir):
    context = new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(f"{live_server}/products?sort=name")
    card = page.locator(".card").nth(9)
    card.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 1000  # far down the list on a phone
    card.locator("form[action$='/cart/add'] button[type=submit]").click()

    toast = page.locator(".toast[role=status]")
    expect(toast).to_contain_text("ditambahkan ke keranjang")
    expect(page.locator(".cart-count").first).to_have_text("1")
    assert page.evaluate("window.scrollY") == before  # no reload: the buyer is where they were
    page.screenshot(path=os.path.join(artifacts_dir, "list-added-phone.png"))

    # sold out meanwhile: the message says so, the count stays
    from shop.catalog.models import Product
    from shop.extensions import db
    other = page.locator(".card").nth(10)
    slug = other.locator("input[name=product]").get_attribute("value")
    db.session.query(Product).filter_by(slug=slug).update({"stock": 0})
    db.session.commit()
    other.locator("form[action$='/cart/add'] button[type=submit]").click()
    expect(toast).to_have_class("toast toast-error")
    expect(page.locator(".cart-count").first).to_have_text("1")
    context.close()


def test_adding_from_a_list_in_english_speaks_english(new_context, live_server, shelf):
    context = new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(f"{live_server}/lang/en?next=/products")
    page.locator(".card").first.locator(
        "form[action$='/cart/add'] button[type=submit]").click()
    expect(page.locator(".toast[role=status]")).to_contain_text("added to your cart")
    expect(page.locator(".toast[role=status]")).to_contain_text("Knitted Bag")
    context.close()
