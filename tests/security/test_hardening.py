"""Regression tests for the adversarial pass (issue: hardening). Each one failed before its
fix: links from a configured address, production refusing test secrets, sessions that end,
JSON too deep, HSTS, open redirects."""

import pytest
from flask import session
from sqlalchemy import select

from config import ProductionConfig
from shop.accounts.models import ApiToken, User, UserSession
from shop.extensions import db
from shop.mail.models import OutboxMessage
from tests.conftest import TestConfig

PASSWORD = "kata-sandi-aman-1"


@pytest.fixture
def sari(app):
    user = User(email="sari@contoh.id", name="Sari", role="customer")
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def _login(client, remember=False):
    data = {"email": "sari@contoh.id", "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/account/login", data=data)
    assert response.status_code == 302
    return response


def _signed_in(client):
    return client.get("/account").status_code == 200


# ------------------------------------------------------------------ 1. reset-link poisoning

def test_a_forged_host_header_never_reaches_the_reset_link(client, sari):
    client.post("/account/forgot", data={"email": sari.email},
                headers={"Host": "evil.example.com"})
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert "evil.example.com" not in mail.text_body + mail.html_body
    assert f"{TestConfig.SHOP_BASE_URL}/account/reset/" in mail.text_body


def test_staff_invitations_use_the_configured_address_too(app, gen_facility):
    from shop.accounts.provisioning import create_staff

    facility = gen_facility()
    with app.test_request_context("/", base_url="http://evil.example.com"):
        create_staff("petugas@contoh.id", facility, "Petugas")
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert "evil.example.com" not in mail.text_body
    assert f"{TestConfig.SHOP_BASE_URL}/account/reset/" in mail.text_body


def _production(**settings):
    good = dict(SECRET_KEY="x" * 40, SHOP_BASE_URL="https://etalasebinaan.example.id",
                TRUSTED_HOSTS=["etalasebinaan.example.id"],
                STRIPE_SECRET_KEY="sk_live_" + "a" * 24, STRIPE_PUBLISHABLE_KEY="pk_live_abc",
                STRIPE_WEBHOOK_SECRET="whsec_" + "b" * 32,
                STRIPE_API_BASE="https://api.stripe.com", STRIPE_JS_URL="https://js.stripe.com/v3/",
                MIDTRANS_SERVER_KEY="Mid-server-" + "c" * 20, MIDTRANS_IS_PRODUCTION=True,
                MIDTRANS_API_BASE="", MIDTRANS_SNAP_BASE="",
                RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
                SQLALCHEMY_DATABASE_URI=TestConfig.SQLALCHEMY_DATABASE_URI,
                PAYMENT_METHODS="bank_transfer,midtrans,card,pay_at_pickup")
    good.update(settings)
    return type("Prod", (ProductionConfig,), good)


def test_a_production_config_with_real_settings_starts():
    from shop import create_app

    assert _production().problems() == []
    create_app(_production())


@pytest.mark.parametrize("settings", [
    {"SECRET_KEY": "dev-only-not-secret"},
    {"SHOP_BASE_URL": ""},
    {"SHOP_BASE_URL": "http://etalasebinaan.example.id"},
    {"STRIPE_SECRET_KEY": ""},
    {"STRIPE_SECRET_KEY": "sk_test_localstripe"},
    {"STRIPE_WEBHOOK_SECRET": "whsec_localstripe_dev"},
    {"STRIPE_WEBHOOK_SECRET": ""},
    {"STRIPE_API_BASE": "http://127.0.0.1:8420"},
    {"MIDTRANS_SERVER_KEY": ""},
    {"MIDTRANS_SERVER_KEY": "SB-Mid-server-fake-dev"},
    {"MIDTRANS_IS_PRODUCTION": False},
    {"MIDTRANS_API_BASE": "http://127.0.0.1:8430"},
    {"RATELIMIT_STORAGE_URI": "memory://"},
    {"STRIPE_SECRET_KEY": "sk_live_change-me"},
    {"SECRET_KEY": "change-me-to-64-random-hex-characters"},
], ids=lambda settings: ",".join(f"{k}={v!r}" for k, v in settings.items()))
def test_production_refuses_to_start_with_a_default_or_test_setting(settings):
    from shop import create_app

    with pytest.raises(RuntimeError, match="refusing to start in production"):
        create_app(_production(**settings))


def test_a_disabled_gateway_needs_no_keys():
    config = _production(PAYMENT_METHODS="bank_transfer,pay_at_pickup", STRIPE_SECRET_KEY="",
                         STRIPE_WEBHOOK_SECRET="", MIDTRANS_SERVER_KEY="")
    assert config.problems() == []


def test_production_refuses_an_untrusted_host_and_sends_hsts():
    from shop import create_app

    client = create_app(_production()).test_client()
    ok = client.get("/healthz", headers={"Host": "etalasebinaan.example.id"})
    assert ok.status_code in (200, 503)
    assert ok.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert client.get("/healthz", headers={"Host": "evil.example.com"}).status_code == 400


# ------------------------------------------------------------------ 6. sessions that end

def test_a_session_cookie_replayed_after_sign_out_opens_nothing(app, client, sari):
    _login(client)
    assert _signed_in(client)
    stolen = client.get_cookie("session").value
    client.post("/account/logout")
    assert not _signed_in(client)
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/account").status_code == 302  # to the sign-in page
    row = db.session.scalars(select(UserSession)).one()
    assert row.revoked_at is not None


def test_a_remember_cookie_is_rotated_and_dies_with_sign_out(app, client, sari):
    _login(client, remember=True)
    first = client.get_cookie("remember_token").value
    fresh = app.test_client()  # a new browser session with only the remember cookie
    fresh.set_cookie("remember_token", first)
    assert _signed_in(fresh)
    rotated = fresh.get_cookie("remember_token").value
    assert rotated != first
    again = app.test_client()
    again.set_cookie("remember_token", first)  # the old copy is worth nothing now
    assert not _signed_in(again)
    fresh.post("/account/logout")
    last = app.test_client()
    last.set_cookie("remember_token", rotated)
    assert not _signed_in(last)


def test_an_expired_session_signs_out(client, sari):
    from shop.core.time import utcnow

    _login(client)
    row = db.session.scalars(select(UserSession)).one()
    row.expires_at = utcnow()
    db.session.commit()
    assert not _signed_in(client)


def test_a_password_reset_ends_api_tokens_and_other_sessions(app, client, gen_facility):
    from shop.accounts.provisioning import create_staff
    from shop.accounts.services import reset_password
    from shop.accounts.tokens import issue_api_token

    staff = create_staff("petugas@contoh.id", gen_facility(), "Petugas", password=PASSWORD,
                         invite=False)
    token = issue_api_token(staff, "tablet")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/staff/fulfilments", headers=headers).status_code == 200
    other = app.test_client()
    other.post("/account/login", data={"email": staff.email, "password": PASSWORD})
    assert other.get("/staff/").status_code == 200
    reset_password(staff, "kata-sandi-baru-22")
    assert client.get("/api/v1/staff/fulfilments", headers=headers).status_code == 401
    assert db.session.scalars(select(ApiToken)).one().revoked_at is not None
    assert other.get("/staff/").status_code == 302


def test_guest_order_tokens_do_not_survive_a_sign_in(app, client, sari):
    with client.session_transaction() as data:
        data["order_tokens"] = {"EB-ABCDEF": "rahasia-tamu"}
    _login(client)
    with client.session_transaction() as data:
        assert "order_tokens" not in data
    assert session is not None


# ------------------------------------------------------------------ 10. input no one sends

def test_deeply_nested_json_is_a_400_never_a_500(client):
    deep = "[" * 5000 + "]" * 5000
    for url in ("/api/v1/carts", "/payments/stripe/webhook"):
        response = client.post(url, data=deep, content_type="application/json")
        assert response.status_code == 400, url
    moderate = "[" * 40 + "]" * 40
    assert client.post("/api/v1/carts", data=moderate,
                       content_type="application/json").status_code == 400


@pytest.mark.parametrize("target", ["/\t/evil.com", "//evil.com", "/\\evil.com", "https://evil.com",
                                    "/\x7f/evil.com", " //evil.com"])
def test_no_redirect_leaves_the_shop(target):
    from shop.core.urls import safe_next

    assert safe_next(target) == "/"
    assert safe_next("/products?page=2") == "/products?page=2"


# ------------------------------------------------------------------ 7. per-account lock

def test_ten_wrong_passwords_lock_the_account_and_mail_its_owner(app, client, sari):
    from shop.core.time import utcnow

    for _ in range(app.config["SIGNIN_MAX_FAILURES"]):
        client.post("/account/login", data={"email": sari.email, "password": "salah-salah-1"})
    db.session.expire_all()
    locked = db.session.get(User, sari.id)
    assert locked.locked_until is not None and locked.locked_until > utcnow()
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.to_address == sari.email and "dikunci" in mail.subject
    # the right password does not open a locked account, from any address
    other = app.test_client()
    answer = other.post("/account/login", data={"email": sari.email, "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert answer.status_code == 422 and not _signed_in(other)
    # more failures while locked send no second mail
    client.post("/account/login", data={"email": sari.email, "password": "salah-salah-1"})
    assert len(db.session.scalars(select(OutboxMessage)).all()) == 1
    # when the lock ends, the right password works and the count starts again
    locked.locked_until = utcnow()
    db.session.commit()
    _login(other)
    assert _signed_in(other)
    assert db.session.get(User, sari.id).failed_logins == 0


@pytest.mark.parametrize("quantity", ["１２", "1_0", "1e2", "٣", " 12 x", "1.0", True])
def test_quantities_take_ascii_digits_only(client, quantity, gen_product):
    product = gen_product(stock=50)
    token = client.post("/api/v1/carts").get_json()["token"]
    response = client.put(f"/api/v1/carts/{token}/lines/{product.slug}",
                          json={"quantity": quantity})
    assert response.status_code == 422, quantity
    assert response.get_json()["error"]["code"] == "invalid_quantity"
    ok = client.put(f"/api/v1/carts/{token}/lines/{product.slug}", json={"quantity": "12"})
    assert ok.status_code == 200
    assert ok.get_json()["facilities"][0]["lines"][0]["quantity"] == 12
