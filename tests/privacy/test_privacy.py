"""UU PDP: a customer downloads their data and deletes their account (orders anonymised, sums
kept); staff cannot self-delete; the retention cleanup (`flask data cleanup`)."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shop.accounts.models import User
from shop.cart.models import Cart, CartLine
from shop.cart.services import cart_for_user, create_cart, set_quantity
from shop.core.audit import AuditEntry
from shop.core.time import utcnow
from shop.extensions import db
from shop.orders.fulfilment import MoveDetails
from shop.orders.models import FacilityOrder, Order, OrderLine
from shop.orders.services import expire_order, mark_paid
from shop.payments.parcels import move
from shop.privacy.cli import cleanup_cli
from shop.privacy.services import cleanup
from tests.factories import ADDRESS, CONTACT, PASSWORD, login


@pytest.fixture
def other_customer(app):
    from shop.accounts.services import register_customer

    return register_customer("Rina Wati", "rina.akun@example.net", PASSWORD)


@pytest.fixture
def order_for(gen_order):
    """order_for(user, {product: qty}, state) -> an order of `user` in `state`: pending,
    paid, completed (every parcel picked up), cancelled (every parcel cancelled) or expired."""

    def make(user, items, state="completed", contact=None):
        # Placed as a guest cart (the fixture makes a new cart each time; an account has one),
        # then given to the account.
        order, _token = gen_order(items, {p.facility.slug: "pickup" for p in items})
        order.user_id = user.id if user else None
        db.session.commit()
        if contact:
            for key, value in contact.items():
                setattr(order, key, value)
            db.session.commit()
        if state == "expired":
            assert expire_order(order)
            db.session.commit()
        elif state != "pending":
            assert mark_paid(order) == "paid"
            db.session.commit()
            for fo in list(order.facility_orders):
                if state == "completed":
                    for to in ("accepted", "ready_for_pickup", "picked_up"):
                        move(fo, to, "uji")
                elif state == "cancelled":
                    move(fo, "cancelled", "uji", MoveDetails(reason="Pembeli minta batal"))
        db.session.refresh(order)
        assert order.status == {"completed": "completed", "cancelled": "cancelled",
                                "expired": "expired", "paid": "paid",
                                "pending": "pending_payment"}[state]
        return order

    return make


def cart_of(user):
    """The user's cart (placing an order leaves it empty) or a new one."""
    return cart_for_user(user) or create_cart(user)


def order_sums():
    return db.session.execute(
        select(func.count(Order.id), func.sum(Order.subtotal), func.sum(Order.shipping_total),
               func.sum(Order.discount_total), func.sum(Order.total))
    ).one()


def facility_order_rows():
    return db.session.execute(
        select(FacilityOrder.id, FacilityOrder.order_id, FacilityOrder.facility_id,
               FacilityOrder.number, FacilityOrder.status, FacilityOrder.subtotal,
               FacilityOrder.shipping, FacilityOrder.discount, FacilityOrder.total,
               FacilityOrder.updated_at).order_by(FacilityOrder.id)
    ).all()


def line_rows():
    return db.session.execute(
        select(OrderLine.id, OrderLine.product_name, OrderLine.quantity, OrderLine.line_total)
        .order_by(OrderLine.id)
    ).all()


# ------------------------------------------------------------------ the page and the export

def test_privacy_pages_need_sign_in(client):
    for url in ("/account/privacy", "/account/privacy/export.json"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    response = client.post("/account/privacy/delete", data={"password": PASSWORD})
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_page_offers_download_and_deletion(client, customer):
    login(client, customer.email)
    body = client.get("/account/privacy").get_data(as_text=True)
    assert "/account/privacy/export.json" in body
    assert 'action="/account/privacy/delete"' in body


def test_export_has_my_data_and_nothing_of_anyone_else(
    client, customer, other_customer, order_for, product_a, product_b
):
    customer.saved_address = json.dumps(ADDRESS)
    customer.phone = "+6281122334455"
    db.session.commit()
    mine = [order_for(customer, {product_a: 2, product_b: 1}),
            order_for(customer, {product_b: 1}, state="pending")]
    theirs = order_for(other_customer, {product_a: 1},
                       contact={"contact_name": "Rina Wati", "email": "rina@example.net",
                                "phone": "+6285211112222", "street": "Jl. Rahasia No. 9"})
    guest = order_for(None, {product_b: 1},
                      contact={"contact_name": "Tamu Lain", "email": "tamu@example.org"})
    cart = cart_of(customer)
    set_quantity(cart, product_a.slug, 1)
    db.session.commit()

    login(client, customer.email)
    response = client.get("/account/privacy/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    text = response.get_data(as_text=True)
    data = json.loads(text)
    assert data["profile"]["email"] == customer.email
    assert data["profile"]["name"] == "Budi Santoso"
    assert data["profile"]["phone"] == "+6281122334455"
    assert data["saved_address"] == ADDRESS
    assert [o["number"] for o in data["orders"]] == [o.number for o in mine]
    first = data["orders"][0]
    assert first["total"] == mine[0].total
    assert first["contact"]["email"] == CONTACT["email"]
    assert first["address"]["street"] == ADDRESS["street"]
    lines = [(line["product"], line["quantity"]) for p in first["parcels"] for line in p["lines"]]
    assert sorted(lines) == [("Kursi Rotan Sanana", 2), ("Tas Anyaman Soasio", 1)]
    assert sum(p["total"] for p in first["parcels"]) == first["total"]
    assert data["cart"] == [{"product": product_a.slug, "name": "Kursi Rotan Sanana",
                             "quantity": 1, "price_seen": 45_000,
                             "added_at": data["cart"][0]["added_at"]}]
    for foreign in (theirs.number, guest.number, "rina", "Rina", "Rahasia", "tamu@",
                    "6285211112222", other_customer.email, "uji"):
        assert foreign not in text, foreign  # "uji": no timeline actors (staff) either


# ------------------------------------------------------------------ deleting the account

def delete(client, password=PASSWORD, confirm="y"):
    data = {"password": password}
    if confirm:
        data["confirm"] = confirm
    return client.post("/account/privacy/delete", data=data)


def test_deletion_anonymises_orders_keeps_sums_and_signs_out(
    client, customer, other_customer, order_for, product_a, product_b
):
    customer.saved_address = json.dumps(ADDRESS)
    db.session.commit()
    done = order_for(customer, {product_a: 2, product_b: 1}, state="completed")
    cancelled = order_for(customer, {product_b: 1}, state="cancelled")
    expired = order_for(customer, {product_a: 1}, state="expired")
    theirs = order_for(other_customer, {product_a: 1},
                       contact={"contact_name": "Rina Wati", "email": "rina@example.net"})
    cart = cart_of(customer)
    set_quantity(cart, product_a.slug, 1)
    db.session.commit()
    sums, parcels, lines = order_sums(), facility_order_rows(), line_rows()
    user_id = customer.id

    login(client, customer.email)
    response = delete(client)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    home = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Akun Anda sudah dihapus" in home
    assert client.get("/account").status_code == 302  # signed out

    db.session.expire_all()
    assert order_sums() == sums
    assert facility_order_rows() == parcels
    assert line_rows() == lines
    for order in (done, cancelled, expired):
        order = db.session.get(Order, order.id)
        assert order.contact_name == "Dihapus"
        assert order.email == f"deleted+{order.id}@invalid"
        assert (order.phone, order.street, order.rt_rw, order.kelurahan, order.kecamatan,
                order.note, order.postal_code) == ("", "", "", "", "", "", "")
        assert (order.city, order.province) == (ADDRESS["city"], ADDRESS["province"])
    theirs = db.session.get(Order, theirs.id)
    assert (theirs.contact_name, theirs.email, theirs.street) == (
        "Rina Wati", "rina@example.net", ADDRESS["street"])

    user = db.session.get(User, user_id)
    assert user.email == f"deleted+{user_id}@invalid" and user.name == "" and user.phone == ""
    assert user.saved_address is None and user.password_hash is None
    assert not user.is_active_account
    assert db.session.scalar(select(func.count(Cart.id)).where(Cart.user_id == user_id)) == 0
    assert db.session.scalar(select(func.count(CartLine.id))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.actor_label.like("%budi.akun%") | AuditEntry.subject.like("%budi.akun%"))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))
                             .where(AuditEntry.kind == "account.deleted")) == 1

    # Cannot sign in again, by the old address or the new one.
    for email in ("budi.akun@example.com", f"deleted+{user_id}@invalid"):
        response = client.post("/account/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 422
    # The address is free to register again.
    response = client.post("/account/register", data={
        "name": "Budi Baru", "email": "budi.akun@example.com", "password": PASSWORD,
        "confirm": PASSWORD})
    assert response.status_code == 302


def test_a_session_elsewhere_is_signed_out_too(app, client, customer, order_for, product_a):
    order_for(customer, {product_a: 1})
    other_device = app.test_client()
    login(other_device, customer.email)
    login(client, customer.email)
    assert delete(client).status_code == 302
    assert other_device.get("/account").status_code == 302


@pytest.mark.parametrize("password, confirm", [("salah-sekali-123", "y"), (PASSWORD, None),
                                               ("", "y")])
def test_deletion_needs_the_password_and_the_confirmation(
    client, customer, order_for, product_a, password, confirm
):
    order = order_for(customer, {product_a: 1})
    login(client, customer.email)
    response = delete(client, password, confirm)
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, customer.id).is_active_account
    assert db.session.get(Order, order.id).email == CONTACT["email"]
    assert client.get("/account").status_code == 200  # still signed in


def test_deletion_waits_for_orders_in_progress(client, customer, order_for, product_a):
    order = order_for(customer, {product_a: 1}, state="paid")
    login(client, customer.email)
    assert order.number in client.get("/account/privacy").get_data(as_text=True)
    response = delete(client)
    assert response.status_code == 422
    assert "Masih ada pesanan yang berjalan" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, customer.id).is_active_account
    assert db.session.get(Order, order.id).street == ADDRESS["street"]


@pytest.mark.parametrize("who", ["staff_a", "admin", "partner"])
def test_staff_admins_and_partners_cannot_self_delete(client, people, who):
    user = getattr(people, who)
    login(client, user.email)
    body = client.get("/account/privacy").get_data(as_text=True)
    assert "/account/privacy/delete" not in body
    response = delete(client)
    assert response.status_code == 403
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.is_active_account and user.email == getattr(people, who).email


# ------------------------------------------------------------------ retention cleanup

def age(model, row_id, days, *columns):
    when = utcnow() - timedelta(days=days)
    db.session.execute(model.__table__.update().where(model.__table__.c.id == row_id)
                       .values(**dict.fromkeys(columns, when)))
    db.session.commit()


@pytest.fixture
def aged_data(customer, order_for, product_a, product_b):
    old_cart = cart_of(customer)
    set_quantity(old_cart, product_a.slug, 1)
    guest_cart = create_cart()
    set_quantity(guest_cart, product_b.slug, 1)
    fresh_cart = create_cart()
    set_quantity(fresh_cart, product_a.slug, 1)
    stale_row_new_line = create_cart()
    set_quantity(stale_row_new_line, product_b.slug, 1)
    db.session.commit()
    for cart in (old_cart, guest_cart):
        age(Cart, cart.id, 40, "created_at", "updated_at")
        for line in cart.lines:
            age(CartLine, line.id, 40, "created_at")
    age(Cart, stale_row_new_line.id, 40, "created_at", "updated_at")  # but its line is new

    old_expired = order_for(None, {product_a: 1}, state="expired")
    new_expired = order_for(None, {product_b: 1}, state="expired")
    old_paid = order_for(customer, {product_a: 1}, state="completed")
    old_pending = order_for(None, {product_b: 1}, state="pending")
    for order in (old_expired, old_paid, old_pending):
        age(Order, order.id, 120, "created_at")
    age(Order, new_expired.id, 10, "created_at")
    return {"carts_deleted": {old_cart.id, guest_cart.id},
            "carts_kept": {fresh_cart.id, stale_row_new_line.id},
            "old_expired": old_expired, "new_expired": new_expired, "old_paid": old_paid,
            "old_pending": old_pending}


def test_cleanup_deletes_old_carts_and_anonymises_old_expired_orders(aged_data):
    sums = order_sums()
    assert cleanup() == (2, 1)
    db.session.expire_all()
    carts = set(db.session.scalars(select(Cart.id)))  # checkout's emptied carts are fresh too
    assert not carts & aged_data["carts_deleted"]
    assert carts >= aged_data["carts_kept"]
    assert db.session.scalar(select(func.count(CartLine.id))) == 2
    anonymised = db.session.get(Order, aged_data["old_expired"].id)
    assert anonymised.contact_name == "Dihapus" and anonymised.street == ""
    assert anonymised.email == f"deleted+{anonymised.id}@invalid"
    for key in ("new_expired", "old_paid", "old_pending"):
        order = db.session.get(Order, aged_data[key].id)
        assert order.email == CONTACT["email"] and order.street == ADDRESS["street"], key
    assert order_sums() == sums
    assert cleanup() == (0, 0)  # nothing left to do


def test_cleanup_command_reads_the_retention_settings(app, runner, aged_data):
    app.config["RETENTION_CART_DAYS"] = 60
    app.config["RETENTION_EXPIRED_ORDER_DAYS"] = 5
    try:
        result = runner.invoke(cleanup_cli, ["cleanup"])
    finally:
        del app.config["RETENTION_CART_DAYS"], app.config["RETENTION_EXPIRED_ORDER_DAYS"]
    assert result.exit_code == 0, result.output
    assert "Keranjang dihapus: 0" in result.output
    assert "Pesanan kedaluwarsa dianonimkan: 2" in result.output
    db.session.expire_all()
    assert db.session.get(Order, aged_data["new_expired"].id).contact_name == "Dihapus"
    assert db.session.get(Order, aged_data["old_paid"].id).contact_name == "Budi Santoso"

    result = runner.invoke(cleanup_cli, ["cleanup", "--cart-days", "30"])
    assert "Keranjang dihapus: 2" in result.output
