"""Product photos on the facility desk and the Kanwil's product screens: the upload's framing
("Pas (tanpa potong)" / "Penuh (dipotong)", a portrait is "Pas" unless chosen), the photo list
with its framing switch, and "move up / move down" (the first photo is the cover on the
public pages). Another facility's staff get 404; every form carries its CSRF token."""

import io
import re

import pytest
from sqlalchemy import select

from shop.catalog.models import Product, ProductImage
from shop.catalog.services import add_product_image
from shop.core.audit import AuditEntry
from shop.extensions import db
from tests.catalog.test_image_framing import assert_fill, assert_fit, banded_portrait, derived
from tests.conftest import TestConfig
from tests.factories import login, png_bytes


def product_form(category, **overrides):
    data = {"name": "Tas Rajut Sanana", "description": "Tas rajut benang katun.",
            "category": str(category.id), "price": "85000", "unit": "piece",
            "weight_grams": "400", "status": "active", "initial_stock": "3",
            "photo_alt": "Tas rajut biru di atas meja"}
    data.update(overrides)
    return data


@pytest.fixture
def desk(client, staff_a, product_a):
    """Facility A's staff signed in; A's product with two photos (brown, then green)."""
    brown = add_product_image(product_a, png_bytes(color=(120, 70, 30)), alt_text="Coklat")
    green = add_product_image(product_a, png_bytes(color=(20, 160, 40)), alt_text="Hijau")
    db.session.commit()
    login(client, staff_a.email)
    return product_a, brown.id, green.id


def fetch(slug):
    db.session.expire_all()
    return db.session.scalar(select(Product).where(Product.slug == slug))


def stems(product):
    return [image.storage_key.split(".")[0] for image in product.images]


def url(product, image_id, action, prefix="/staff/products"):
    return f"{prefix}/{product.slug}/photos/{image_id}/{action}"


# ------------------------------------------------------------------ upload

def test_a_portrait_upload_left_unchosen_is_fit(client, staff_a, gen_category):
    login(client, staff_a.email)
    response = client.post("/staff/products/new", data=product_form(
        gen_category(), photo=(io.BytesIO(banded_portrait()), "tegak.jpg")))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    (image,) = fetch("tas-rajut-sanana").images
    assert image.framing == "fit"
    assert_fit(derived(image))


def test_the_staff_choice_wins_over_the_default(client, staff_a, gen_category):
    login(client, staff_a.email)
    response = client.post("/staff/products/new", data=product_form(
        gen_category(), photo=(io.BytesIO(banded_portrait()), "tegak.jpg"),
        photo_framing="fill"))
    assert response.status_code == 302
    (image,) = fetch("tas-rajut-sanana").images
    assert image.framing == "fill"
    assert_fill(derived(image))


def test_an_unknown_framing_is_refused_and_nothing_is_saved(client, staff_a, gen_category):
    login(client, staff_a.email)
    response = client.post("/staff/products/new", data=product_form(
        gen_category(), photo=(io.BytesIO(banded_portrait()), "tegak.jpg"),
        photo_framing="stretch"))
    assert response.status_code == 422
    assert "Pilihan tampilan foto tidak dikenal." in response.get_data(as_text=True)
    assert db.session.scalar(select(ProductImage.id)) is None


def test_the_form_offers_both_framings_and_the_preview_with_blob_images_allowed(
        client, staff_a, product_a):
    login(client, staff_a.email)
    for page_url in ("/staff/products/new", f"/staff/products/{product_a.slug}/edit"):
        response = client.get(page_url)
        body = response.get_data(as_text=True)
        assert 'type="radio"' in body and 'name="photo_framing"' in body
        assert "Pas (tanpa potong)" in body and "Penuh (dipotong)" in body
        assert 'value="fit"' in body and 'value="fill"' in body
        assert "checked" not in re.search(r'<fieldset class="framing-choice.*?</fieldset>',
                                          body, re.S).group(0)  # the shape decides
        assert "js/photo-preview.js" in body
        assert re.search(r"img-src 'self' data: blob:;",
                         response.headers["Content-Security-Policy"])
    # Only the form allows blob: images; every other page keeps the strict policy.
    other = client.get(f"/staff/products/{product_a.slug}")
    assert "blob:" not in other.headers["Content-Security-Policy"]
    assert "blob:" not in client.get("/").headers["Content-Security-Policy"]


# ------------------------------------------------------------------ the photo list

def test_the_photo_list_shows_each_photo_as_shown_with_its_switch(client, desk):
    product, brown, green = desk
    body = client.get(f"/staff/products/{product.slug}").get_data(as_text=True)
    section = re.search(r'<section aria-labelledby="photos-title".*?</section>', body, re.S)
    html = section.group(0)
    for stem in stems(fetch(product.slug)):
        assert f"/media/{stem}/card.webp" in html
    assert html.count('aria-pressed="true">Penuh (dipotong)') == 2  # landscape: fill
    assert html.count('aria-pressed="false">Pas (tanpa potong)') == 2
    assert html.count("Sampul") == 1
    assert f'action="{url(product, brown, "move")}"' in html
    assert html.count('value="up"') == 1 and html.count('value="down"') == 1


def test_the_switch_reframes_the_photo(client, desk):
    product, brown, _green = desk
    old = stems(fetch(product.slug))[0]
    response = client.post(url(product, brown, "framing"), data={"framing": "fit"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/products/{product.slug}#photo-{brown}")
    image = db.session.get(ProductImage, brown)
    assert image.framing == "fit" and image.storage_key.split(".")[0] != old
    page = client.get(f"/staff/products/{product.slug}").get_data(as_text=True)
    assert "Tampilan foto diubah menjadi Pas (tanpa potong)." in page
    assert 'aria-pressed="true">Pas (tanpa potong)' in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.kind == "product.photo_framing"))
    assert (entry.from_value, entry.to_value, entry.subject) == ("fill", "fit", product.slug)


def test_a_bad_switch_value_is_a_422_and_changes_nothing(client, desk):
    product, brown, _green = desk
    before = db.session.get(ProductImage, brown).storage_key
    response = client.post(url(product, brown, "framing"), data={"framing": "stretch"})
    assert response.status_code == 422
    assert "Pilihan untuk foto ini tidak dikenal." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ProductImage, brown).storage_key == before


def test_moving_a_photo_up_makes_it_the_cover_on_the_public_pages(app, client, desk):
    product, brown, green = desk
    public = app.test_client()
    brown_stem, green_stem = stems(fetch(product.slug))
    assert _gallery(public, product)[0] == brown_stem

    response = client.post(url(product, green, "move"), data={"direction": "up"})
    assert response.status_code == 302
    assert [i.id for i in fetch(product.slug).images] == [green, brown]
    assert [i.position for i in fetch(product.slug).images] == [0, 1]
    assert _gallery(public, product) == [green_stem, brown_stem]
    card = _card_photo(public.get("/products").get_data(as_text=True), product)
    assert green_stem in card and brown_stem not in card
    api = public.get(f"/api/v1/products/{product.slug}").get_json()
    assert green_stem in api["images"][0]["card"]
    assert "Urutan foto diperbarui." in client.get(
        f"/staff/products/{product.slug}").get_data(as_text=True)

    # and back down again; the first photo cannot go further up
    assert client.post(url(product, green, "move"), data={"direction": "down"}).status_code == 302
    assert _gallery(public, product) == [brown_stem, green_stem]
    refused = client.post(url(product, brown, "move"), data={"direction": "up"})
    assert refused.status_code == 422
    assert "tidak dapat dipindahkan" in refused.get_data(as_text=True)
    assert [i.id for i in fetch(product.slug).images] == [brown, green]


def _gallery(client, product):
    body = client.get(f"/products/{product.slug}").get_data(as_text=True)
    gallery = re.search(r'<div class="gallery">.*?</div>', body, re.S).group(0)
    return re.findall(r'<img src="/media/([0-9a-f]{20})/card\.webp"', gallery)


def _card_photo(body, product):
    return re.search(rf'<article class="card" id="p-{product.slug}">.*?</a>', body, re.S).group(0)


# ------------------------------------------------------------------ who may

@pytest.mark.parametrize("action, data", [("framing", {"framing": "fit"}),
                                          ("move", {"direction": "up"})])
def test_another_facilitys_staff_get_404_and_change_nothing(app, desk, staff_b, action, data):
    product, _brown, green = desk
    before = [(i.id, i.position, i.storage_key, i.framing) for i in fetch(product.slug).images]
    other = app.test_client()
    login(other, staff_b.email)
    assert other.post(url(product, green, action), data=data).status_code == 404
    assert other.get(f"/staff/products/{product.slug}").status_code == 404
    after = [(i.id, i.position, i.storage_key, i.framing) for i in fetch(product.slug).images]
    assert after == before


def test_a_photo_of_another_product_is_404(client, desk, gen_product, facility_a):
    product, _brown, _green = desk
    elsewhere = gen_product(facility=facility_a, image=True)
    foreign = elsewhere.images[0].id
    assert client.post(url(product, foreign, "framing"), data={"framing": "fit"}).status_code == 404
    assert client.post(url(product, foreign, "move"), data={"direction": "up"}).status_code == 404


def test_the_kanwil_frames_and_orders_any_facilitys_photos(app, desk, admin):
    product, brown, green = desk
    kanwil = app.test_client()
    login(kanwil, admin.email)
    page = kanwil.get(f"/admin/manage/products/{product.slug}").get_data(as_text=True)
    assert f'action="{url(product, brown, "framing", "/admin/manage/products")}"' in page
    response = kanwil.post(url(product, green, "framing", "/admin/manage/products"),
                           data={"framing": "fit"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/manage/products/{product.slug}"
                                                 f"#photo-{green}")
    assert kanwil.post(url(product, green, "move", "/admin/manage/products"),
                       data={"direction": "up"}).status_code == 302
    images = fetch(product.slug).images
    assert [(i.id, i.framing) for i in images] == [(green, "fit"), (brown, "fill")]


def test_the_photo_forms_need_their_csrf_token(app, client, desk):
    product, brown, green = desk
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(url(product, brown, "framing"),
                           data={"framing": "fit"}).status_code == 400
        assert client.post(url(product, green, "move"),
                           data={"direction": "up"}).status_code == 400
        images = fetch(product.slug).images
        assert [(i.id, i.framing) for i in images] == [(brown, "fill"), (green, "fill")]

        page = client.get(f"/staff/products/{product.slug}").get_data(as_text=True)
        form = re.search(rf'<form method="post" class="photo-move" action="'
                         rf'{re.escape(url(product, green, "move"))}">.*?</form>', page, re.S)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.group(0)).group(1)
        moved = client.post(url(product, green, "move"),
                            data={"direction": "up", "csrf_token": token})
        assert moved.status_code == 302
        assert [i.id for i in fetch(product.slug).images] == [green, brown]
    finally:
        app.config["WTF_CSRF_ENABLED"] = TestConfig.WTF_CSRF_ENABLED
