"""The staff API (Bearer token) and the account commands that go with it: issue-api-token,
create-staff and create-admin."""

import re

import pytest
from sqlalchemy import select

from shop.accounts.models import User
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders.models import FacilityOrder
from tests.factories import ADDRESS, CONTACT, PASSWORD, bearer, login

LIST = "/api/v1/staff/fulfilments"


def transition(number):
    return f"/api/v1/staff/fulfilments/{number}/transition"


@pytest.fixture
def token_a(staff_a):
    from shop.accounts.tokens import issue_api_token

    return issue_api_token(staff_a, "uji")


def test_the_list_holds_only_the_callers_facility_and_filters_by_status(
    client, paid_order, gen_paid_order, product_a, facility_a, staff_a, token_a
):
    from shop.payments.parcels import move

    unpaid = gen_paid_order({product_a: 1}, pay=False).by_facility[facility_a.slug]
    pickup = gen_paid_order({product_a: 1}).by_facility[facility_a.slug]
    move(pickup, "accepted", staff_a)

    response = client.get(LIST, headers=bearer(token_a))
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == {"items", "total", "page", "per_page"}
    assert data["total"] == 2 and data["page"] == 1
    numbers = {item["number"] for item in data["items"]}
    assert numbers == {paid_order.a.number, pickup.number}  # not B's, not the unpaid one
    assert unpaid.number not in numbers
    item = next(i for i in data["items"] if i["number"] == paid_order.a.number)
    assert item["facility"] == facility_a.slug and item["order"] == paid_order.order.number
    assert item["status"] == "new" and item["delivery"] == "courier"
    assert item["allowed_moves"] == ["accepted", "cancelled"]
    assert item["total"] == item["subtotal"] + item["shipping"] - item["discount"]
    assert item["lines"] == [{"product": product_a.slug, "name": product_a.name, "quantity": 2,
                              "unit": "piece"}]
    assert item["customer"]["name"] == CONTACT["name"]
    assert item["address"]["street"] == ADDRESS["street"]
    assert "email" not in item["customer"]  # only what delivery needs
    picked = next(i for i in data["items"] if i["number"] == pickup.number)
    assert "address" not in picked  # picked up at the facility: no address

    accepted = client.get(f"{LIST}?status=accepted", headers=bearer(token_a)).get_json()
    assert [i["number"] for i in accepted["items"]] == [pickup.number]
    assert client.get(f"{LIST}?status=shipped",
                      headers=bearer(token_a)).get_json()["items"] == []


@pytest.mark.parametrize("query", ["status=dikirim", "status=awaiting_payment", "status=",
                                   "page=0", "page=abc", "page=-1"])
def test_a_bad_filter_is_a_400_in_json(client, token_a, query):
    response = client.get(f"{LIST}?{query}", headers=bearer(token_a))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_parameter" and error["message"]


def test_a_transition_answers_with_the_new_status_and_allowed_moves(client, paid_order,
                                                                     token_a, staff_a):
    from shop.core.audit import AuditEntry

    response = client.post(transition(paid_order.a.number), json={"to": "accepted"},
                           headers=bearer(token_a))
    assert response.status_code == 200
    data = response.get_json()
    assert data["number"] == paid_order.a.number
    assert data["status"] == "accepted" and data["allowed_moves"] == ["packed", "cancelled"]
    entry = db.session.scalars(select(AuditEntry)
                               .where(AuditEntry.kind == "facility_order.move")).one()
    assert (entry.actor_id, entry.from_value, entry.to_value) == (staff_a.id, "new", "accepted")


def test_a_move_the_table_forbids_is_a_409_listing_the_allowed_moves(client, paid_order,
                                                                      token_a):
    response = client.post(transition(paid_order.a.number), json={"to": "delivered"},
                           headers=bearer(token_a))
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "move_not_allowed"
    assert error["allowed"] == ["accepted", "cancelled"] and error["current"] == "new"
    assert "Baru" in error["message"]
    db.session.expire_all()
    assert db.session.get(FacilityOrder, paid_order.a.id).status == "new"

    unknown = client.post(transition(paid_order.a.number), json={"to": "teleported"},
                          headers=bearer(token_a))
    assert unknown.status_code == 409


def test_shipping_needs_a_courier_and_a_tracking_number(client, paid_order, token_a):
    number = paid_order.a.number
    for to in ("accepted", "packed"):
        assert client.post(transition(number), json={"to": to},
                           headers=bearer(token_a)).status_code == 200

    for body, code in (({"to": "shipped", "courier": "jnt"}, "tracking_required"),
                       ({"to": "shipped", "courier": "jnt", "tracking_number": "ab"},
                        "tracking_required"),
                       ({"to": "shipped", "courier": "jnt", "tracking_number": "<script>1"},
                        "tracking_required"),
                       ({"to": "shipped", "tracking_number": "JT0001234567"},
                        "courier_required"),
                       ({"to": "shipped", "courier": "dhl", "tracking_number": "JT0001234567"},
                        "courier_required"),
                       ({"to": "shipped", "courier": "other", "tracking_number": "JT0001234"},
                        "courier_required")):
        response = client.post(transition(number), json=body, headers=bearer(token_a))
        assert response.status_code == 422, body
        assert response.get_json()["error"]["code"] == code
    db.session.expire_all()
    assert db.session.get(FacilityOrder, paid_order.a.id).status == "packed"

    ok = client.post(transition(number), headers=bearer(token_a),
                     json={"to": "shipped", "courier": "JNT", "tracking_number": "JT0001234567"})
    assert ok.status_code == 200
    data = ok.get_json()
    assert (data["status"], data["courier"], data["tracking_number"]) == (
        "shipped", "J&T", "JT0001234567")
    assert data["allowed_moves"] == ["delivered"]

    cancel = client.post(transition(number), json={"to": "cancelled", "reason": "terlambat"},
                         headers=bearer(token_a))
    assert cancel.status_code == 409 and cancel.get_json()["error"]["allowed"] == ["delivered"]


def test_cancelling_needs_a_reason(client, paid_order, token_a):
    response = client.post(transition(paid_order.a.number), json={"to": "cancelled"},
                           headers=bearer(token_a))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "reason_required"
    ok = client.post(transition(paid_order.a.number), headers=bearer(token_a),
                     json={"to": "cancelled", "reason": "Bahan rotan habis"})
    assert ok.status_code == 200 and ok.get_json()["allowed_moves"] == []


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"to": 5}', b'{"status": "x"}',
                                  b'{"to": ["accepted"]}'])
def test_a_bad_body_is_a_400_never_a_500(client, paid_order, token_a, body):
    response = client.post(transition(paid_order.a.number), data=body,
                           content_type="application/json", headers=bearer(token_a))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"]


def test_an_unknown_or_unpaid_parcel_is_a_404(client, gen_paid_order, product_a, facility_a,
                                              token_a):
    unpaid = gen_paid_order({product_a: 1}, pay=False).by_facility[facility_a.slug]
    for number in (unpaid.number, "EB-TIDAK-ADA-1", "x" * 300):
        response = client.post(transition(number), json={"to": "accepted"},
                               headers=bearer(token_a))
        assert response.status_code == 404, number
        assert response.get_json()["error"]["code"] == "not_found"


# ------------------------------------------------------------------ commands

def test_issue_api_token_prints_a_token_that_works(client, runner, staff_a, paid_order):
    result = runner.invoke(args=["issue-api-token", staff_a.email.upper()])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert re.fullmatch(r"eb_[A-Za-z0-9_-]{40,}", token)
    response = client.get(LIST, headers=bearer(token))
    assert response.status_code == 200
    assert [i["number"] for i in response.get_json()["items"]] == [paid_order.a.number]


def test_issue_api_token_refuses_a_customer_and_an_unknown_address(runner, customer):
    from shop.accounts.models import ApiToken

    for email in (customer.email, "siapa@example.com"):
        result = runner.invoke(args=["issue-api-token", email])
        assert result.exit_code != 0, email
        assert "eb_" not in result.output
    assert "hanya untuk petugas" in runner.invoke(args=["issue-api-token",
                                                        customer.email]).output
    assert db.session.scalar(select(ApiToken.id)) is None


def test_an_admin_token_works_for_the_admin_but_not_on_the_staff_api(runner, client, admin):
    result = runner.invoke(args=["issue-api-token", admin.email])
    assert result.exit_code == 0
    token = result.output.strip()
    assert token.startswith("eb_")
    response = client.get("/api/v1/staff/fulfilments",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_create_staff_makes_the_account_and_mails_a_link_to_set_the_password(
    app, client, runner, facility_a, paid_order
):
    result = runner.invoke(args=["create-staff", "Petugas.Baru@Example.org", "--facility",
                                 facility_a.slug, "--name", "Petugas Baru"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "petugas.baru@example.org"))
    assert (user.role, user.facility_id, user.name) == ("facility_staff", facility_a.id,
                                                        "Petugas Baru")
    assert user.password_hash is None  # they choose it themselves
    mail = db.session.scalars(select(OutboxMessage)
                              .where(OutboxMessage.to_address == user.email)).one()
    assert mail.subject == f"Akun petugas {facility_a.name} di Etalase Binaan"
    link = re.search(r"https?://\S+/account/reset/\S+", mail.text_body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    assert client.get(f"/{path}").status_code == 200
    response = client.post(f"/{path}", data={"password": "kata-sandi-baru-9",
                                              "confirm": "kata-sandi-baru-9"})
    assert response.status_code == 302
    queue = client.get("/staff/")
    assert queue.status_code == 200 and paid_order.a.number in queue.get_data(as_text=True)

    again = runner.invoke(args=["create-staff", "petugas.baru@example.org", "--facility",
                                facility_a.slug])
    assert again.exit_code != 0 and "sudah terdaftar" in again.output
    nowhere = runner.invoke(args=["create-staff", "lain@example.org", "--facility", "tidak-ada"])
    assert nowhere.exit_code != 0 and "tidak-ada" in nowhere.output
    assert db.session.scalar(select(User.id).where(User.email == "lain@example.org")) is None


def test_create_admin_prompts_for_the_password_and_the_admin_can_sign_in(app, runner):
    result = runner.invoke(args=["create-admin", "kanwil.baru@example.org", "--name", "Kanwil"],
                           input="rahasia-panjang-1\nrahasia-panjang-1\n")
    assert result.exit_code == 0, result.output
    assert "rahasia-panjang-1" not in result.output  # not echoed
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "kanwil.baru@example.org"))
    assert user.role == "admin" and user.facility_id is None

    client = app.test_client()
    login(client, "kanwil.baru@example.org", PASSWORD)
    assert client.get("/staff/").status_code == 403  # the Kanwil is not a facility's staff

    short = runner.invoke(args=["create-admin", "pendek@example.org"], input="pendek\npendek\n")
    assert short.exit_code != 0 and "minimal 10" in short.output
    mismatch = runner.invoke(args=["create-admin", "beda@example.org"],
                             input="rahasia-panjang-1\nrahasia-panjang-2\n")
    assert mismatch.exit_code != 0
    assert db.session.scalar(select(User.id).where(
        User.email.in_(["pendek@example.org", "beda@example.org"]))) is None


def test_a_staff_invitation_made_in_english_has_an_english_subject(app, facility_a):
    from flask_babel import force_locale

    from shop.accounts.provisioning import create_staff

    with app.test_request_context(), force_locale("en"):
        create_staff("petugas.en@example.org", facility_a, "Petugas EN")
    mail = db.session.scalars(select(OutboxMessage)
                              .where(OutboxMessage.to_address == "petugas.en@example.org")).one()
    assert mail.subject == f"Staff account for {facility_a.name} on Etalase Binaan"
