"""Factories for every test, in one shape: a `gen_<thing>` fixture returns a function that
makes the thing through the shop's own services, commits, and returns it; the named worlds
(facility_a, staff_a, paid_order...) are built from them. Loaded through `pytest_plugins`
in tests/conftest.py, so no test module re-exports another's fixtures.
"""

import io
import itertools
from datetime import timedelta
from types import SimpleNamespace

import pytest
from PIL import Image
from werkzeug.security import generate_password_hash

PASSWORD = "rahasia-panjang-1"
_seq = itertools.count(1)

# ------------------------------------------------------------------ orders

CONTACT = {"name": "Budi Santoso", "email": "budi@example.com", "phone": "0812 3456 7890"}
ADDRESS = {"street": "Jl. Pahlawan Revolusi No. 12", "rt_rw": "003/005",
           "kelurahan": "Kalumpang", "kecamatan": "Ternate Tengah", "city": "Kota Ternate",
           "province": "Maluku Utara", "postal_code": "97712"}
# The same place picked from the official region list, as the checkout page posts it.
REGION = {"province_code": "82", "regency_code": "82.71", "district_code": "82.71.06",
          "village_code": "82.71.06.1010"}


def checkout_body(delivery, **overrides):
    body = {"contact": dict(CONTACT), "address": dict(ADDRESS), "delivery": delivery}
    body.update(overrides)
    return body


@pytest.fixture
def gen_rates(app):
    """Give a facility the demo shipping rates."""
    from shop.extensions import db
    from shop.facilities.services import set_shipping_rate

    def give(facility, same_town=(10_000, 4_000), north_maluku=(25_000, 10_000),
             indonesia=(55_000, 22_000)):
        for zone, (first, nxt) in (("same_town", same_town), ("north_maluku", north_maluku),
                                   ("indonesia", indonesia)):
            set_shipping_rate(facility, zone, first, nxt)
        db.session.commit()
        return facility

    return give


@pytest.fixture
def gen_order(app, gen_rates):
    """Place an order for {product: quantity} through the services; returns (order, token)."""
    from shop.cart.services import create_cart, load_cart, set_quantity
    from shop.checkout.addresses import validate_details
    from shop.checkout.services import place_order
    from shop.extensions import db

    def do(items, delivery=None, user=None, address=None):
        cart = create_cart(user)
        for product, quantity in items.items():
            set_quantity(cart, product.slug, quantity)
        db.session.commit()
        cart = load_cart(cart.id)
        slugs = {product.facility.slug for product in items}
        delivery = delivery or {slug: "pickup" for slug in slugs}
        details, errors = validate_details(CONTACT, address or ADDRESS)
        assert not errors, errors
        return place_order(cart, details, delivery, user=user)

    return do


# ------------------------------------------------------------------ catalogue


def png_bytes(size=(800, 600), color=(180, 90, 40)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def gen_facility(app):
    from shop.extensions import db
    from shop.facilities.services import create_facility

    def make(**fields):
        n = next(_seq)
        values = dict(slug=f"lapas-uji-{n}", name=f"Lapas Uji {n}", kind="lapas",
                      facility_class="IIB", town="Ternate", regency="Kota Ternate")
        values.update(fields)
        facility = create_facility(**values)
        db.session.commit()
        return facility

    return make


@pytest.fixture
def gen_category(app):
    from shop.catalog.services import create_category
    from shop.extensions import db

    def make(name=None, **fields):
        category = create_category(name or f"Kategori {next(_seq)}", **fields)
        db.session.commit()
        return category

    return make


@pytest.fixture
def gen_product(app, gen_facility, gen_category):
    from shop.catalog.services import add_product_image, create_product
    from shop.extensions import db

    defaults = {}

    def make(*, facility=None, category=None, image=False, **fields):
        if facility is None:
            facility = defaults.get("facility") or defaults.setdefault("facility", gen_facility())
        if category is None:
            category = defaults.get("category") or defaults.setdefault("category", gen_category())
        values = dict(name=f"Produk {next(_seq)}", price=10_000, stock=10, status="active",
                      unit="piece", weight_grams=250)
        values.update(fields)
        product = create_product(facility=facility, category=category, **values)
        if image:
            add_product_image(product, png_bytes(), alt_text=f"Foto {product.name}")
        db.session.commit()
        return product

    return make


# ------------------------------------------------------------------ people and promotions

@pytest.fixture
def gen_partner(app):
    from shop.extensions import db
    from shop.promotions.partners import PartnerOrganization

    def make(**fields):
        n = next(_seq)
        values = dict(slug=f"mitra-uji-{n}", name=f"Mitra Uji {n}", kind="government",
                      contact_name="Ibu Rahma", contact_email=f"mitra{n}@example.net")
        values.update(fields)
        partner = PartnerOrganization(**values)
        db.session.add(partner)
        db.session.commit()
        return partner

    return make


@pytest.fixture
def gen_promotion(app, gen_partner):
    """gen_promotion(**fields) -> an approved, active Promotion live from yesterday for 30 days.

    code="HEMAT10": one shared code (stored upper-case); single_use_codes=[...]: a batch of
    single-use codes; targets=[facility | category | product, ...] (scope inferred from them
    unless given). Redemption is "code" when a code is given, else "automatic". Other fields
    go to the row as they are (benefit, value, max_uses, budget, uses, discount_given, ...).
    """
    from shop.catalog.models import Category, Product
    from shop.core.time import utcnow
    from shop.extensions import db
    from shop.facilities.models import Facility
    from shop.promotions.models import Promotion, PromotionCode, PromotionTarget

    kinds = {Facility: ("facilities", "facility_id"), Category: ("categories", "category_id"),
             Product: ("products", "product_id")}

    def make(*, code=None, single_use_codes=(), targets=(), partner=None, **fields):
        n = next(_seq)
        now = utcnow()
        values = dict(
            slug=f"promo-uji-{n}", name=f"Promo Uji {n}", description="Promo untuk pengujian",
            starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30),
            is_active=True, approval="approved", benefit="percent", value=10, scope="all",
            funding="partner", combinable=False,
            redemption="code" if code or single_use_codes else "automatic",
        )
        if targets:
            values["scope"] = kinds[type(targets[0])][0]
        values.update(fields)
        promotion = Promotion(partner=partner or gen_partner(), **values)
        for target in targets:
            promotion.targets.append(PromotionTarget(**{kinds[type(target)][1]: target.id}))
        db.session.add(promotion)
        db.session.flush()
        if code:
            db.session.add(PromotionCode(promotion_id=promotion.id, code=code.upper()))
        for single in single_use_codes:
            db.session.add(PromotionCode(promotion_id=promotion.id, code=single.upper(),
                                         single_use=True))
        db.session.commit()
        return promotion

    return make


@pytest.fixture
def gen_customer(app):
    """A customer account (fast password hash) that can sign in with PASSWORD."""
    from shop.accounts.models import User
    from shop.extensions import db

    def make(email="sari@contoh.id", name="Sari"):
        user = User(email=email, name=name, role="customer", is_active_account=True,
                    session_version=1,
                    password_hash=generate_password_hash(PASSWORD, "pbkdf2:sha256:1000"))
        db.session.add(user)
        db.session.commit()
        return user

    return make


# ------------------------------------------------------------------ the desk's world

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
def facility_a(gen_facility, gen_rates):
    return gen_rates(gen_facility(slug="lapas-sanana", name="Lapas Sanana", town="Sanana",
                                    regency="Kepulauan Sula", email="lapas-sanana@x.test",
                                    address="Jl. Lapas No. 1, Sanana"))


@pytest.fixture
def facility_b(gen_facility, gen_rates):
    return gen_rates(gen_facility(slug="rutan-soasio", name="Rutan Soasio", kind="rutan",
                                    town="Tidore", regency="Kota Tidore Kepulauan",
                                    address="Jl. Rutan No. 2, Soasio"))


@pytest.fixture
def product_a(gen_product, facility_a):
    return gen_product(facility=facility_a, name="Kursi Rotan Sanana", price=45_000, stock=10)


@pytest.fixture
def product_b(gen_product, facility_b):
    return gen_product(facility=facility_b, name="Tas Anyaman Soasio", price=30_000, stock=10)


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
def gen_paid_order(gen_order):
    """Place an order for {product: qty} with {facility slug: delivery} and mark it paid."""
    from shop.extensions import db
    from shop.orders.services import mark_paid

    def make(items, delivery=None, pay=True):
        order, token = gen_order(items, delivery)
        if pay:
            assert mark_paid(order) == "paid"
            db.session.commit()
        by_facility = {fo.facility.slug: fo for fo in order.facility_orders}
        return SimpleNamespace(order=order, token=token, by_facility=by_facility)

    return make


@pytest.fixture
def paid_order(gen_paid_order, product_a, product_b, facility_a, facility_b):
    """Two parcels: A's (2 chairs, by courier) and B's (1 bag, picked up), paid."""
    result = gen_paid_order({product_a: 2, product_b: 1},
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
