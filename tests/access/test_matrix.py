"""Who may do what: every /staff, /partner and /admin route and every staff and admin API
route (read from the app's URL map, so a new route is covered the day it is added) for
anonymous visitors, a customer, staff of facility A, staff of facility B, a partner and a
Kanwil admin, each against a table of exact answers. URL arguments name facility A's parcel
and product.

Also: expired, revoked and other-facility API tokens, and CSRF on every form post."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import FacilityOrder
from tests.conftest import TestConfig
from tests.factories import bearer, login, png_bytes, raw_api_token

HTML_PREFIXES = ("/staff", "/partner", "/admin")
API_PREFIXES = ("/api/v1/staff", "/api/v1/partner", "/api/v1/admin")
ROLES = ("anonymous", "customer", "staff_a", "staff_b", "partner", "admin")
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _guarded_rules():
    from shop import create_app

    rules = []
    for rule in create_app(TestConfig).url_map.iter_rules():
        if rule.rule.startswith(HTML_PREFIXES + API_PREFIXES):
            for method in sorted(rule.methods - IGNORED_METHODS):
                rules.append((rule.rule, method))
    return sorted(rules)


GUARDED = _guarded_rules()


def _matrix():
    cases = []
    for rule, method in GUARDED:
        for role in ROLES:
            cases.append(pytest.param(rule, method, role,
                                      id=f"{method} {rule} as {role}"))
    return cases


def test_the_matrix_sees_the_desk_and_the_staff_api():
    seen = {rule for rule, _ in GUARDED}
    assert {"/staff/", "/staff/orders/<number>", "/staff/orders/<number>/move",
            "/staff/orders/<number>/slip", "/staff/orders.csv", "/staff/tokens",
            "/api/v1/staff/fulfilments",
            "/api/v1/staff/fulfilments/<number>/transition"} <= seen


# ------------------------------------------------------------------ filling URLs with A's things

def _values_for(rule_text, world):
    """URL arguments for a rule, all pointing at facility A's parcel or product."""
    from shop.catalog.services import add_product_image

    values = {}
    for arg in _arguments(rule_text):
        if arg in AREA_VALUES:
            values[arg] = AREA_VALUES[arg](world)
        elif arg == "number":
            values[arg] = world.parcel.number
        elif arg == "slug" and "/facilities/" in rule_text:
            values[arg] = world.parcel.facility.slug
        elif arg == "slug" and "/admin/pages/" in rule_text:
            values[arg] = "faq"
        elif arg == "slug" and "/partners/" in rule_text:
            values[arg] = _partner_org(world).slug
        elif arg in ("slug", "product_slug"):
            values[arg] = world.product.slug
        elif arg in ("product_id", "id"):
            values[arg] = world.product.id
        elif "image" in arg:
            image = add_product_image(world.product, png_bytes((60, 60)), alt_text="Foto uji")
            db.session.commit()
            values[arg] = image.id
        else:
            pytest.fail(f"the access matrix has no value for <{arg}> in {rule_text}: teach "
                        f"_values_for which of facility A's objects it names")
    return values


def _partner_org(world):
    from shop.promotions.partners import PartnerOrganization

    return db.session.get(PartnerOrganization, world.people.partner.partner_id)


def _promotion_of_partner(world):
    """A draft promotion of the partner's organisation (created once per test)."""
    from shop.core.time import utcnow
    from shop.promotions.models import Promotion

    if getattr(world, "promotion", None) is None:
        world.promotion = Promotion(
            partner_id=world.people.partner.partner_id, slug="promo-uji", name="Promo uji",
            starts_at=utcnow(), ends_at=utcnow() + timedelta(days=30), benefit="percent",
            value=10, approval="draft")
        db.session.add(world.promotion)
        db.session.commit()
    return world.promotion.id


def _flagship_request(world):
    from shop.catalog.models import FlagshipRequest

    if getattr(world, "flagship_request", None) is None:
        world.flagship_request = FlagshipRequest(product_id=world.product.id, year=2025,
                                                 reason="Produk terlaris")
        db.session.add(world.flagship_request)
        db.session.commit()
    return world.flagship_request.id


def _category_of_product(world):
    return world.product.category_id


def _transfer_payment(world):
    """A bank transfer attempt of A's order (the Kanwil's proof route names payments)."""
    from shop.payments.models import Payment

    if getattr(world, "payment", None) is None:
        order = world.order.order
        world.payment = Payment(order_id=order.id, provider="bank_transfer",
                                method="bank_transfer", intent_id=f"bt-{order.number}-9",
                                client_secret="", amount=order.total, status="succeeded")
        db.session.add(world.payment)
        db.session.commit()
    return world.payment.id


# Arguments of the Kanwil and partner areas (the staff area fills <number>, <slug>...).
AREA_VALUES = {
    "promotion_id": _promotion_of_partner,
    "request_id": _flagship_request,
    "user_id": lambda world: world.people.staff_a.id,
    "category_id": _category_of_product,
    "payment_id": _transfer_payment,
    "refund_id": lambda world: 1,  # none exists: the admin gets 404, others 403
    "line_id": lambda world: 1,  # a statement line (none): the same
    "year": lambda world: 2025,  # the monthly close (/admin/reports/closing/<year>/<month>)
    "month": lambda world: 1,
    "problem_id": lambda world: 1,  # a buyer's problem report (none): the same
    "variant_id": lambda world: 1,  # a search variant (none): removing nothing redirects
}


def _area(rule):
    if rule.startswith(("/admin", "/api/v1/admin")):
        return "admin"
    if rule.startswith(("/partner", "/api/v1/partner")):
        return "partner"
    return "staff"


ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")  # <number>, <int:image_id>


def _arguments(rule_text):
    return ARGUMENT.findall(rule_text)


def _url(rule_text, values):
    return ARGUMENT.sub(lambda m: str(values[m.group(1)]), rule_text)


def _snapshot(world):
    """What another role must never change: A's parcel, A's product and what hangs on it."""
    from sqlalchemy import func

    from shop.catalog.models import FlagshipRequest, ProductImage, StockAdjustment

    db.session.expire_all()
    fo = db.session.get(FacilityOrder, world.parcel.id)
    product = db.session.get(type(world.product), world.product.id)
    related = tuple(
        db.session.scalar(select(func.count()).select_from(model)
                          .where(model.product_id == product.id))
        for model in (ProductImage, StockAdjustment, FlagshipRequest))
    return (fo.status, fo.courier, fo.tracking_number, product.name, product.price,
            product.stock, product.status, product.is_flagship, related)


@pytest.fixture
def world(app, client, people, paid_order, product_a):
    return SimpleNamespace(app=app, client=client, people=people, parcel=paid_order.a,
                           product=product_a, order=paid_order)


# ------------------------------------------------------------------ the matrix

# The answer each role gets, by area. "owner": the exact code of OWNER below for this route;
# "other facility" (staff_b on a URL naming facility A's parcel or product) is 404, so an id
# tells nothing; staff_b on a URL naming nothing of A's gets the owner's answer.
HTML_EXPECTED = {
    "staff": {"anonymous": 302, "customer": 403, "partner": 403, "admin": 403,
              "staff_b": "other facility", "staff_a": "owner"},
    "admin": {"anonymous": 302, "customer": 403, "partner": 403, "staff_a": 403,
              "staff_b": 403, "admin": "owner"},
    "partner": {"anonymous": 302, "customer": 403, "admin": 403, "staff_a": 403,
                "staff_b": 403, "partner": "owner"},
}
API_EXPECTED = {
    "staff": {"anonymous": 401, "customer": 403, "partner": 403, "admin": 403,
              "staff_b": "other facility", "staff_a": "owner"},
    "admin": {"anonymous": 401, "customer": 403, "partner": 403, "staff_a": 403,
              "staff_b": 403, "admin": "owner"},
}
OWNER_ROLE = {"staff": "staff_a", "admin": "admin", "partner": "partner"}

# The owner's exact answer per route, with URL arguments naming facility A's things and the
# body {"to": "accepted"} (a form post, or JSON for the API). A new route fails the matrix
# until its expected answer is written here.
OWNER = {
    ('GET', '/admin/'): 200,
    ('GET', '/admin/audit'): 200,
    ('POST', '/admin/flagship-requests/<int:request_id>/approve'): 303,
    ('POST', '/admin/flagship-requests/<int:request_id>/refuse'): 422,
    ('GET', '/admin/manage/'): 302,
    ('GET', '/admin/manage/accounts'): 200,
    ('POST', '/admin/manage/accounts/<int:user_id>/deactivate'): 302,
    ('POST', '/admin/manage/accounts/<int:user_id>/reactivate'): 302,
    ('POST', '/admin/manage/accounts/<int:user_id>/reset'): 302,
    ('GET', '/admin/manage/accounts/invite'): 200,
    ('POST', '/admin/manage/accounts/invite'): 422,
    ('GET', '/admin/manage/categories'): 200,
    ('POST', '/admin/manage/categories'): 422,
    ('GET', '/admin/manage/categories/<int:category_id>/edit'): 200,
    ('POST', '/admin/manage/categories/<int:category_id>/edit'): 302,
    ('GET', '/admin/manage/facilities'): 200,
    ('POST', '/admin/manage/facilities/<slug>/deactivate'): 302,
    ('GET', '/admin/manage/facilities/<slug>/edit'): 200,
    ('POST', '/admin/manage/facilities/<slug>/edit'): 422,
    ('GET', '/admin/manage/facilities/<slug>/rates'): 200,
    ('POST', '/admin/manage/facilities/<slug>/rates'): 422,
    ('POST', '/admin/manage/facilities/<slug>/reactivate'): 302,
    ('GET', '/admin/manage/facilities/new'): 200,
    ('POST', '/admin/manage/facilities/new'): 422,
    ('GET', '/admin/manage/partners'): 200,
    ('GET', '/admin/manage/partners/<slug>/edit'): 200,
    ('POST', '/admin/manage/partners/<slug>/edit'): 302,
    ('GET', '/admin/manage/partners/new'): 200,
    ('POST', '/admin/manage/partners/new'): 422,
    ('GET', '/admin/manage/search-words'): 200,
    ('POST', '/admin/manage/search-words'): 422,
    ('POST', '/admin/manage/search-words/<int:variant_id>/remove'): 302,
    ('GET', '/admin/manage/products'): 200,
    ('GET', '/admin/manage/products/<slug>'): 200,
    ('POST', '/admin/manage/products/<slug>/archive'): 302,
    ('GET', '/admin/manage/products/<slug>/edit'): 200,
    ('POST', '/admin/manage/products/<slug>/edit'): 422,
    ('POST', '/admin/manage/products/<slug>/photos/<int:image_id>/framing'): 422,
    ('POST', '/admin/manage/products/<slug>/photos/<int:image_id>/move'): 422,
    ('POST', '/admin/manage/products/<slug>/stock'): 422,
    ('POST', '/admin/manage/products/<slug>/unarchive'): 302,
    ('GET', '/admin/manage/products/new'): 200,
    ('POST', '/admin/manage/products/new'): 422,
    ('GET', '/admin/orders'): 200,
    ('GET', '/admin/orders/<number>'): 302,
    ('POST', '/admin/orders/<number>/cancel'): 302,
    ('GET', '/admin/parcels/<number>/problems/<int:problem_id>/photo'): 404,
    ('GET', '/admin/payments/'): 200,
    ('GET', '/admin/payments/overview'): 200,
    ('GET', '/admin/payments/overview.csv'): 200,
    ('GET', '/admin/payments/proofs/<int:payment_id>'): 404,
    ('GET', '/admin/payments/refunds'): 200,
    ('POST', '/admin/payments/refunds/<int:refund_id>/paid'): 404,
    ('GET', '/admin/payments/statements/'): 200,
    ('POST', '/admin/payments/statements/'): 422,
    ('POST', '/admin/payments/statements/lines/<int:line_id>/dismiss'): 302,
    ('POST', '/admin/payments/statements/lines/<int:line_id>/match'): 302,
    ('GET', '/admin/payments/transfers/<number>'): 404,
    ('POST', '/admin/payments/transfers/<number>/confirm'): 404,
    ('POST', '/admin/payments/transfers/<number>/reject'): 404,
    ('GET', '/admin/pages/'): 200,
    ('GET', '/admin/pages/<slug>'): 200,
    ('POST', '/admin/pages/<slug>'): 302,
    ('POST', '/admin/pages/<slug>/reset'): 302,
    ('GET', '/admin/promotions/'): 200,
    ('GET', '/admin/promotions/<int:promotion_id>'): 200,
    ('POST', '/admin/promotions/<int:promotion_id>/approve'): 302,
    ('POST', '/admin/promotions/<int:promotion_id>/pause'): 302,
    ('POST', '/admin/promotions/<int:promotion_id>/reject'): 422,
    ('POST', '/admin/promotions/<int:promotion_id>/resume'): 302,
    ('GET', '/admin/reports/'): 200,
    ('GET', '/admin/reports/closing/'): 200,
    ('GET', '/admin/reports/closing/<int:year>/<int:month>'): 200,
    ('GET', '/admin/reports/closing/<int:year>/<int:month>/<slug>.csv'): 404,
    ('GET', '/admin/reports/closing/<int:year>/<int:month>/<slug>.pdf'): 404,
    ('POST', '/admin/reports/closing/<int:year>/<int:month>/close'): 303,
    ('GET', '/admin/reports/closing/<int:year>/<int:month>/reconciliation'): 200,
    ('GET', '/admin/reports/closing/<int:year>/<int:month>/reconciliation.csv'): 200,
    ('POST', '/admin/reports/closing/<int:year>/<int:month>/reopen'): 409,
    ('GET', '/admin/reports/partners'): 200,
    ('GET', '/admin/reports/partners.csv'): 200,
    ('GET', '/admin/reports/products'): 200,
    ('GET', '/admin/reports/products.csv'): 200,
    ('GET', '/admin/reports/sales'): 200,
    ('GET', '/admin/reports/sales.csv'): 200,
    ('POST', '/api/v1/admin/bank-transfers/<number>/confirm'): 404,
    ('GET', '/api/v1/staff/fulfilments'): 200,
    ('POST', '/api/v1/staff/fulfilments/<number>/transition'): 200,
    ('GET', '/partner/'): 200,
    ('GET', '/partner/promotions/<int:promotion_id>'): 200,
    ('POST', '/partner/promotions/<int:promotion_id>/codes'): 422,
    ('GET', '/partner/promotions/<int:promotion_id>/codes.csv'): 200,
    ('GET', '/partner/promotions/<int:promotion_id>/edit'): 200,
    ('POST', '/partner/promotions/<int:promotion_id>/edit'): 422,
    ('GET', '/partner/promotions/<int:promotion_id>/statement.csv'): 200,
    ('POST', '/partner/promotions/<int:promotion_id>/submit'): 302,
    ('GET', '/partner/promotions/new'): 200,
    ('POST', '/partner/promotions/new'): 422,
    ('GET', '/staff/'): 200,
    ('GET', '/staff/orders.csv'): 200,
    ('GET', '/staff/orders/<number>'): 200,
    ('POST', '/staff/orders/<number>/move'): 302,
    ('GET', '/staff/orders/<number>/slip'): 200,
    ('GET', '/staff/orders/<number>/problems/<int:problem_id>/photo'): 404,
    ('GET', '/staff/products/'): 200,
    ('GET', '/staff/products/<slug>'): 200,
    ('POST', '/staff/products/<slug>/archive'): 302,
    ('GET', '/staff/products/<slug>/edit'): 200,
    ('POST', '/staff/products/<slug>/edit'): 422,
    ('POST', '/staff/products/<slug>/flagship-request'): 422,
    ('POST', '/staff/products/<slug>/photos/<int:image_id>/framing'): 422,
    ('POST', '/staff/products/<slug>/photos/<int:image_id>/move'): 422,
    ('POST', '/staff/products/<slug>/stock'): 422,
    ('POST', '/staff/products/<slug>/unarchive'): 302,
    ('GET', '/staff/products/new'): 200,
    ('POST', '/staff/products/new'): 422,
    ('GET', '/staff/tokens'): 200,
    ('POST', '/staff/tokens'): 200,
}


def _request(world, rule, method, role, values):
    client = world.client
    user = None if role == "anonymous" else getattr(world.people, role)
    if user is not None:
        login(client, user.email)
    url = _url(rule, values)
    if rule.startswith(API_PREFIXES):
        headers = {}
        if user is not None:
            # A token for anyone: the check must not rest on who can be issued one. Without
            # the header, the signed-in session alone is not enough.
            no_token = client.open(url, method=method, json={"to": "accepted"})
            assert no_token.status_code == 401, no_token.get_data(as_text=True)[:300]
            headers = bearer(raw_api_token(user))
        return client.open(url, method=method, json={"to": "accepted"}, headers=headers)
    return client.open(url, method=method, data={"to": "accepted"})


def _expected(rule, method, role, carries_a):
    table = API_EXPECTED if rule.startswith(API_PREFIXES) else HTML_EXPECTED
    expected = table[_area(rule)][role]
    if expected == "other facility":
        expected = 404 if carries_a else "owner"
    if expected == "owner":
        assert (method, rule) in OWNER, f"add ({method!r}, {rule!r}) to OWNER"
        expected = OWNER[(method, rule)]
    return expected


@pytest.mark.parametrize(("rule", "method", "role"), _matrix())
def test_access_matrix(world, rule, method, role):
    values = _values_for(rule, world)
    before = _snapshot(world)
    response = _request(world, rule, method, role, values)
    body = response.get_data(as_text=True)
    assert response.status_code == _expected(rule, method, role, bool(values)), body[:300]
    location = response.headers.get("Location", "")
    if role == "anonymous" and not rule.startswith(API_PREFIXES):
        assert "/account/login" in location
    elif response.status_code == 302:
        assert "/account/login" not in location
    if response.status_code in (401, 403, 404) and rule.startswith(API_PREFIXES):
        assert response.get_json()["error"]["code"]
    if role == "staff_b" and _area(rule) == "staff" and not values:
        # a list of B's own: nothing of A's in it (a 404 page may echo the asked URL)
        assert world.parcel.number not in body and world.product.slug not in body
    if role != OWNER_ROLE[_area(rule)]:
        assert _snapshot(world) == before  # nobody else changed A's parcel or product


def test_the_matrix_sees_the_kanwil_and_partner_areas():
    seen = {rule for rule, _ in GUARDED}
    assert {"/admin/", "/admin/orders", "/admin/audit", "/admin/reports/",
            "/admin/promotions/", "/partner/"} <= seen


def test_a_wrong_method_answers_405_to_the_facilitys_own_staff(world):
    login(world.client, world.people.staff_a.email)
    token = raw_api_token(world.people.staff_a)
    for rule in sorted({r for r, _ in GUARDED}):
        allowed = {m for r, m in GUARDED if r == rule}
        wrong = next(m for m in ("DELETE", "PUT", "POST", "GET") if m not in allowed)
        url = _url(rule, _values_for(rule, world))
        response = world.client.open(url, method=wrong, headers=bearer(token))
        assert response.status_code == 405, (rule, wrong, response.status_code)


# ------------------------------------------------------------------ API tokens

def _list(client, token):
    return client.get("/api/v1/staff/fulfilments", headers=bearer(token))


def test_an_expired_token_gets_401(client, staff_a, paid_order):
    from shop.accounts.models import ApiToken
    from shop.accounts.tokens import issue_api_token
    from shop.core.time import utcnow

    token = issue_api_token(staff_a, "kedaluwarsa")
    assert _list(client, token).status_code == 200
    row = db.session.scalars(select(ApiToken)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = _list(client, token)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"]
    assert client.post(f"/api/v1/staff/fulfilments/{paid_order.a.number}/transition",
                       json={"to": "accepted"}, headers=bearer(token)).status_code == 401


def test_a_revoked_token_gets_401_issued_and_revoked_in_the_staff_profile(client, staff_a,
                                                                           paid_order):
    from shop.accounts.models import ApiToken

    login(client, staff_a.email)
    page = client.post("/staff/tokens", data={"name": "tablet gudang"}).get_data(as_text=True)
    token = re.search(r'<code class="token">([^<]+)</code>', page).group(1)
    assert _list(client, token).status_code == 200
    row = db.session.scalars(select(ApiToken)).one()
    assert row.token_hash != token and token not in row.token_hash  # stored hashed
    assert token not in client.get("/staff/tokens").get_data(as_text=True)  # shown once

    client.post("/staff/tokens", data={"revoke": str(row.id)})
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).revoked_at is not None
    assert _list(client, token).status_code == 401
    assert _list(client, "eb_not-a-token").status_code == 401
    assert client.get("/api/v1/staff/fulfilments",
                      headers={"Authorization": token}).status_code == 401  # no "Bearer"


def test_staff_cannot_revoke_another_staff_members_token(client, staff_a, staff_b):
    from shop.accounts.models import ApiToken
    from shop.accounts.tokens import issue_api_token

    token_a = issue_api_token(staff_a)
    row = db.session.scalars(select(ApiToken)).one()
    login(client, staff_b.email)
    assert client.post("/staff/tokens", data={"revoke": str(row.id)}).status_code == 200
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).revoked_at is None
    assert _list(client, token_a).status_code == 200


def test_a_deactivated_staff_members_token_gets_401(client, staff_a):
    from shop.accounts.tokens import issue_api_token

    token = issue_api_token(staff_a)
    staff_a.is_active_account = False
    db.session.commit()
    assert _list(client, token).status_code == 401


def test_staff_b_cannot_move_or_see_a_parcel_of_facility_a(client, paid_order, staff_a, staff_b):
    from shop.accounts.tokens import issue_api_token

    token_b = issue_api_token(staff_b)
    response = client.post(f"/api/v1/staff/fulfilments/{paid_order.a.number}/transition",
                           json={"to": "accepted"}, headers=bearer(token_b))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    listed = _list(client, token_b).get_json()
    assert [item["number"] for item in listed["items"]] == [paid_order.b.number]
    db.session.expire_all()
    assert db.session.get(FacilityOrder, paid_order.a.id).status == "new"

    # B's own parcel moves with B's token.
    ok = client.post(f"/api/v1/staff/fulfilments/{paid_order.b.number}/transition",
                     json={"to": "accepted"}, headers=bearer(token_b))
    assert ok.status_code == 200 and ok.get_json()["status"] == "accepted"


# ------------------------------------------------------------------ CSRF

def test_every_form_post_needs_a_csrf_token(app, client, staff_a, paid_order, product_a,
                                             people):
    from shop.accounts.models import ApiToken
    from shop.accounts.tokens import issue_api_token

    token = issue_api_token(staff_a)

    world = SimpleNamespace(parcel=paid_order.a, product=product_a, people=people)
    login(client, staff_a.email)
    posts = sorted({r for r, m in GUARDED if m == "POST" and not r.startswith(API_PREFIXES)})
    assert "/staff/orders/<number>/move" in posts
    urls = {rule: _url(rule, _values_for(rule, world)) for rule in posts}
    before = _snapshot(world)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for rule in posts:
            response = client.post(urls[rule],
                                   data={"to": "accepted", "name": "x", "reason": "alasan uji"})
            assert response.status_code == 400, (rule, response.status_code)
        assert _snapshot(world) == before
        assert db.session.scalar(select(ApiToken.id).where(ApiToken.name == "x")) is None

        # With the page's token the same form post goes through.
        page = client.get(f"/staff/orders/{paid_order.a.number}").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        ok = client.post(f"/staff/orders/{paid_order.a.number}/move",
                         data={"to": "accepted", "csrf_token": csrf})
        assert ok.status_code == 302
        assert _snapshot(world)[0] == "accepted"
        # The token-authenticated API is exempt (no cookies, no CSRF).
        api = client.post(f"/api/v1/staff/fulfilments/{paid_order.a.number}/transition",
                          json={"to": "packed"}, headers=bearer(token))
        assert api.status_code == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = TestConfig.WTF_CSRF_ENABLED
