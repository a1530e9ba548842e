"""Who may do what: every /staff, /partner and /admin route and every staff API route (read
from the app's URL map, so a new route is covered the day it is added) for anonymous visitors,
a customer, staff of facility A, staff of facility B, a partner and a Kanwil admin. URL
arguments are filled with facility A's parcel and product.

Also: expired, revoked and other-facility API tokens, and CSRF on every form post."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import FacilityOrder
from tests.conftest import TestConfig, png_bytes
from tests.staff.conftest import bearer, login, raw_api_token

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


# Arguments of the Kanwil and partner areas (the staff area fills <number>, <slug>...).
AREA_VALUES = {
    "promotion_id": _promotion_of_partner,
    "request_id": _flagship_request,
    "user_id": lambda world: world.people.staff_a.id,
    "category_id": _category_of_product,
    "year": lambda world: 2025,  # the monthly close (/admin/reports/closing/<year>/<month>)
    "month": lambda world: 1,
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

@pytest.mark.parametrize(("rule", "method", "role"), _matrix())
def test_access_matrix(world, rule, method, role):
    if _area(rule) != "staff":
        return _check_area(world, rule, method, role, _area(rule))
    client = world.client
    user = None if role == "anonymous" else getattr(world.people, role)
    if user is not None:
        login(client, user.email)
    values = _values_for(rule, world)
    url = _url(rule, values)
    carries_a = bool(values)
    before = _snapshot(world)
    is_api = rule.startswith(API_PREFIXES)

    if is_api:
        headers = {}
        if user is not None:
            # A token for anyone: issue_api_token only issues to staff, but the check must not
            # rest on that. Without the header, the signed-in session alone is not enough.
            no_token = client.open(url, method=method, json={"to": "accepted"})
            assert no_token.status_code == 401, no_token.get_data(as_text=True)
            headers = bearer(raw_api_token(user))
        response = client.open(url, method=method, json={"to": "accepted"}, headers=headers)
        body = response.get_data(as_text=True)
        if role == "anonymous":
            assert response.status_code == 401 and response.is_json
        elif role in ("customer", "partner", "admin"):
            assert response.status_code == 403 and response.is_json
            assert response.get_json()["error"]["code"]
        elif role == "staff_b":
            if carries_a:
                assert response.status_code == 404, body
            else:
                assert response.status_code == 200, body
                assert world.parcel.number not in body
        else:  # staff_a
            assert response.status_code == 200, body
            if method == "GET":
                assert world.parcel.number in body
    else:
        response = client.open(url, method=method, data={"to": "accepted"})
        body = response.get_data(as_text=True)
        location = response.headers.get("Location", "")
        if role == "anonymous":
            assert response.status_code == 302, body[:300]
            assert "/account/login" in location
        elif role in ("customer", "partner", "admin"):
            assert response.status_code == 403, body[:300]
        elif role == "staff_b":
            if carries_a:
                assert response.status_code == 404, body[:300]
            else:
                if response.status_code == 302 and method == "GET":  # a list that moved
                    assert "/staff" in location and "/account/login" not in location
                    response = client.get(location)
                    body = response.get_data(as_text=True)
                # A form post without A's things: allowed, maybe refused as bad input.
                assert response.status_code in ((200,) if method == "GET" else (200, 302, 400,
                                                                                 422)), body[:300]
                assert world.parcel.number not in body
                assert world.product.slug not in body and world.product.name not in body
        else:  # staff_a
            if method == "GET":
                if response.status_code == 302:  # a placeholder redirecting inside the desk
                    assert "/staff" in location and "/account/login" not in location
                else:
                    assert response.status_code == 200, body[:300]
            else:
                assert response.status_code in (200, 302, 400, 422), body[:300]
                assert "/account/login" not in location
    assert response.status_code < 500
    if role != "staff_a":
        assert _snapshot(world) == before  # nobody else changed A's parcel or product


def _check_area(world, rule, method, role, area):
    """/admin: Kanwil admins only; /partner: partner users of an organisation only. Everyone
    else: sign-in (anonymous) or 403, and nothing of A's changes."""
    client = world.client
    user = None if role == "anonymous" else getattr(world.people, role)
    if user is not None:
        login(client, user.email)
    url = _url(rule, _values_for(rule, world))
    before = _snapshot(world)
    response = client.open(url, method=method, data={"to": "accepted"})
    body = response.get_data(as_text=True)
    location = response.headers.get("Location", "")
    owner = "admin" if area == "admin" else "partner"
    if role == "anonymous":
        assert response.status_code == 302 and "/account/login" in location, body[:300]
    elif role != owner:
        assert response.status_code == 403, body[:300]
    elif method == "GET":
        # the page itself, a redirect inside the area, or 404 where the URL names one of the
        # staff area's objects the Kanwil page does not know by that key (a product slug
        # used as a facility slug)
        assert response.status_code in (200, 302, 303, 404), body[:300]
        assert "/account/login" not in location
    else:
        assert response.status_code in (200, 302, 303, 400, 404, 409, 422), body[:300]
        assert "/account/login" not in location
    assert response.status_code < 500
    if role != owner:
        assert _snapshot(world) == before


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
