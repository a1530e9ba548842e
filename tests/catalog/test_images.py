"""Product photos: checked by content, re-encoded without EXIF, derived WebP sizes, cached."""

import io

import pytest
from PIL import Image

from shop.catalog.services import add_product_image
from shop.media.images import SIZES, ImageRejected, derived_key
from shop.media.storage import get_storage


def jpeg_with_exif():
    image = Image.new("RGB", (1600, 1200), (20, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x8825] = {2: (1.0, 2.0, 3.0)}  # GPS info
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_upload_is_reencoded_without_exif_and_derived(gen_product, db_session):
    product = gen_product()
    image = add_product_image(product, jpeg_with_exif(), alt_text="Kotak tisu jati")
    db_session.commit()
    storage = get_storage()
    original = Image.open(io.BytesIO(storage.read(f"originals/{image.storage_key}")))
    assert not original.getexif()  # no camera, no GPS
    assert (image.width, image.height) == (1600, 1200)
    for size, (width, height) in SIZES.items():
        derived = Image.open(storage.local_path(derived_key(image.storage_key, size)))
        assert derived.format == "WEBP"
        assert derived.width == width and (height is None or derived.height == height)


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image", b"GIF89a" + b"\x00" * 100, b"%PDF-1.4 fake",
     b"\x89PNG\r\n\x1a\n" + b"\x00" * 50],
)
def test_non_images_are_rejected_with_a_message(gen_product, data):
    product = gen_product()
    with pytest.raises(ImageRejected) as info:
        add_product_image(product, data, alt_text="x")
    assert str(info.value)


def test_gif_is_refused_even_when_valid(gen_product):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(ImageRejected, match="JPEG, PNG atau WebP"):
        add_product_image(gen_product(), out.getvalue(), alt_text="x")


def test_derived_image_served_with_long_cache(client, gen_product):
    product = gen_product(image=True)
    stem = product.images[0].storage_key.split(".")[0]
    response = client.get(f"/media/{stem}/thumb.webp")
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.public and response.cache_control.immutable
    assert Image.open(io.BytesIO(response.data)).size == (320, 240)


def test_missing_derivative_is_regenerated_from_the_original(client, gen_product):
    product = gen_product(image=True)
    key = product.images[0].storage_key
    path = get_storage().local_path(derived_key(key, "card"))
    path.unlink()
    response = client.get(f"/media/{key.split('.')[0]}/card.webp")
    assert response.status_code == 200
    assert path.exists()


def test_unknown_images_are_404(client):
    assert client.get(f"/media/{'0' * 20}/thumb.webp").status_code == 404
    assert client.get(f"/media/{'0' * 20}/huge.webp").status_code == 404
    assert client.get("/media/..%2F..%2Fetc/thumb.webp").status_code == 404
