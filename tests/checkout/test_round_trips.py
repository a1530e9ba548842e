"""SQL statements per API call of a purchase (round trips are what a checkout waits on)."""

import pytest

from tests.factories import checkout_body


@pytest.fixture
def two_facility_cart(client, gen_facility, gen_category, gen_product, gen_rates):
    cat = gen_category("Umum", slug="umum-rt")
    products = []
    for f in range(2):
        facility = gen_rates(gen_facility(slug=f"lapas-rt-{f}", name=f"Lapas RT {f}"))
        for p in range(2):
            products.append(gen_product(facility=facility, category=cat, stock=50,
                                        slug=f"rt-{f}-{p}", image=True))
    return [p.slug for p in products], [f"lapas-rt-{f}" for f in range(2)]


def test_round_trips_of_a_two_facility_purchase(client, count_queries, db_session,
                                                two_facility_cart):
    slugs, facilities = two_facility_cart
    token = client.post("/api/v1/carts").get_json()["token"]
    for slug in slugs:
        db_session.expunge_all()
        with count_queries() as put_line:
            response = client.put(f"/api/v1/carts/{token}/lines/{slug}", json={"quantity": 2})
        assert response.status_code == 200
    db_session.expunge_all()
    body = checkout_body({slug: "courier" for slug in facilities},
                         payment_method="bank_transfer")
    with count_queries() as checkout:
        response = client.post(f"/api/v1/carts/{token}/checkout", json=body)
    assert response.status_code == 201, response.get_json()
    # Issue 14 started from put-line 12 / 12 and checkout 33 / 38 (PostgreSQL / SQLite; bank
    # transfer, two parcels, four products). Now: the cart in one query, one INSERT for all
    # lines and one for all events, no order-number SELECT, no customer or code queries
    # without a promotion, no reload for the answer, no SELECT of the transfer codes in use
    # (a random free code is inserted; the codes are read only after a clash). SQLite inserts
    # the two parcels one by one (its RETURNING cannot be batched in order); PostgreSQL
    # inserts them together.
    checkout_count = {"postgresql": 14, "sqlite": 15}[db_session.get_bind().dialect.name]
    assert put_line.count == 4, put_line.statements
    assert checkout.count == checkout_count, checkout.statements


def test_an_order_number_that_clashes_is_drawn_again(client, db_session, monkeypatch,
                                                     two_facility_cart):
    import shop.checkout.services as checkout_services
    from shop.orders.models import Order

    slugs, facilities = two_facility_cart
    token = client.post("/api/v1/carts").get_json()["token"]
    client.put(f"/api/v1/carts/{token}/lines/{slugs[0]}", json={"quantity": 1})
    body = checkout_body({facilities[0]: "courier"}, payment_method="bank_transfer")
    first = client.post(f"/api/v1/carts/{token}/checkout", json=body).get_json()["number"]
    numbers = iter([first, "EB-NEXT-0001"])
    monkeypatch.setattr(checkout_services, "new_order_number", lambda: next(numbers))
    client.put(f"/api/v1/carts/{token}/lines/{slugs[1]}", json={"quantity": 1})
    response = client.post(f"/api/v1/carts/{token}/checkout", json=body)
    assert response.status_code == 201, response.get_json()
    second = response.get_json()
    assert second["number"] == "EB-NEXT-0001"
    assert [p["number"] for p in second["facility_orders"]] == ["EB-NEXT-0001-1"]
    db_session.expire_all()
    assert db_session.query(Order).count() == 2


@pytest.fixture
def mailed_two_facility_cart(client, gen_facility, gen_category, gen_product, gen_rates):
    cat = gen_category("Umum", slug="umum-rt-mail")
    slugs = []
    for f in range(2):
        facility = gen_rates(gen_facility(slug=f"lapas-rtm-{f}", name=f"Lapas RTM {f}",
                                          email=f"lapas-rtm-{f}@x.test"))
        product = gen_product(facility=facility, category=cat, stock=50, slug=f"rtm-{f}")
        slugs.append(product.slug)
    return slugs, [f"lapas-rtm-{f}" for f in range(2)]


def test_round_trips_of_a_new_cart_and_of_the_payment_webhook(
        app, client, count_queries, db_session, localstripe, mailed_two_facility_cart):
    from tests.payments import event_json, signed, stripe_client

    slugs, facilities = mailed_two_facility_cart
    with count_queries() as new_cart:
        response = client.post("/api/v1/carts")
    assert response.status_code == 201
    token = response.get_json()["token"]
    for slug in slugs:
        client.put(f"/api/v1/carts/{token}/lines/{slug}", json={"quantity": 1})
    body = checkout_body({slug: "courier" for slug in facilities}, payment_method="card")
    placed = client.post(f"/api/v1/carts/{token}/checkout", json=body).get_json()
    intent = stripe_client(app).v1.payment_intents.retrieve(
        placed["payment"]["payment_intent"]).to_dict()
    intent.update(status="succeeded", amount_received=intent["amount"])
    payload = event_json("evt_round_trips", "payment_intent.succeeded", intent)
    db_session.expunge_all()
    with count_queries() as webhook:
        response = client.post("/payments/stripe/webhook", data=payload,
                               content_type="application/json",
                               headers={"Stripe-Signature": signed(
                                   payload, app.config["STRIPE_WEBHOOK_SECRET"])})
    assert response.get_json()["outcome"] == "paid"
    # A new cart: its INSERT and the automatic promotions (it was reloaded: 4). The webhook
    # of a two-parcel order mailing the buyer and both facilities was 18 / 21 (PostgreSQL /
    # SQLite): the parcels and their facilities now come in one query, not 2 + 2 per parcel
    # (the mails are rendered when sent, so their lines are not read), and the parcels' status
    # and split in one UPDATE. SQLite inserts the three mails and the two events one by one.
    webhook_count = {"postgresql": 11, "sqlite": 14}[db_session.get_bind().dialect.name]
    assert new_cart.count == 2, new_cart.statements
    assert webhook.count == webhook_count, webhook.statements
