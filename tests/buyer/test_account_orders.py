"""Guest orders join an account once its e-mail is verified: in the history and in the
privacy export; unverified accounts see only what they ordered signed in; a new e-mail
verifies again. The history shows items per parcel in a fixed number of queries."""

import json
import re
from urllib.parse import urlsplit

import pytest

from tests.buyer.helpers import mails
from tests.factories import PASSWORD, login

EXPORT = "/account/privacy/export.json"


def _register(client, email="budi@example.com"):
    response = client.post("/account/register", data={
        "name": "Budi Santoso", "email": email, "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    return next(m for m in mails(email) if "/account/verify/" in m.text_body)


def _verify_link(message):
    url = re.search(r"https?://\S+/account/verify/\S+", message.text_body).group(0)
    return urlsplit(url).path


@pytest.fixture
def guest_order(gen_paid_order, product_a):
    """Placed without an account by budi@example.com (the factories' contact)."""
    return gen_paid_order({product_a: 2}).order


def test_verified_account_sees_its_guest_orders_and_exports_them(app, guest_order):
    client = app.test_client()
    message = _register(client)
    login(client, "budi@example.com")
    history = client.get("/account/orders").get_data(as_text=True)
    assert guest_order.number not in history  # not verified yet
    assert "belum dikonfirmasi" in history
    export = json.loads(client.get(EXPORT).get_data(as_text=True))
    assert export["orders"] == []
    assert client.get(f"/orders/{guest_order.number}").status_code == 404

    response = client.get(_verify_link(message))
    assert response.status_code == 302
    history = client.get("/account/orders").get_data(as_text=True)
    assert guest_order.number in history and "Kursi Rotan Sanana" in history
    assert client.get(f"/orders/{guest_order.number}").status_code == 200
    export = json.loads(client.get(EXPORT).get_data(as_text=True))
    assert [o["number"] for o in export["orders"]] == [guest_order.number]


def test_the_verification_link_needs_the_accounts_password(app, guest_order):
    """Whoever only reads the mailbox (or registered with someone else's address) cannot
    verify alone: the link asks to sign in as the account."""
    from shop.accounts.services import user_by_email

    client = app.test_client()
    message = _register(client)
    response = client.get(_verify_link(message))
    assert urlsplit(response.headers["Location"]).path == "/account/login"
    assert user_by_email("budi@example.com").email_verified_at is None


def test_a_verification_link_of_another_account_or_tampered_is_refused(app, gen_customer):
    from shop.accounts.services import user_by_email

    client = app.test_client()
    message = _register(client)
    gen_customer(email="lain@example.com")
    other = app.test_client()
    login(other, "lain@example.com")
    assert other.get(_verify_link(message)).status_code == 400
    login(client, "budi@example.com")
    assert client.get(_verify_link(message)[:-3] + "xyz").status_code == 400
    assert user_by_email("budi@example.com").email_verified_at is None
    assert user_by_email("lain@example.com").email_verified_at is None


def test_changing_the_email_verifies_again(app, guest_order):
    from shop.accounts.services import user_by_email

    client = app.test_client()
    client_message = _register(client)
    login(client, "budi@example.com")
    client.get(_verify_link(client_message))
    assert guest_order.number in client.get("/account/orders").get_data(as_text=True)
    client.post("/account/email", data={"new_email": "budi.baru@example.com",
                                        "email_password": PASSWORD})
    user = user_by_email("budi.baru@example.com")
    assert user is not None and user.email_verified_at is None
    assert guest_order.number not in client.get("/account/orders").get_data(as_text=True)
    assert any("diganti" in m.subject for m in mails("budi@example.com"))
    new_link = next(m for m in mails("budi.baru@example.com") if "/account/verify/" in
                    m.text_body)
    # the old address's link no longer verifies anything
    assert client.get(_verify_link(client_message)).status_code in (302, 400)
    assert user_by_email("budi.baru@example.com").email_verified_at is None
    assert client.get(_verify_link(new_link)).status_code == 302
    assert user_by_email("budi.baru@example.com").email_verified_at is not None


def test_changing_to_a_taken_email_changes_nothing(app, gen_customer):
    from shop.accounts.services import user_by_email

    gen_customer(email="sari@contoh.id")
    client = app.test_client()
    _register(client)
    login(client, "budi@example.com")
    client.post("/account/email", data={"new_email": "sari@contoh.id",
                                        "email_password": PASSWORD})
    assert user_by_email("budi@example.com") is not None
    assert any("mencoba" in m.subject for m in mails("sari@contoh.id"))


def test_someone_elses_guest_orders_never_join(app, guest_order, gen_customer):
    from shop.core.time import utcnow
    from shop.extensions import db

    user = gen_customer(email="orang.lain@example.com")
    user.email_verified_at = utcnow()
    db.session.commit()
    client = app.test_client()
    login(client, user.email)
    assert guest_order.number not in client.get("/account/orders").get_data(as_text=True)
    assert client.get(f"/orders/{guest_order.number}").status_code == 404


def test_history_shows_items_per_parcel_in_fixed_queries(app, gen_customer, gen_order,
                                                         product_a, product_b, staff_a,
                                                         count_queries):
    from shop.extensions import db
    from shop.orders.services import mark_paid

    user = gen_customer(email="budi.akun@example.com")
    client = app.test_client()
    login(client, user.email)

    from shop.cart.models import Cart

    def place(n):
        for _ in range(n):
            db.session.query(Cart).filter(Cart.user_id == user.id).delete()
            order, _token = gen_order({product_a: 1, product_b: 1}, user=user)
            mark_paid(order)
            db.session.commit()

    place(1)
    with count_queries() as few:
        page = client.get("/account/orders").get_data(as_text=True)
    for text in ("Kursi Rotan Sanana", "Tas Anyaman Soasio", "× 1", "Lapas Sanana",
                 "Rutan Soasio", "Baru"):
        assert text in page
    place(6)
    with count_queries() as many:
        client.get("/account/orders")
    assert many.count == few.count
