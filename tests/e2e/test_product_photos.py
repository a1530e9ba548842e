"""A facility's staff add a product with a portrait photo in a real browser (Chromium through
Playwright, the page's own Content-Security-Policy in force): the form previews the chosen file
in the cards' 4:3 frame both ways before anything is uploaded and preselects "Pas (tanpa
potong)"; after saving, the photo list shows the whole photo padded, not cut, with its switch;
a second photo moved up becomes the cover. axe-core finds nothing serious at phone and desktop
sizes. Screenshots go to /tmp/photos-shots/.
"""

import os

import pytest
from playwright.sync_api import expect

from tests.catalog.test_image_framing import banded_portrait
from tests.conftest import wait_for_images
from tests.e2e.browser import AXE_JS, AXE_RUN, BLOCKING_IMPACTS, VIEWPORTS, sign_in
from tests.factories import png_bytes

pytestmark = pytest.mark.e2e

SHOTS = "/tmp/photos-shots"
STAFF_EMAIL = "petugas.foto@example.org"
STAFF_PASSWORD = "Foto-Meja-2025!"
PORTRAIT = {"name": "tas-tegak.jpg", "mimeType": "image/jpeg",
            "buffer": banded_portrait((900, 1200))}
LANDSCAPE = {"name": "tas-datar.png", "mimeType": "image/png",
             "buffer": png_bytes((1200, 900), color=(180, 90, 40))}

# The colours of a pixel of a same-origin <img>, drawn on a canvas (no eval: CSP-safe).
PIXEL = """([selector, x, y]) => {
  const img = document.querySelector(selector);
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(img, 0, 0);
  return Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3));
}"""


@pytest.fixture
def photo_desk(gen_facility, gen_category):
    from shop.accounts.provisioning import create_staff

    facility = gen_facility(slug="lapas-ternate", name="Lapas Kelas IIA Ternate")
    gen_category("Kerajinan", slug="kerajinan")
    create_staff(STAFF_EMAIL, facility, "Petugas Foto", password=STAFF_PASSWORD, invite=False)
    return facility


def _sign_in(page, live_server):
    sign_in(page, live_server, STAFF_EMAIL, STAFF_PASSWORD, lands_on="/staff/")


def _pick_portrait(page):
    page.get_by_label("Tambah foto").set_input_files(PORTRAIT)
    previews = page.locator(".framing-frame img")
    expect(previews).to_have_count(2)
    expect(page.locator(".framing-frame").first).to_be_visible()
    expect(page.get_by_label("Pas (tanpa potong)")).to_be_checked()
    wait_for_images(page)
    return previews


def _axe(page, where, viewport):
    page.add_script_tag(path=AXE_JS)
    return [f"- {where} ({viewport}) {v['id']} ({v['impact']}): {v['help']}\n    "
            + "\n    ".join(v["targets"])
            for v in page.evaluate(AXE_RUN) if v["impact"] in BLOCKING_IMPACTS]


def _near(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_portrait_photo_is_previewed_then_saved_whole(new_context, live_server, photo_desk,
                                                      viewport):
    os.makedirs(SHOTS, exist_ok=True)
    shot = lambda page, name: page.screenshot(  # noqa: E731
        path=os.path.join(SHOTS, f"{viewport}-{name}.png"), full_page=True)
    staff = new_context(viewport=VIEWPORTS[viewport])
    page = staff.new_page()
    _sign_in(page, live_server)
    # axe is injected where the CSP is bypassed: a second context, signed in as the same staff
    auditor = new_context(bypass_csp=True, viewport=VIEWPORTS[viewport],
                          storage_state=staff.storage_state())
    audit = auditor.new_page()
    problems = []

    page.goto(f"{live_server}/staff/products/new")
    expect(page.locator(".framing-frame").first).to_be_hidden()  # nothing chosen yet
    form = page.locator("form.product-form")
    form.get_by_label("Nama produk", exact=True).fill("Tas Rajut Ternate")
    form.get_by_label("Kategori").select_option(label="Kerajinan")
    form.get_by_label("Harga (rupiah)").fill("85000")
    form.get_by_label("Status").select_option(value="active")
    form.get_by_label("Keterangan foto (untuk pembaca layar)").fill(
        "Tas rajut biru berdiri tegak")

    # The preview: the local file in both frames (blob: images allowed by the page's CSP).
    previews = _pick_portrait(page)
    sizes = previews.evaluate_all("l => l.map(i => [i.naturalWidth, i.naturalHeight])")
    assert sizes == [[900, 1200], [900, 1200]], sizes
    fits = previews.evaluate_all("l => l.map(i => getComputedStyle(i).objectFit)")
    assert fits == ["contain", "cover"]
    frame = page.locator(".framing-fit").bounding_box()
    assert abs(frame["width"] / frame["height"] - 4 / 3) < 0.03, frame
    expect(page.locator(".framing-status")).to_contain_text("disarankan Pas (tanpa potong)")
    shot(page, "01-form-preview")
    page.locator(".framing-choice").screenshot(
        path=os.path.join(SHOTS, f"{viewport}-02-preview-closeup.png"))

    audit.goto(f"{live_server}/staff/products/new")
    _pick_portrait(audit)
    problems += _axe(audit, "/staff/products/new (preview)", viewport)

    # Save: the photo list shows the photo as the shop will, whole and padded.
    form.get_by_role("button", name="Simpan").click()
    expect(page.locator(".flash-success")).to_contain_text("Produk Tas Rajut Ternate disimpan.")
    detail_url = page.url
    photos = page.locator(".photo-item")
    expect(photos).to_have_count(1)
    expect(photos.get_by_role("button", name="Pas (tanpa potong)")).to_have_attribute(
        "aria-pressed", "true")
    expect(photos.get_by_role("button", name="Penuh (dipotong)")).to_have_attribute(
        "aria-pressed", "false")
    expect(photos.locator(".badge-cover")).to_have_text("Sampul")
    wait_for_images(page)
    img = ".photo-item img"
    assert page.evaluate("s => [document.querySelector(s).naturalWidth, "
                         "document.querySelector(s).naturalHeight]", img) == [640, 480]
    assert _near(page.evaluate(PIXEL, [img, 4, 240]), (255, 255, 255), 12)  # padding
    assert _near(page.evaluate(PIXEL, [img, 320, 8]), (230, 20, 20))  # top band kept
    assert _near(page.evaluate(PIXEL, [img, 320, 471]), (20, 40, 220))  # bottom band kept
    photos.scroll_into_view_if_needed()
    shot(page, "03-detail-fit")
    audit.goto(detail_url)
    wait_for_images(audit)
    problems += _axe(audit, "/staff/products/<slug> (photos)", viewport)

    # The switch: "Penuh (dipotong)" crops it (a new URL), and says so.
    old_src = page.locator(img).get_attribute("src")
    photos.get_by_role("button", name="Penuh (dipotong)").click()
    expect(page.locator(".flash-success")).to_contain_text("Penuh (dipotong)")
    expect(photos.get_by_role("button", name="Penuh (dipotong)")).to_have_attribute(
        "aria-pressed", "true")
    assert page.locator(img).get_attribute("src") != old_src
    wait_for_images(page)
    assert _near(page.evaluate(PIXEL, [img, 4, 240]), (20, 160, 40))  # cropped: no padding
    shot(page, "04-detail-fill")

    # And back to "Pas"; then a second, landscape photo ("Penuh" by its shape) moved up
    # becomes the cover.
    photos.get_by_role("button", name="Pas (tanpa potong)").click()
    expect(photos.get_by_role("button", name="Pas (tanpa potong)")).to_have_attribute(
        "aria-pressed", "true")
    page.get_by_role("link", name="Ubah produk").click()
    page.get_by_label("Tambah foto").set_input_files(LANDSCAPE)
    expect(page.get_by_label("Penuh (dipotong)")).to_be_checked()
    page.get_by_label("Keterangan foto (untuk pembaca layar)").fill("Tas rajut coklat")
    page.get_by_role("button", name="Simpan").click()
    expect(photos).to_have_count(2)
    expect(photos.nth(0).locator("img")).to_have_attribute("alt", "Tas rajut biru berdiri tegak")
    wait_for_images(page)
    shot(page, "05-detail-two-photos")
    photos.nth(1).get_by_role("button", name="Naikkan foto 2").click()
    expect(page.locator(".flash-success")).to_contain_text("Urutan foto diperbarui.")
    expect(photos.nth(0).locator("img")).to_have_attribute("alt", "Tas rajut coklat")
    expect(photos.nth(0).locator(".badge-cover")).to_have_text("Sampul")
    expect(photos.nth(0).get_by_role("button", name="Penuh (dipotong)")).to_have_attribute(
        "aria-pressed", "true")
    wait_for_images(page)
    shot(page, "06-detail-reordered")
    audit.goto(page.url)
    wait_for_images(audit)
    problems += _axe(audit, "/staff/products/<slug> (two photos)", viewport)
    photos.nth(0).get_by_role("button", name="Turunkan foto 1").click()
    expect(photos.nth(0).locator("img")).to_have_attribute("alt", "Tas rajut biru berdiri tegak")
    page.goto(f"{live_server}/products")
    card = page.locator("article.card").filter(has_text="Tas Rajut Ternate")
    expect(card).to_have_count(1)
    wait_for_images(page)
    card.screenshot(path=os.path.join(SHOTS, f"{viewport}-07-public-card.png"))
    auditor.close()
    staff.close()
    assert not problems, "axe found serious/critical problems:\n" + "\n".join(problems)
