"""Customer accounts: register, sign in/out, password reset and change, profile, guest cart
merge at sign-in, order history."""

import re
import time
from datetime import timedelta

import pytest
from flask import g
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from shop.accounts.models import User
from shop.core.time import utcnow
from shop.core.tokens import hash_token, new_order_number

PASSWORD = "kata-sandi-rahasia"
NEW_PASSWORD = "sandi-baru-yang-panjang"


class FreshClient(FlaskClient):
    """The test app context is shared by every request (see conftest), and Flask-Login keeps
    the signed-in user in `g`: forget it before each request, as a real request would."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


def browser(app):
    return FreshClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def client(app):
    return browser(app)


@pytest.fixture
def make_user(db_session):
    def make(email="sari@contoh.id", password=PASSWORD, name="Sari", **fields):
        user = User(email=email, name=name, role="customer", **fields)
        user.set_password(password)
        db_session.add(user)
        db_session.commit()
        return user

    return make


def login(client, email="sari@contoh.id", password=PASSWORD, **extra):
    return client.post("/account/login", data={"email": email, "password": password, **extra})


def is_signed_in(client):
    return client.get("/account").status_code == 200


def users():
    from shop.extensions import db

    return db.session.scalars(select(User).order_by(User.id)).all()


def outbox():
    from shop.extensions import db
    from shop.mail.models import OutboxMessage

    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


# ------------------------------------------------------------------ register

def test_register_creates_a_customer_who_can_sign_in_and_shop_at_once(client):
    response = client.post("/account/register", data={
        "name": "  Budi Santoso ", "email": "Budi.Santoso@Contoh.ID",
        "password": PASSWORD, "confirm": PASSWORD,
    })
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/register/sent")
    [user] = users()
    assert (user.email, user.name, user.role) == ("budi.santoso@contoh.id", "Budi Santoso",
                                                  "customer")
    assert user.password_hash and PASSWORD not in user.password_hash
    assert user.email_verified_at is None
    [mail] = outbox()
    assert mail.to_address == "budi.santoso@contoh.id"
    assert "/account/verify/" in mail.text_body
    # no verification needed to sign in and shop
    login(client, "budi.santoso@contoh.id")
    page = client.get("/account")
    assert page.status_code == 200
    assert "budi.santoso@contoh.id" in page.get_data(as_text=True)


def test_register_form_has_accessible_fields(client):
    html = client.get("/account/register").get_data(as_text=True)
    for field_id, autocomplete in (("name", "name"), ("email", "email"),
                                   ("password", "new-password"), ("confirm", "new-password")):
        assert f'<label for="{field_id}">' in html
        tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html).group(0)
        assert f'autocomplete="{autocomplete}"' in tag
    assert 'minlength="10"' in re.search(r'<input[^>]*id="password"[^>]*>', html).group(0)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"password": "pendek", "confirm": "pendek"}, "password", "minimal 10 karakter"),
    ({"confirm": "sandi-yang-lain-sekali"}, "confirm", "tidak sama"),
    ({"email": "bukan-surel"}, "email", "tidak valid"),
    ({"name": "   "}, "name", "Nama wajib diisi"),
])
def test_register_refuses_bad_input_and_links_the_error(client, data, field, message):
    form = {"name": "Budi", "email": "budi@contoh.id", "password": PASSWORD, "confirm": PASSWORD}
    form.update(data)
    response = client.post("/account/register", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    tag = re.search(rf'<input[^>]*id="{field}"[^>]*>', html).group(0)
    assert f'aria-describedby="{field}-error"' in tag or f'{field}-error"' in tag
    assert 'aria-invalid="true"' in tag
    assert f'id="{field}-error"' in html
    assert users() == []


def test_registering_a_taken_email_answers_the_same_and_mails_the_owner(app, client,
                                                                       make_user):
    make_user(email="sari@contoh.id")
    taken = client.post("/account/register", data={
        "name": "Sari Lain", "email": "SARI@contoh.id", "password": PASSWORD, "confirm": PASSWORD,
    })
    fresh = app.test_client().post("/account/register", data={
        "name": "Sari Lain", "email": "baru@contoh.id", "password": PASSWORD, "confirm": PASSWORD,
    })
    assert (taken.status_code, taken.headers["Location"]) == \
        (fresh.status_code, fresh.headers["Location"])
    assert client.get(taken.headers["Location"]).get_data() == \
        app.test_client().get(fresh.headers["Location"]).get_data()
    assert [u.email for u in users()] == ["sari@contoh.id", "baru@contoh.id"]
    assert not is_signed_in(client)
    owner_mail = next(m for m in outbox() if m.to_address == "sari@contoh.id")
    assert "mencoba membuat akun" in owner_mail.text_body
    assert "/account/forgot" in owner_mail.text_body and "/account/login" in owner_mail.text_body
    assert "/account/verify/" not in owner_mail.text_body


# ------------------------------------------------------------------ sign in / out

def test_login_wrong_password_then_right(client, make_user):
    make_user()
    for email, password in (("sari@contoh.id", "salah-sekali-ya"), ("tidak@ada.id", PASSWORD)):
        response = login(client, email, password)
        assert response.status_code == 422
        assert "Surel atau kata sandi salah." in response.get_data(as_text=True)
        assert not is_signed_in(client)

    response = login(client, " Sari@Contoh.ID ", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert is_signed_in(client)
    assert users()[0].last_login_at is not None


@pytest.mark.parametrize(("next_url", "expected"), [
    ("/account/orders", "/account/orders"),
    ("https://jahat.example/", "/"),
    ("//jahat.example/", "/"),
])
def test_login_follows_only_local_next(client, make_user, next_url, expected):
    make_user()
    response = client.post("/account/login", query_string={"next": next_url},
                           data={"email": "sari@contoh.id", "password": PASSWORD})
    assert response.headers["Location"] == expected


def test_pages_need_sign_in(client):
    for path in ("/account", "/account/orders"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/login?next=")


def test_logout_is_post_only(client, make_user):
    make_user()
    login(client)
    assert client.get("/account/logout").status_code == 405
    assert is_signed_in(client)
    response = client.post("/account/logout")
    assert response.status_code == 302
    assert not is_signed_in(client)


def test_deactivated_account_cannot_sign_in(client, make_user):
    make_user(is_active_account=False)
    response = login(client)
    assert response.status_code == 422
    assert "tidak aktif" in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_deactivating_signs_out_an_open_session(client, make_user, db_session):
    user = make_user()
    login(client)
    user.is_active_account = False
    db_session.commit()
    assert not is_signed_in(client)


# ------------------------------------------------------------------ forgotten password

def reset_link(message):
    return re.search(r"http://127\.0\.0\.1:5000(/account/reset/\S+)",
                     message.text_body).group(1)


def test_forgot_password_answers_the_same_whether_or_not_the_account_exists(client, make_user):
    make_user()
    answers = []
    for email in ("orang@lain.id", "Sari@Contoh.id"):
        response = client.post("/account/forgot", data={"email": email}, follow_redirects=True)
        assert response.status_code == 200
        answers.append("Jika surel terdaftar, tautan sudah dikirim" in response.get_data(True))
    assert answers == [True, True]
    [message] = outbox()
    assert message.to_address == "sari@contoh.id"
    assert "/account/reset/" in message.html_body


def test_reset_link_works_once(client, make_user, app):
    make_user()
    client.post("/account/forgot", data={"email": "sari@contoh.id"})
    link = reset_link(outbox()[0])

    other_browser = browser(app)
    login(other_browser)
    assert is_signed_in(other_browser)

    page = client.get(link)
    assert page.status_code == 200
    assert 'autocomplete="new-password"' in page.get_data(as_text=True)
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert is_signed_in(client)
    assert not is_signed_in(other_browser)  # signed out everywhere else

    again = browser(app)
    assert again.get(link).status_code == 400
    assert again.post(link, data={"password": "lagi-lagi-sandi", "confirm": "lagi-lagi-sandi"}
                      ).status_code == 400
    assert login(again, password=PASSWORD).status_code == 422
    assert login(again, password=NEW_PASSWORD).status_code == 302


def test_reset_link_expires_after_an_hour(client, make_user, monkeypatch):
    from shop.accounts.services import make_reset_token

    user = make_user()
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 3601)
    token = make_reset_token(user)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    response = client.get(f"/account/reset/{token}")
    assert response.status_code == 400
    assert "Tautan tidak berlaku" in response.get_data(as_text=True)


@pytest.mark.parametrize("token", ["rusak", "eyJpZCI6MSwidiI6MX0.AAAA.BBBB", "x" * 600])
def test_tampered_reset_link_is_refused(client, make_user, token):
    make_user()
    assert client.get(f"/account/reset/{token}").status_code == 400


def test_reset_refuses_a_short_password(client, make_user):
    make_user()
    client.post("/account/forgot", data={"email": "sari@contoh.id"})
    link = reset_link(outbox()[0])
    response = client.post(link, data={"password": "pendek", "confirm": "pendek"})
    assert response.status_code == 422
    assert not is_signed_in(client)
    assert client.get(link).status_code == 200  # still usable


# ------------------------------------------------------------------ profile and password

def test_profile_update_normalizes_the_phone(client, make_user):
    make_user()
    login(client)
    response = client.post("/account", data={"name": "Sari Wulandari", "phone": "0812-3456-7890"})
    assert response.status_code == 302
    user = users()[0]
    assert (user.name, user.phone) == ("Sari Wulandari", "+6281234567890")

    response = client.post("/account", data={"name": "Sari", "phone": "12345"})
    assert response.status_code == 422
    assert "Nomor HP harus diawali +62 atau 08" in response.get_data(as_text=True)
    assert users()[0].phone == "+6281234567890"


def test_password_change_signs_out_only_other_sessions(app, make_user):
    make_user()
    phone, laptop = browser(app), browser(app)
    login(phone)
    login(laptop)

    wrong = laptop.post("/account/password", data={
        "current_password": "bukan-sandi-ini", "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    })
    assert wrong.status_code == 422
    assert "Kata sandi saat ini salah." in wrong.get_data(as_text=True)
    assert is_signed_in(phone)

    response = laptop.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    })
    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert login(phone, password=NEW_PASSWORD).status_code == 302


# ------------------------------------------------------------------ cart at sign-in

def test_guest_cart_merges_into_the_account_cart(client, make_user, gen_product, db_session):
    from shop.cart.services import cart_by_token, cart_for_user, create_cart, set_quantity

    user = make_user()
    kopi = gen_product(name="Kopi Jahe", slug="kopi-jahe", stock=5)
    tas = gen_product(name="Tas Rajut", slug="tas-rajut", stock=8)
    owner = create_cart(user)
    set_quantity(owner, "kopi-jahe", 3)
    guest = create_cart()
    set_quantity(guest, "kopi-jahe", 4)
    set_quantity(guest, "tas-rajut", 2)
    db_session.commit()
    guest_token, owner_token = guest.token, owner.token
    with client.session_transaction() as s:
        s["cart_token"] = guest_token

    assert login(client).status_code == 302

    db_session.expire_all()
    cart = cart_for_user(user)
    assert cart.token == owner_token
    assert {line.product_id: line.quantity for line in cart.lines} == {kopi.id: 5, tas.id: 2}
    assert cart_by_token(guest_token) is None
    with client.session_transaction() as s:
        assert s["cart_token"] == owner_token
        assert s["cart_count"] == 7


def test_guest_cart_is_adopted_when_the_account_has_none(client, make_user, gen_product,
                                                         db_session):
    from shop.cart.services import cart_for_user, create_cart, set_quantity

    user = make_user()
    gen_product(slug="sambal-roa", stock=10)
    guest = create_cart()
    set_quantity(guest, "sambal-roa", 2)
    db_session.commit()
    with client.session_transaction() as s:
        s["cart_token"] = guest.token

    client.post("/account/register", data={"name": "Budi", "email": "budi@contoh.id",
                                           "password": PASSWORD, "confirm": PASSWORD})
    login(client, "budi@contoh.id")
    db_session.expire_all()
    budi = db_session.scalar(select(User).where(User.email == "budi@contoh.id"))
    assert cart_for_user(budi).token == guest.token
    assert cart_for_user(user) is None

    client.post("/account/logout")
    with client.session_transaction() as s:
        assert "cart_token" not in s  # the next visitor does not get Budi's cart


def test_another_accounts_cart_is_never_taken(client, make_user, gen_product, db_session):
    from shop.cart.models import Cart
    from shop.cart.services import cart_for_user, create_cart, set_quantity

    sari = make_user()
    other = make_user(email="lain@contoh.id")
    gen_product(slug="sambal-roa", stock=10)
    foreign = create_cart(other)
    set_quantity(foreign, "sambal-roa", 2)
    db_session.commit()
    with client.session_transaction() as s:
        s["cart_token"] = foreign.token

    login(client)
    db_session.expire_all()
    assert cart_for_user(sari) is None
    assert cart_for_user(other).lines[0].quantity == 2
    assert db_session.scalar(select(func.count()).select_from(Cart)) == 1
    with client.session_transaction() as s:
        assert "cart_token" not in s


# ------------------------------------------------------------------ order history

def make_order(db_session, user, status="pending_payment", total=60_000, age_days=0):
    from shop.orders.models import Order

    order = Order(
        number=new_order_number(), token_hash=hash_token("rahasia"),
        user_id=user.id if user else None, status=status, contact_name="Sari",
        email="sari@contoh.id", phone="+6281234567890", street="Jl. Pahlawan No. 1",
        kelurahan="Makassar Timur", kecamatan="Ternate Tengah", city="Kota Ternate",
        province="Maluku Utara", postal_code="97711", subtotal=total - 10_000,
        shipping_total=10_000, discount_total=0, total=total,
        expires_at=utcnow() + timedelta(minutes=30),
        created_at=utcnow() - timedelta(days=age_days),
    )
    db_session.add(order)
    db_session.commit()
    return order


def test_order_history_lists_only_own_orders_newest_first(client, make_user, db_session):
    sari = make_user()
    other = make_user(email="lain@contoh.id")
    old = make_order(db_session, sari, status="completed", total=125_000, age_days=10)
    new = make_order(db_session, sari, status="paid", total=60_000, age_days=1)
    foreign = make_order(db_session, other, status="paid")
    guest = make_order(db_session, None)
    login(client)

    html = client.get("/account/orders").get_data(as_text=True)
    numbers = re.findall(r'href="/orders/(EB-[A-Z0-9]+)"', html)
    assert numbers == [new.number, old.number]
    assert foreign.number not in html and guest.number not in html
    assert "Dibayar" in html and "Selesai" in html
    assert "Rp125.000" in html and "WIT" in html


def test_order_history_empty(client, make_user):
    make_user()
    login(client)
    html = client.get("/account/orders").get_data(as_text=True)
    assert "Belum ada pesanan" in html


def test_order_history_query_count_does_not_grow(client, make_user, db_session,
                                                 count_queries):
    sari = make_user()
    make_order(db_session, sari)
    login(client)
    with count_queries() as few:
        assert client.get("/account/orders").status_code == 200
    for days in range(1, 6):
        make_order(db_session, sari, status="expired", age_days=days)
    with count_queries() as many:
        html = client.get("/account/orders").get_data(as_text=True)
    assert html.count('class="order-row"') == 6
    assert many.count == few.count


def test_order_history_pages(client, make_user, db_session):
    from shop.customer.queries import ORDERS_PER_PAGE

    sari = make_user()
    for days in range(ORDERS_PER_PAGE + 2):
        make_order(db_session, sari, age_days=days)
    login(client)
    first = client.get("/account/orders").get_data(as_text=True)
    assert first.count('class="order-row"') == ORDERS_PER_PAGE
    assert 'rel="next"' in first
    second = client.get("/account/orders?page=2").get_data(as_text=True)
    assert second.count('class="order-row"') == 2
    assert 'rel="next"' not in second
    assert client.get("/account/orders?page=abc").status_code == 200
