"""Signed order links in mails and /orders/lookup: a guest opens the order in any browser;
expired or altered links and wrong lookups reveal nothing."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.buyer.helpers import mails, order_link_in


@pytest.fixture
def paid(paid_order):
    return paid_order


def _paid_mail(order):
    return next(m for m in mails(order.email) if "sudah dibayar" in m.subject)


def test_paid_mail_link_opens_the_order_in_a_fresh_browser(app, paid):
    order = paid.order
    link = order_link_in(_paid_mail(order))
    assert link.startswith(f"/orders/{order.number}?k=")
    fresh = app.test_client()
    assert fresh.get(f"/orders/{order.number}").status_code == 404
    first = fresh.get(link)
    assert first.status_code == 302  # kept in the session, token out of the address
    assert urlsplit(first.headers["Location"]).path == f"/orders/{order.number}"
    page = fresh.get(f"/orders/{order.number}")
    assert page.status_code == 200
    assert "Kursi Rotan Sanana" in page.get_data(as_text=True)


def test_mail_links_use_the_configured_base_url_not_the_host(app, paid):
    for message in mails(paid.order.email):
        assert "http://localhost" not in message.text_body
        assert app.config["SHOP_BASE_URL"] in message.text_body


@pytest.mark.parametrize("damage", ["tamper", "other_order", "expired", "email_changed"])
def test_bad_links_lead_to_the_lookup_with_the_number(app, paid, gen_paid_order, product_a,
                                                      damage, monkeypatch):
    from shop.extensions import db
    from shop.orders.links import make_order_token

    order = paid.order
    token = make_order_token(order)
    if damage == "tamper":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif damage == "other_order":
        other = gen_paid_order({product_a: 1}).order
        token = make_order_token(other)
    elif damage == "expired":
        import itsdangerous.timed

        real = itsdangerous.timed.TimestampSigner.get_timestamp
        monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp",
                            lambda self: real(self) - int(timedelta(days=91).total_seconds()))
        token = make_order_token(order)
        monkeypatch.undo()
    elif damage == "email_changed":
        order.email = "orang.lain@example.com"
        db.session.commit()
    fresh = app.test_client()
    response = fresh.get(f"/orders/{order.number}?k={token}")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/orders/lookup"
    assert parse_qs(target.query)["number"] == [order.number]
    page = fresh.get(response.headers["Location"])
    body = page.get_data(as_text=True)
    assert f'value="{order.number}"' in body
    assert "Kursi Rotan Sanana" not in body
    assert fresh.get(f"/orders/{order.number}").status_code == 404


def test_link_still_works_after_89_days(app, paid, monkeypatch):
    import itsdangerous.timed

    from shop.orders.links import make_order_token

    real = itsdangerous.timed.TimestampSigner.get_timestamp
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp",
                        lambda self: real(self) - int(timedelta(days=89).total_seconds()))
    token = make_order_token(paid.order)
    monkeypatch.undo()
    fresh = app.test_client()
    assert fresh.get(f"/orders/{paid.order.number}?k={token}").status_code == 302
    assert fresh.get(f"/orders/{paid.order.number}").status_code == 200


def test_a_signed_link_of_one_order_opens_no_other(app, paid, gen_paid_order, product_a):
    other = gen_paid_order({product_a: 1}).order
    fresh = app.test_client()
    fresh.get(order_link_in(_paid_mail(paid.order)))
    assert fresh.get(f"/orders/{paid.order.number}").status_code == 200
    assert fresh.get(f"/orders/{other.number}").status_code == 404


def test_signing_out_forgets_opened_links(app, paid, customer):
    from tests.factories import login

    browser = app.test_client()
    browser.get(order_link_in(_paid_mail(paid.order)))
    login(browser, customer.email)
    assert browser.get(f"/orders/{paid.order.number}").status_code == 404
    browser.post("/account/logout")
    assert browser.get(f"/orders/{paid.order.number}").status_code == 404


# ------------------------------------------------------------------ lookup

@pytest.mark.parametrize("number,contact", [
    (None, "budi@example.com"),
    (None, "BUDI+toko@Example.com "),
    (None, "0812-3456-7890"),
    (None, "+62 812 3456 7890"),
    ("lower", "budi@example.com"),
])
def test_lookup_with_number_and_email_or_phone_opens_the_order(app, paid, number, contact):
    order = paid.order
    typed = order.number.lower().replace("-", " ") if number == "lower" else order.number
    fresh = app.test_client()
    response = fresh.post("/orders/lookup", data={"number": typed, "contact": contact})
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == f"/orders/{order.number}" and "k=" in target.query
    assert fresh.get(response.headers["Location"]).status_code == 302
    assert fresh.get(f"/orders/{order.number}").status_code == 200


def test_lookup_answers_the_same_whatever_is_wrong(app, paid):
    order = paid.order
    answers = set()
    for number, contact in [(order.number, "salah@example.com"),
                            (order.number, "0813 0000 0000"),
                            ("EB-ZZZZZZ", "budi@example.com"),
                            ("EB-ZZZZZZ", "salah@example.com"),
                            (order.number, ""), ("", ""), ("x" * 500, "@" * 500)]:
        response = app.test_client().post("/orders/lookup",
                                          data={"number": number, "contact": contact})
        assert response.status_code == 422
        body = response.get_data(as_text=True)
        assert "Pesanan tidak ditemukan" in body
        assert "Kursi Rotan Sanana" not in body
        # the page only echoes what was typed
        answers.add(re.sub(r'value="[^"]*"| autofocus|name="csrf_token"[^>]*', "", body))
    assert len(answers) == 1


def test_lookup_is_rate_limited(app, paid):
    from shop import create_app
    from shop.extensions import limiter
    from tests.conftest import TestConfig

    class Limited(TestConfig):
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"
        ORDER_LOOKUP_PER_MINUTE = 10

    limited = create_app(Limited)
    try:
        browser = limited.test_client()
        codes = [browser.post("/orders/lookup",
                              data={"number": "EB-ZZZZZZ", "contact": "a@b.id"}).status_code
                 for _ in range(11)]
    finally:
        limiter.init_app(app)
    assert codes[:10] == [422] * 10
    assert codes[10] == 429


def test_lookup_page_prefills_the_number(client):
    body = client.get("/orders/lookup?number=eb-abc234").get_data(as_text=True)
    assert 'value="EB-ABC234"' in body
