"""Every page and API route runs the same number of SQL queries with 10 or 1,000 products."""

import pytest
from sqlalchemy import insert

from shop.catalog.models import Product, ProductImage
from shop.core.text import search_key
from shop.core.time import utcnow

ROUTES = [
    "/",
    "/products",
    "/products?q=produk&facility=lapas-q-0&category=anak-q&flagship=1&in_stock=1&sort=price_asc",
    "/products?page=2",
    "/products/produk-q-5",
    "/facilities",
    "/facilities/lapas-q-0",
    "/api/v1/products",
    "/api/v1/products?per_page=100&sort=name",
    "/api/v1/products/produk-q-5",
    "/api/v1/facilities",
    "/api/v1/facilities/lapas-q-0",
]


def seed(n, gen_facility, gen_category, db_session):
    facilities = [gen_facility(slug=f"lapas-q-{i}", name=f"Lapas Q {i}") for i in range(3)]
    parent = gen_category("Induk Q", slug="induk-q")
    child = gen_category("Anak Q", slug="anak-q", parent=parent)
    now = utcnow()
    rows = [
        dict(facility_id=facilities[i % 3].id, category_id=child.id, slug=f"produk-q-{i}",
             name=f"Produk Q {i}", description="Deskripsi", price=1000 + i, unit="piece",
             weight_grams=100, stock=0 if i % 7 == 3 else 5, is_flagship=i % 4 == 0,
             flagship_year=2025 if i % 4 == 0 else None, is_perishable=False,
             status="active", search_text=search_key(f"Produk Q {i} Deskripsi"),
             created_at=now, updated_at=now)
        for i in range(n)
    ]
    db_session.execute(insert(Product), rows)
    ids = db_session.scalars(Product.__table__.select().with_only_columns(Product.id)).all()
    db_session.execute(insert(ProductImage), [
        dict(product_id=pid, position=pos, alt_text="foto", storage_key=f"{pid:020x}{pos}.png",
             width=10, height=10, created_at=now)
        for pid in ids for pos in range(2)
    ])
    db_session.commit()


def counts(client, count_queries, db_session):
    result = {}
    for url in ROUTES:
        db_session.expunge_all()
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        result[url] = counter.count
    return result


@pytest.fixture
def measure(client, count_queries, db_session, gen_facility, gen_category):
    def run(n):
        seed(n, gen_facility, gen_category, db_session)
        return counts(client, count_queries, db_session)

    return run


def test_query_counts_do_not_grow_with_the_catalogue(measure, db_session):
    from shop.catalog.models import Category
    from shop.facilities.models import Facility

    small = measure(10)
    # empty and re-seed with 100x more products
    db_session.execute(ProductImage.__table__.delete())
    db_session.execute(Product.__table__.delete())
    db_session.execute(Category.__table__.delete().where(Category.parent_id.isnot(None)))
    db_session.execute(Category.__table__.delete())
    db_session.execute(Facility.__table__.delete())
    db_session.commit()
    large = measure(1000)
    assert large == small
    # and the counts stay small: a page needs a handful of queries, not one per product
    assert max(small.values()) <= 8, small


def test_the_first_page_reads_its_total_in_the_same_statement(client, count_queries, db_session,
                                                             gen_facility, gen_category):
    """/products: the first page's cards and the total come in one statement (the content
    version is the other); a later page reads the total, then the page; a page past the last
    shows the last one. The number on the page is the total either way."""
    import re

    seed(30, gen_facility, gen_category, db_session)

    def shown(url):
        db_session.expunge_all()
        with count_queries() as counter:
            html = client.get(url).get_data(as_text=True)
        found = re.search(r'id="result-count"[^>]*>(\d+) produk', html)
        cards = len(re.findall(r'<article class="card"', html))
        return int(found.group(1)), cards, counter.count

    shown("/products")  # (the lists kept per content version are read here)
    first = shown("/products")
    assert first[:2] == (30, 24)
    assert shown("/products?page=2")[:2] == (30, 6)
    assert shown("/products?page=9")[:2] == (30, 6)  # past the last: the last page
    assert shown("/products?page=2")[2] == first[2] + 1
    assert shown("/products?facility=lapas-q-1&flagship=1")[:2] == (3, 3)  # 4, 16, 28
    assert shown("/products?facility=lapas-q-2&min_price=999999")[:2] == (0, 0)
