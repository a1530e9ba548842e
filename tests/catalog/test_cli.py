"""CLI verbs through Flask's test runner."""

from sqlalchemy import func, select

from shop.catalog.models import Product, ProductImage
from shop.demo import data
from shop.facilities.models import Facility
from shop.media.images import SIZES, derived_key
from shop.media.storage import get_storage


def count(db_session, model):
    return db_session.scalar(select(func.count(model.id)))


def test_seed_demo_creates_the_ten_units_and_is_idempotent(runner, db_session, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "demo" in result.output.lower()
    assert count(db_session, Facility) == 10
    products = count(db_session, Product)
    assert products == sum(len(items) for items in data.PRODUCTS.values())
    assert count(db_session, ProductImage) == products  # one generated picture each

    # every facility has at least three products and meets the two-flagship target
    body = client.get("/api/v1/facilities").get_json()
    assert body["total"] == 10
    for facility in body["items"]:
        assert facility["product_count"] >= 3, facility["slug"]
        assert facility["flagship_target"]["met"], facility["slug"]
    # a few sold out, a few with food registration numbers
    sold_out = client.get("/api/v1/products?per_page=100").get_json()["items"]
    assert sum(p["stock"] == 0 for p in sold_out) >= 2
    assert sum(bool(p["pirt_number"] or p["bpom_number"]) for p in sold_out) >= 3

    # derived sizes are made on first request, then served from storage
    image = db_session.scalars(select(ProductImage)).first()
    stem = image.storage_key.split(".")[0]
    for size in SIZES:
        response = client.get(f"/media/{stem}/{size}.webp")
        assert response.status_code == 200 and response.mimetype == "image/webp"
        assert get_storage().exists(derived_key(image.storage_key, size))

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "Produk baru: 0" in again.output
    assert count(db_session, Product) == products
    assert count(db_session, Facility) == 10


def test_seed_if_empty_skips_a_database_with_data(runner, gen_facility, db_session):
    gen_facility()
    result = runner.invoke(args=["seed-if-empty"])
    assert result.exit_code == 0
    assert "dilewati" in result.output
    assert count(db_session, Facility) == 1
