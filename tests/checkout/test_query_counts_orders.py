"""The cart, checkout and order pages read with a fixed number of queries."""

import pytest

from shop.cart.services import create_cart, set_quantity
from shop.extensions import db


@pytest.fixture
def shop_with(gen_facility, gen_category, gen_product, gen_rates):
    def build(facilities, per_facility):
        cat = gen_category("Umum", slug="umum-qc")
        products = []
        for f in range(facilities):
            facility = gen_rates(gen_facility(slug=f"lapas-qc-{f}", name=f"Lapas QC {f}"))
            for p in range(per_facility):
                products.append(gen_product(facility=facility, category=cat, stock=50,
                                             slug=f"p-{f}-{p}", image=True))
        return products

    return build


def measure(client, count_queries, db_session, product_ids, gen_order):
    from shop.catalog.models import Product

    products = [db_session.get(Product, pid) for pid in product_ids]
    with client.session_transaction() as sess:
        sess.clear()
    cart = create_cart()
    for product in products:
        set_quantity(cart, product.slug, 2)
    db.session.commit()
    with client.session_transaction() as sess:
        sess["cart_token"] = cart.token
    counts = {}
    for url in ["/cart", "/checkout"]:
        db_session.expunge_all()
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts[url] = counter.count
    products = [db_session.get(Product, pid) for pid in product_ids]
    order, token = gen_order({p: 1 for p in products})
    number = order.number
    db_session.expunge_all()
    with count_queries() as counter:
        assert client.get(f"/orders/{number}?token={token}").status_code == 200
    counts["order"] = counter.count
    with count_queries() as counter:
        assert client.get(f"/api/v1/orders/{number}",
                          headers={"X-Order-Token": token}).status_code == 200
    counts["api-order"] = counter.count
    return counts


def test_counts_do_not_grow_with_lines_and_parcels(client, count_queries, db_session,
                                                    shop_with, gen_order):
    ids = [p.id for p in shop_with(facilities=4, per_facility=3)]
    small = measure(client, count_queries, db_session, ids[:1], gen_order)
    large = measure(client, count_queries, db_session, ids, gen_order)
    assert large == small, (small, large)
