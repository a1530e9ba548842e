"""Fixtures for the facility desk: two facilities (A and B) each with a staff member, a customer,
a Kanwil admin and a partner user; a paid two-facility order; sign-in and API-token helpers."""

from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

PASSWORD = "rahasia-panjang-1"

@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch):
    """scrypt takes ~0.1 s a hash; the desk tests make many accounts. Checking still works:
    werkzeug reads the method from the stored hash."""
    monkeypatch.setattr("shop.accounts.models.generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1000"))


def login(client, email, password=PASSWORD):
    """Sign in through the real form; asserts it worked."""
    response = client.post("/account/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert "/account/login" not in response.headers["Location"]
    return response


@pytest.fixture
def facility_a(make_facility, with_rates):
    return with_rates(make_facility(slug="lapas-sanana", name="Lapas Sanana", town="Sanana",
                                    regency="Kepulauan Sula", email="lapas-sanana@x.test",
                                    address="Jl. Lapas No. 1, Sanana"))


@pytest.fixture
def facility_b(make_facility, with_rates):
    return with_rates(make_facility(slug="rutan-soasio", name="Rutan Soasio", kind="rutan",
                                    town="Tidore", regency="Kota Tidore Kepulauan",
                                    address="Jl. Rutan No. 2, Soasio"))


@pytest.fixture
def product_a(make_product, facility_a):
    return make_product(facility=facility_a, name="Kursi Rotan Sanana", price=45_000, stock=10)


@pytest.fixture
def product_b(make_product, facility_b):
    return make_product(facility=facility_b, name="Tas Anyaman Soasio", price=30_000, stock=10)


@pytest.fixture
def staff_a(facility_a):
    from shop.accounts.provisioning import create_staff

    return create_staff("petugas.sanana@example.org", facility_a, "Petugas Sanana",
                        password=PASSWORD, invite=False)


@pytest.fixture
def staff_b(facility_b):
    from shop.accounts.provisioning import create_staff

    return create_staff("petugas.soasio@example.org", facility_b, "Petugas Soasio",
                        password=PASSWORD, invite=False)


@pytest.fixture
def customer(app):
    from shop.accounts.services import register_customer

    return register_customer("Budi Santoso", "budi.akun@example.com", PASSWORD)


@pytest.fixture
def admin(app):
    from shop.accounts.provisioning import create_admin

    return create_admin("kanwil@example.org", PASSWORD, "Admin Kanwil")


@pytest.fixture
def partner(app):
    """A partner user of its own organisation."""
    from shop.accounts.provisioning import create_partner_user
    from shop.extensions import db
    from shop.promotions.partners import PartnerOrganization

    org = PartnerOrganization(slug="mitra-bank", name="Mitra Bank", kind="company")
    db.session.add(org)
    db.session.flush()
    user = create_partner_user("mitra@example.net", "Mitra Bank", password=PASSWORD)
    user.partner_id = org.id
    db.session.commit()
    return user


@pytest.fixture
def people(staff_a, staff_b, customer, admin, partner):
    return SimpleNamespace(staff_a=staff_a, staff_b=staff_b, customer=customer, admin=admin,
                           partner=partner)


@pytest.fixture
def make_paid_order(place):
    """Place an order for {product: qty} with {facility slug: delivery} and mark it paid."""
    from shop.extensions import db
    from shop.orders.services import mark_paid

    def make(items, delivery=None, pay=True):
        order, token = place(items, delivery)
        if pay:
            assert mark_paid(order) == "paid"
            db.session.commit()
        by_facility = {fo.facility.slug: fo for fo in order.facility_orders}
        return SimpleNamespace(order=order, token=token, by_facility=by_facility)

    return make


@pytest.fixture
def paid_order(make_paid_order, product_a, product_b, facility_a, facility_b):
    """Two parcels: A's (2 chairs, by courier) and B's (1 bag, picked up), paid."""
    result = make_paid_order({product_a: 2, product_b: 1},
                             {facility_a.slug: "courier", facility_b.slug: "pickup"})
    result.a = result.by_facility[facility_a.slug]
    result.b = result.by_facility[facility_b.slug]
    return result


def raw_api_token(user, days=30, **fields):
    """An API token row for any user (issue_api_token refuses non-staff): returns the secret."""
    from datetime import timedelta

    from shop.accounts.models import ApiToken
    from shop.core.time import utcnow
    from shop.core.tokens import hash_token, new_token
    from shop.extensions import db

    raw = "eb_" + new_token(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(raw), name="uji",
                            expires_at=utcnow() + timedelta(days=days), **fields))
    db.session.commit()
    return raw


def bearer(token):
    return {"Authorization": f"Bearer {token}"}
