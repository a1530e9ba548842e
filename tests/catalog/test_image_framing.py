"""Photo framing: "fill" crops a photo to the cards' 4:3 frame, "fit" keeps the whole photo and
pads it on the cards' white; a photo far from 4:3 (a portrait) is "fit" unless chosen, so it is
never cut silently; framing a photo anew derives it again under new URLs."""

import io

import pytest
from PIL import Image

from shop.catalog.backoffice import set_photo_framing
from shop.catalog.services import CatalogError, add_product_image
from shop.media.images import SIZES, crop_share, default_framing, derived_key
from shop.media.storage import get_storage

RED, GREEN, BLUE, WHITE = (230, 20, 20), (20, 160, 40), (20, 40, 220), (255, 255, 255)


def banded_portrait(size=(600, 800), mode="RGB", fmt="JPEG"):
    """A 3:4 portrait: a red band at the top, a blue one at the bottom, green between. "fill"
    (the middle 600x450) shows only green; "fit" shows both bands, with white at the sides."""
    width, height = size
    image = Image.new(mode, size, GREEN if mode == "RGB" else (*GREEN, 255))
    band = height // 8
    image.paste(RED if mode == "RGB" else (*RED, 255), (0, 0, width, band))
    image.paste(BLUE if mode == "RGB" else (*BLUE, 255), (0, height - band, width, height))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def landscape(size=(800, 600), colour=(180, 90, 40)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def derived(image, size="card"):
    data = get_storage().read(derived_key(image.storage_key, size))
    return Image.open(io.BytesIO(data)).convert("RGB")


def near(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def assert_fit(picture):
    """The whole portrait, centred and padded: white sides, both bands kept."""
    width, height = picture.size
    assert (width, height) == (640, 480)
    for x, y in ((2, height // 2), (width - 3, height // 2), (60, 5), (width - 60, height - 5)):
        assert near(picture.getpixel((x, y)), WHITE, 12), (x, y, picture.getpixel((x, y)))
    assert near(picture.getpixel((width // 2, 8)), RED)  # the top band is not cut
    assert near(picture.getpixel((width // 2, height - 9)), BLUE)  # nor the bottom one
    assert near(picture.getpixel((width // 2, height // 2)), GREEN)
    # the photo spans the full height: 3:4 at 480 high is 360 wide, from x=140 to x=500
    assert near(picture.getpixel((150, height // 2)), GREEN)
    assert near(picture.getpixel((490, height // 2)), GREEN)


def assert_fill(picture):
    """Cropped to the middle: green edge to edge, no band, no padding."""
    width, height = picture.size
    assert (width, height) == (640, 480)
    for x, y in ((2, height // 2), (width - 3, height // 2), (width // 2, 3),
                 (width // 2, height - 4), (2, 2), (width - 3, height - 3)):
        assert near(picture.getpixel((x, y)), GREEN), (x, y, picture.getpixel((x, y)))


def test_crop_share_and_the_default_framing():
    assert crop_share(800, 600) == pytest.approx(0)
    assert crop_share(600, 800) == pytest.approx(0.4375)  # a 3:4 portrait loses 44 %
    assert default_framing(600, 800) == "fit"
    assert default_framing(1000, 1000) == "fit"  # a square would lose a quarter
    assert default_framing(3000, 1000) == "fit"  # a panorama: half
    assert default_framing(1500, 1000) == "fill"  # 3:2 loses 11 %
    assert default_framing(1600, 1200) == "fill"


def test_a_portrait_is_fit_by_default_whole_and_padded(gen_product, db_session):
    image = add_product_image(gen_product(), banded_portrait(), alt_text="Tas anyaman")
    db_session.commit()
    assert image.framing == "fit"
    assert_fit(derived(image, "card"))
    thumb = derived(image, "thumb")
    assert thumb.size == (320, 240) and near(thumb.getpixel((2, 120)), WHITE, 12)
    assert near(thumb.getpixel((160, 4)), RED)
    # the large size keeps the whole photo at its own shape, whatever the framing
    assert derived(image, "large").size == (600, 800)


def test_fill_crops_the_portrait_when_chosen(gen_product, db_session):
    image = add_product_image(gen_product(), banded_portrait(), alt_text="Tas anyaman",
                              framing="fill")
    db_session.commit()
    assert image.framing == "fill"
    assert_fill(derived(image, "card"))


def test_a_transparent_portrait_is_padded_on_opaque_white(gen_product, db_session):
    data = banded_portrait(mode="RGBA", fmt="PNG")
    image = add_product_image(gen_product(), data, alt_text="Gantungan kunci")
    db_session.commit()
    raw = Image.open(io.BytesIO(get_storage().read(derived_key(image.storage_key, "card"))))
    pixel = raw.convert("RGBA").getpixel((2, 240))
    assert pixel[3] == 255 and near(pixel[:3], WHITE, 12)


def test_a_landscape_photo_keeps_fill_as_before(gen_product, db_session):
    image = add_product_image(gen_product(), landscape(), alt_text="Kursi")
    db_session.commit()
    assert image.framing == "fill"
    card = derived(image, "card")
    assert near(card.getpixel((2, 2)), (180, 90, 40))


def test_an_unknown_framing_is_refused(gen_product):
    with pytest.raises(CatalogError):
        add_product_image(gen_product(), landscape(), alt_text="x", framing="stretch")


def test_a_missing_size_is_derived_again_in_the_photos_framing(client, gen_product, db_session):
    image = add_product_image(gen_product(), banded_portrait(), alt_text="Tas", derive_now=False)
    db_session.commit()
    stem = image.storage_key.split(".")[0]
    response = client.get(f"/media/{stem}/card.webp")
    assert response.status_code == 200
    assert_fit(Image.open(io.BytesIO(response.data)).convert("RGB"))


def test_changing_the_framing_derives_again_under_new_urls(client, gen_product, admin,
                                                           db_session):
    product = gen_product()
    image = add_product_image(product, banded_portrait(), alt_text="Tas", framing="fill")
    db_session.commit()
    old_key, old_stem = image.storage_key, image.storage_key.split(".")[0]
    assert client.get(f"/media/{old_stem}/card.webp").status_code == 200

    assert set_photo_framing(product, image, "fit", admin) is True
    db_session.expire_all()
    assert image.framing == "fit" and image.storage_key != old_key
    assert_fit(derived(image, "card"))
    storage = get_storage()
    for size in SIZES:
        assert storage.exists(derived_key(image.storage_key, size))
        assert not storage.exists(derived_key(old_key, size))  # the old crop is gone
    assert not storage.exists(f"originals/{old_key}")
    # The old URL, cached by browsers as immutable, is never reused for the new framing.
    assert client.get(f"/media/{old_stem}/card.webp").status_code == 404
    page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert image.storage_key.split(".")[0] in page and old_stem not in page

    fit_key = image.storage_key
    assert set_photo_framing(product, image, "fit", admin) is False  # no change, no new key
    db_session.expire_all()
    assert image.storage_key == fit_key
    assert set_photo_framing(product, image, "fill", admin) is True
    db_session.expire_all()
    assert_fill(derived(image, "card"))
