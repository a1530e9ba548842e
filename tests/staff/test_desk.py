"""The facility desk (/staff): the queue, a parcel and its moves through the HTML form, the
customer being told, cancelling with a refund (also when the gateway is down), two staff
moving one parcel at once, the packing slip and the CSV export."""

import csv
import io
import json
import re
import threading
import urllib.error
import urllib.request
from datetime import datetime

import pytest
from sqlalchemy import func, select, text, update

from shop.core.audit import AuditEntry
from shop.core.money import format_rupiah
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders.fulfilment import MoveDetails, MoveRefused
from shop.orders.models import FacilityOrder, FacilityOrderEvent, Order
from shop.payments.models import Refund
from shop.payments.parcels import move
from tests.conftest import is_postgres
from tests.factories import ADDRESS, CONTACT, PASSWORD, bearer, login

CUSTOMER_EMAIL = CONTACT["email"]


# ------------------------------------------------------------------ helpers

def send(client, number, to, **form):
    """Post a move through the parcel page's form and follow the redirect back to it."""
    response = client.post(f"/staff/orders/{number}/move", data={"to": to, **form})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/orders/{number}")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return page.get_data(as_text=True)


def status_of(number):
    db.session.expire_all()
    return db.session.scalar(select(FacilityOrder.status).where(FacilityOrder.number == number))


def events_of(number):
    db.session.expire_all()
    return db.session.scalars(
        select(FacilityOrderEvent).join(FacilityOrder)
        .where(FacilityOrder.number == number).order_by(FacilityOrderEvent.id)
    ).all()


def moves_audited(number):
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.kind == "facility_order.move",
                                 AuditEntry.subject == number).order_by(AuditEntry.id)
    ).all()


def customer_mails():
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == CUSTOMER_EMAIL)
        .order_by(OutboxMessage.id)
    ).all()


def order_status(order):
    db.session.expire_all()
    return db.session.scalar(select(Order.status).where(Order.id == order.id))


def stock_of(product):
    db.session.expire_all()
    return db.session.get(type(product), product.id).stock


def count_in_tab(body, label):
    """The count on a state's tab (a state with nothing in it may have no tab: 0)."""
    match = re.search(re.escape(label) + r' <span class="count">(\d+)</span>', body)
    return int(match.group(1)) if match else 0


# ------------------------------------------------------------------ the queue

def test_queue_shows_only_the_facilitys_paid_parcels_with_counts_per_state(
    client, paid_order, gen_paid_order, product_a, staff_a, facility_a
):
    unpaid = gen_paid_order({product_a: 1}, pay=False)
    second = gen_paid_order({product_a: 1})
    move(second.by_facility[facility_a.slug], "accepted", staff_a)

    login(client, staff_a.email)
    body = client.get("/staff/").get_data(as_text=True)
    assert paid_order.a.number in body and second.by_facility[facility_a.slug].number in body
    assert paid_order.b.number not in body  # the other facility's parcel of the same order
    assert unpaid.by_facility[facility_a.slug].number not in body  # not paid: not shown
    assert count_in_tab(body, "Baru") == 1
    assert count_in_tab(body, "Dikonfirmasi") == 1
    assert count_in_tab(body, "Dikemas") == 0
    assert count_in_tab(body, "Dibatalkan") == 0

    unpaid_number = unpaid.by_facility[facility_a.slug].number
    assert client.get(f"/staff/orders/{unpaid_number}").status_code == 404
    assert client.get(f"/staff/orders/{paid_order.b.number}").status_code == 404

    accepted_only = client.get("/staff/?status=accepted").get_data(as_text=True)
    assert second.by_facility[facility_a.slug].number in accepted_only
    assert paid_order.a.number not in accepted_only


def test_queue_search_by_order_number_and_customer_name(
    client, gen_paid_order, product_a, staff_a, facility_a
):
    first = gen_paid_order({product_a: 1}).by_facility[facility_a.slug]
    second = gen_paid_order({product_a: 1})
    db.session.execute(update(Order).where(Order.id == second.order.id)
                       .values(contact_name="Siti Aminah"))
    db.session.commit()
    second = second.by_facility[facility_a.slug]

    login(client, staff_a.email)
    by_name = client.get("/staff/?q=aminah").get_data(as_text=True)
    assert second.number in by_name and first.number not in by_name

    by_number = client.get(f"/staff/?q={first.number.lower()}").get_data(as_text=True)
    assert first.number in by_number and second.number not in by_number

    nothing = client.get("/staff/?q=%25_tidak-ada").get_data(as_text=True)
    assert first.number not in nothing and second.number not in nothing


def test_queue_pages_through_25_parcels(client, gen_paid_order, gen_product, facility_a,
                                        staff_a):
    product = gen_product(facility=facility_a, price=20_000, stock=40)
    numbers = [gen_paid_order({product: 1}).by_facility[facility_a.slug].number
               for _ in range(25)]

    login(client, staff_a.email)
    pages = []
    for page in (1, 2):
        body = client.get(f"/staff/?page={page}").get_data(as_text=True)
        assert f"Halaman {page} dari 2" in body
        pages.append({n for n in numbers if n in body})
    assert len(pages[0]) == 20 and len(pages[1]) == 5
    assert pages[0] | pages[1] == set(numbers)
    assert numbers[-1] in pages[0] and numbers[0] in pages[1]  # newest paid first
    assert client.get("/staff/?page=99").status_code == 200  # clamped, not an error


# ------------------------------------------------------------------ a parcel

def test_parcel_page_shows_lines_and_the_address_only_for_courier_delivery(
    app, paid_order, staff_a, staff_b
):
    courier_client, pickup_client = app.test_client(), app.test_client()
    login(courier_client, staff_a.email)
    body = courier_client.get(f"/staff/orders/{paid_order.a.number}").get_data(as_text=True)
    assert "Kursi Rotan Sanana" in body and "2 buah" in body and "2 piece" not in body
    assert CONTACT["name"] in body and paid_order.order.phone in body
    assert ADDRESS["street"] in body and ADDRESS["postal_code"] in body

    login(pickup_client, staff_b.email)
    body = pickup_client.get(f"/staff/orders/{paid_order.b.number}").get_data(as_text=True)
    assert "Tas Anyaman Soasio" in body
    assert CONTACT["name"] in body and paid_order.order.phone in body
    assert ADDRESS["street"] not in body and ADDRESS["postal_code"] not in body


# ------------------------------------------------------------------ moves through the form

def test_courier_parcel_goes_accept_pack_ship_deliver_and_the_customer_is_told(
    client, paid_order, staff_a, staff_b
):
    number = paid_order.a.number
    login(client, staff_a.email)
    mails_before = len(customer_mails())  # the "paid" mail

    send(client, number, "accepted")
    assert status_of(number) == "accepted"
    send(client, number, "packed")
    assert status_of(number) == "packed"
    assert order_status(paid_order.order) == "paid"

    page = send(client, number, "shipped", courier="jnt", tracking_number="")
    assert "Nomor resi wajib diisi" in page
    page = send(client, number, "shipped", courier="", tracking_number="JT0001234567")
    assert "Pilih kurir" in page
    assert status_of(number) == "packed"

    send(client, number, "shipped", courier="jnt", tracking_number="JT0001234567")
    assert status_of(number) == "shipped"
    assert order_status(paid_order.order) == "partially_shipped"  # B's parcel still waits
    customer = client.application.test_client().get(
        f"/orders/{paid_order.order.number}?token={paid_order.token}").get_data(as_text=True)
    assert "JT0001234567" in customer and paid_order.b.number in customer
    send(client, number, "delivered")
    assert status_of(number) == "delivered"
    assert order_status(paid_order.order) == "partially_shipped"

    events = events_of(number)
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, "awaiting_payment"), ("awaiting_payment", "new"), ("new", "accepted"),
        ("accepted", "packed"), ("packed", "shipped"), ("shipped", "delivered")]
    events = events[2:]  # placed, paid; then the desk's moves
    assert all(e.actor == staff_a.email for e in events)
    assert "JT0001234567" in events[2].note
    audited = moves_audited(number)
    assert [(a.from_value, a.to_value) for a in audited] == [
        (e.from_status, e.to_status) for e in events]
    assert all(a.actor_id == staff_a.id for a in audited)

    mails = customer_mails()[mails_before:]  # packed is not worth a mail
    assert len(mails) == 3 and all(number in m.subject for m in mails)
    accepted, shipped, delivered = mails
    assert "dikonfirmasi" in accepted.subject and "dikirim" in shipped.subject
    assert "sampai" in delivered.subject
    assert "JT0001234567" in shipped.text_body and "J&T" in shipped.text_body
    assert "https://jet.co.id/track?awb=JT0001234567" in shipped.text_body
    assert "https://jet.co.id/track?awb=JT0001234567" in shipped.html_body

    # B's pickup parcel: accept -> ready -> picked up; the customer order follows.
    other = paid_order.b.number
    login_b = client.application.test_client()
    login(login_b, staff_b.email)
    send(login_b, other, "accepted")
    send(login_b, other, "ready_for_pickup")
    assert order_status(paid_order.order) == "shipped"
    send(login_b, other, "picked_up")
    assert status_of(other) == "picked_up"
    assert order_status(paid_order.order) == "completed"
    subjects = [m.subject for m in customer_mails()[mails_before + 3:]]
    assert len(subjects) == 3 and all(other in s for s in subjects)
    assert "siap diambil" in subjects[1]
    assert [e.to_status for e in events_of(other)][2:] == ["accepted", "ready_for_pickup",
                                                            "picked_up"]
    assert len(moves_audited(other)) == 3


def test_pickup_parcel_of_facility_a_goes_accept_ready_picked_up(
    client, gen_paid_order, product_a, facility_a, staff_a
):
    number = gen_paid_order({product_a: 1}).by_facility[facility_a.slug].number
    login(client, staff_a.email)
    body = client.get(f"/staff/orders/{number}").get_data(as_text=True)
    assert ADDRESS["street"] not in body
    send(client, number, "accepted")
    page = send(client, number, "packed")  # not a pickup move
    assert "Tidak bisa mengubah status" in page and status_of(number) == "accepted"
    send(client, number, "ready_for_pickup")
    ready = customer_mails()[-1]
    assert "siap diambil" in ready.subject and "Jl. Lapas No. 1, Sanana" in ready.text_body
    send(client, number, "picked_up")
    assert status_of(number) == "picked_up"


def test_skipping_states_is_refused_and_changes_nothing(client, paid_order, staff_a):
    number = paid_order.a.number
    login(client, staff_a.email)
    mails_before = len(customer_mails())
    page = send(client, number, "delivered")
    assert "Tidak bisa mengubah status dari “Baru” ke “Sampai”" in page
    page = send(client, number, "no-such-state")
    assert "Tidak bisa mengubah status" in page
    assert status_of(number) == "new"
    assert len(events_of(number)) == 2 and moves_audited(number) == []  # placed, paid
    assert len(customer_mails()) == mails_before

    with pytest.raises(MoveRefused) as refused:
        move(db.session.get(FacilityOrder, paid_order.a.id), "shipped", staff_a,
             MoveDetails(courier="jne", tracking_number="JNE12345"))
    assert refused.value.code == "move_not_allowed"
    assert refused.value.allowed == ["accepted", "cancelled"]
    assert refused.value.current == "new"


def test_a_shipped_or_delivered_parcel_cannot_be_cancelled(client, paid_order, staff_a):
    number = paid_order.a.number
    fo = db.session.get(FacilityOrder, paid_order.a.id)
    for to in ("accepted", "packed"):
        move(fo, to, staff_a)
    move(fo, "shipped", staff_a, MoveDetails(courier="other", courier_name="Kapal Perintis",
                                             tracking_number="KP-2024-01"))
    login(client, staff_a.email)
    body = client.get(f"/staff/orders/{number}").get_data(as_text=True)
    assert "Kapal Perintis KP-2024-01" in body
    assert "Batalkan paket ini" not in body  # no cancel form offered
    page = send(client, number, "cancelled", reason="Pembeli minta batal")
    assert "Tidak bisa mengubah status" in page and status_of(number) == "shipped"

    send(client, number, "delivered")
    with pytest.raises(MoveRefused) as refused:
        move(db.session.get(FacilityOrder, fo.id), "cancelled", staff_a,
             MoveDetails(reason="Pembeli minta batal"))
    assert refused.value.allowed == [] and refused.value.current == "delivered"
    assert status_of(number) == "delivered"
    assert db.session.scalar(select(func.count(Refund.id))) == 0


def test_cancel_needs_a_reason_restores_stock_and_tells_the_customer(
    client, paid_order, product_a, product_b, staff_a
):
    number = paid_order.a.number
    assert stock_of(product_a) == 8 and stock_of(product_b) == 9
    login(client, staff_a.email)
    page = send(client, number, "cancelled", reason=" ")
    assert "Tuliskan alasan pembatalan" in page and status_of(number) == "new"
    assert stock_of(product_a) == 8

    send(client, number, "cancelled", reason="Bahan rotan habis")
    assert status_of(number) == "cancelled"
    assert stock_of(product_a) == 10 and stock_of(product_b) == 9  # only this parcel's goods
    assert order_status(paid_order.order) == "paid"  # B's parcel is still coming
    event = events_of(number)[-1]
    assert (event.to_status, event.note) == ("cancelled", "Bahan rotan habis")
    assert moves_audited(number)[-1].to_value == "cancelled"
    mail = customer_mails()[-1]
    assert number in mail.subject and "dibatalkan" in mail.subject
    assert "Bahan rotan habis" in mail.text_body
    # Marked paid without a gateway payment here: nothing to refund (see the localstripe tests).
    assert db.session.scalar(select(func.count(Refund.id))) == 0


# ------------------------------------------------------------------ refunds through the gateway

def pay_for_real(app, order):
    """Pay the order at localstripe with the success card and settle it from the gateway."""
    from shop.payments.services import start_payment, sync_from_gateway
    from tests.payments import pay_at_stripe

    payment = start_payment(order)
    assert pay_at_stripe(app, payment.intent_id).status == "succeeded"
    assert sync_from_gateway(order) == "paid"
    return payment


@pytest.fixture
def really_paid(app, localstripe, gen_paid_order, product_a, product_b, facility_a,
                facility_b):
    result = gen_paid_order({product_a: 2, product_b: 1},
                             {facility_a.slug: "courier", facility_b.slug: "pickup"}, pay=False)
    result.a = result.by_facility[facility_a.slug]
    # A promotion's discount, split over the parcels (A's share 5.000, B's 3.000): the refund
    # of a cancelled parcel is its lines and shipping less its own share.
    for fo, share in ((result.a, 5_000), (result.by_facility[facility_b.slug], 3_000)):
        db.session.execute(update(FacilityOrder).where(FacilityOrder.id == fo.id).values(
            discount=share, total=FacilityOrder.total - share))
    db.session.execute(update(Order).where(Order.id == result.order.id).values(
        discount_total=8_000, total=Order.total - 8_000))
    db.session.commit()
    db.session.expire_all()
    result.payment = pay_for_real(app, result.order)
    return result


def customer_page(app, paid):
    response = app.test_client().get(f"/orders/{paid.order.number}?token={paid.token}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_cancel_refunds_the_facilitys_share_at_the_gateway(
    app, client, really_paid, staff_a, product_a
):
    from tests.payments import stripe_client

    fo = really_paid.a
    share = fo.subtotal + fo.shipping - fo.discount
    assert fo.discount == 5_000 and fo.shipping > 0
    assert share == 2 * 45_000 + fo.shipping - 5_000 and share < really_paid.order.total
    login(client, staff_a.email)
    send(client, fo.number, "cancelled", reason="Bahan rotan habis")

    assert status_of(fo.number) == "cancelled" and stock_of(product_a) == 10
    refund = db.session.scalars(select(Refund)).one()
    assert (refund.amount, refund.status, refund.facility_order_id) == (share, "succeeded", fo.id)
    assert refund.payment_id == really_paid.payment.id and refund.provider_refund_id
    at_stripe = stripe_client(app).v1.refunds.retrieve(refund.provider_refund_id)
    assert at_stripe.amount == share * 100
    assert at_stripe.payment_intent == really_paid.payment.intent_id
    assert db.session.scalar(select(func.count(AuditEntry.id))
                             .where(AuditEntry.kind == "refund.requested")) == 1
    assert format_rupiah(share) in customer_mails()[-1].text_body

    page = customer_page(app, really_paid)
    assert f"Pengembalian dana {format_rupiah(share)}" in page
    assert "(selesai)" in page and fo.number in page


def test_a_refund_the_gateway_cannot_take_stays_pending_and_the_retry_finishes_it(
    app, client, runner, really_paid, staff_a, localstripe
):
    fo = really_paid.a
    share = fo.subtotal + fo.shipping - fo.discount
    login(client, staff_a.email)
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"  # the gateway is down
    try:
        send(client, fo.number, "cancelled", reason="Bahan rotan habis")
    finally:
        app.config["STRIPE_API_BASE"] = localstripe
    assert status_of(fo.number) == "cancelled"  # the cancel stands; the money is owed
    refund = db.session.scalars(select(Refund)).one()
    assert (refund.amount, refund.status, refund.provider_refund_id) == (share, "pending", None)
    assert "(sedang diproses)" in customer_page(app, really_paid)

    result = runner.invoke(args=["payments", "retry-refunds"])
    assert result.exit_code == 0, result.output
    assert "Pengembalian dana selesai: 1" in result.output
    db.session.expire_all()
    refund = db.session.scalars(select(Refund)).one()
    assert refund.status == "succeeded" and refund.provider_refund_id
    assert "(selesai)" in customer_page(app, really_paid)

    again = runner.invoke(args=["payments", "retry-refunds"])
    assert "Pengembalian dana selesai: 0" in again.output


# ------------------------------------------------------------------ two staff at once

def test_two_staff_moving_the_same_parcel_one_wins_the_other_sees_the_current_state(
    app, client, paid_order, staff_a
):
    from shop.accounts.provisioning import create_staff

    colleague = create_staff("petugas2.sanana@example.org", staff_a.facility,
                             password=PASSWORD, invite=False)
    db.session.expire_all()
    stale = db.session.get(FacilityOrder, paid_order.a.id)
    assert stale.status == "new"
    # The colleague's move lands between our read and our write (another connection).
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE facility_order SET status = 'accepted' WHERE id = :id"),
                     {"id": stale.id})
    with pytest.raises(MoveRefused) as refused:
        move(stale, "accepted", colleague)
    assert refused.value.code == "conflict"
    assert refused.value.current == "accepted"
    assert refused.value.allowed == ["packed", "cancelled"]
    assert "Dikonfirmasi" in refused.value.message
    assert stale.status == "accepted"  # refreshed: the loser sees the current state
    assert len(events_of(paid_order.a.number)) == 2  # placed, paid: the loser wrote nothing
    assert moves_audited(paid_order.a.number) == []

    # Through the desk: two browsers showing "Baru"; the second click is told what happened.
    other = app.test_client()
    login(client, staff_a.email)
    login(other, colleague.email)
    number = paid_order.a.number
    db.session.execute(text("UPDATE facility_order SET status = 'new' WHERE id = :id"),
                       {"id": stale.id})
    db.session.commit()
    assert "Tandai: Dikonfirmasi" in client.get(f"/staff/orders/{number}").get_data(as_text=True)
    assert "Tandai: Dikonfirmasi" in other.get(f"/staff/orders/{number}").get_data(as_text=True)
    send(client, number, "accepted")
    page = send(other, number, "accepted")
    assert "Tidak bisa mengubah status dari “Dikonfirmasi”" in page
    assert [e.to_status for e in events_of(number)][2:] == ["accepted"]


def _post_json(url, body, headers):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read())


@pytest.mark.postgres
@pytest.mark.skipif(not is_postgres(), reason="the race needs PostgreSQL; SQLite serialises "
                    "writers")
def test_ten_api_clients_accepting_at_once_exactly_one_wins(live_server, paid_order, staff_a):
    from shop.accounts.tokens import issue_api_token

    token = issue_api_token(staff_a, "race")
    number = paid_order.a.number
    db.session.commit()
    db.session.close()  # hold no connection/transaction while the threads run
    url = f"{live_server}/api/v1/staff/fulfilments/{number}/transition"
    barrier = threading.Barrier(10)
    results = []

    def worker():
        barrier.wait()
        results.append(_post_json(url, {"to": "accepted"}, bearer(token)))

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [409] * 9, results
    assert all(body["error"]["current"] == "accepted" for status, body in results
               if status == 409)
    assert [e.to_status for e in events_of(number)] == ["awaiting_payment", "new", "accepted"]
    assert len(moves_audited(number)) == 1
    assert sum("dikonfirmasi" in m.subject for m in customer_mails()) == 1


# ------------------------------------------------------------------ slip and export

def test_packing_slip_has_the_number_a_qr_code_and_the_address(client, paid_order, staff_a):
    login(client, staff_a.email)
    response = client.get(f"/staff/orders/{paid_order.a.number}/slip")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert paid_order.a.number in body
    assert "<svg" in body and f"Kode QR {paid_order.a.number}" in body
    assert ADDRESS["street"] in body and ADDRESS["postal_code"] in body
    assert "Kursi Rotan Sanana" in body and "Tas Anyaman Soasio" not in body


def test_csv_export_has_the_facilitys_parcels_paid_in_the_date_range(
    client, gen_paid_order, product_a, product_b, facility_a, facility_b, staff_a
):
    def paid_at(result, when):
        db.session.execute(update(Order).where(Order.id == result.order.id).values(paid_at=when))
        db.session.commit()
        return result

    # WIT is UTC+9: the range 1..15 March 2024 (WIT) is [29 Feb 15:00, 15 Mar 15:00) in UTC.
    first = paid_at(gen_paid_order({product_a: 2}), datetime(2024, 2, 29, 15, 30))
    middle = paid_at(gen_paid_order({product_a: 1, product_b: 1}), datetime(2024, 3, 10, 2, 0))
    late = paid_at(gen_paid_order({product_a: 1}), datetime(2024, 3, 15, 15, 0))
    before = paid_at(gen_paid_order({product_a: 1}), datetime(2024, 2, 29, 14, 59))
    unpaid = gen_paid_order({product_a: 1}, pay=False)

    login(client, staff_a.email)
    response = client.get("/staff/orders.csv?from=2024-03-01&to=2024-03-15")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    a = facility_a.slug
    assert [r["nomor"] for r in rows] == [first.by_facility[a].number,
                                          middle.by_facility[a].number]
    assert rows[0]["dibayar_wit"] == "2024-03-01 00:30"
    assert rows[0]["jumlah_barang"] == "2" and rows[0]["kota"] == ADDRESS["city"]
    fo = middle.by_facility[a]
    assert (rows[1]["subtotal"], rows[1]["total"], rows[1]["status"]) == (
        str(fo.subtotal), str(fo.total), "new")
    body = response.get_data(as_text=True)
    for other in (middle.by_facility[facility_b.slug], late.by_facility[a],
                  before.by_facility[a], unpaid.by_facility[a]):
        assert other.number not in body

    swapped = client.get("/staff/orders.csv?from=2024-03-15&to=2024-03-01")
    assert len(list(csv.DictReader(io.StringIO(swapped.get_data(as_text=True))))) == 2
    rest = client.get("/staff/orders.csv?from=2024-03-16&to=2024-03-31").get_data(as_text=True)
    assert late.by_facility[a].number in rest and first.by_facility[a].number not in rest


def test_csv_export_neutralises_formulas_typed_by_customers(client, gen_order, gen_paid_order,
                                                            product_a, staff_a, facility_a):
    from shop.orders.services import mark_paid

    city = '=HYPERLINK("http://contoh.example/x","Klik")'
    order, _ = gen_order({product_a: 1}, address={**ADDRESS, "city": city})
    mark_paid(order)
    db.session.commit()
    login(client, staff_a.email)
    rows = list(csv.DictReader(io.StringIO(client.get("/staff/orders.csv").get_data(
        as_text=True))))
    assert len(rows) == 1
    assert not rows[0]["kota"].startswith(("=", "+", "-", "@"))
    assert city in rows[0]["kota"]  # kept readable, e.g. prefixed with an apostrophe
