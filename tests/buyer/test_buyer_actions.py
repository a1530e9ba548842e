"""What a buyer does from the order page: cancel while unpaid, "Pesanan diterima", report a
problem, download the receipt and delivery note; someone else's order or parcel: refused,
nothing changed."""

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.buyer.helpers import mails, order_link_in
from tests.factories import png_bytes


def _pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _open(app, order):
    """A fresh browser that opened the order's signed link (as from a mail)."""
    from shop.orders.links import make_order_token

    browser = app.test_client()
    assert browser.get(f"/orders/{order.number}?k={make_order_token(order)}").status_code == 302
    return browser


def _ship(fo, staff):
    from shop.orders.fulfilment import MoveDetails
    from shop.payments import parcels

    for to in ("accepted", "packed"):
        parcels.move(fo, to, staff)
    parcels.move(fo, "shipped", staff, MoveDetails(courier="jne", tracking_number="JNE12345"))


# ------------------------------------------------------------------ cancel

def test_buyer_cancels_an_unpaid_order_and_the_stock_comes_back(app, gen_order, product_a):
    from shop.extensions import db

    order, _token = gen_order({product_a: 3})
    db.session.refresh(product_a)
    assert product_a.stock == 7
    browser = _open(app, order)
    page = browser.get(f"/orders/{order.number}").get_data(as_text=True)
    assert "Batalkan pesanan" in page
    response = browser.post(f"/orders/{order.number}/cancel")
    assert response.status_code == 302
    db.session.expire_all()
    assert order.status == "cancelled"
    assert {fo.status for fo in order.facility_orders} == {"cancelled"}
    assert product_a.stock == 10
    page = browser.get(f"/orders/{order.number}").get_data(as_text=True)
    assert "dibatalkan" in page and "Batalkan pesanan</button>" not in page


def test_cancelling_a_transfer_frees_its_code(app, gen_order, product_a):
    from shop.extensions import db
    from shop.payments.models import TransferCode
    from shop.payments.services import current_payment, start_payment

    order, _token = gen_order({product_a: 1})
    order.payment_method = "bank_transfer"
    db.session.commit()
    start_payment(order)
    assert db.session.scalar(select(TransferCode)) is not None
    _open(app, order).post(f"/orders/{order.number}/cancel")
    db.session.expire_all()
    assert order.status == "cancelled"
    assert db.session.scalar(select(TransferCode)) is None
    assert current_payment(order).status == "canceled"


def test_a_paid_order_cannot_be_cancelled_by_the_buyer(app, paid_order):
    from shop.extensions import db

    browser = _open(app, paid_order.order)
    assert "Batalkan pesanan" not in browser.get(
        f"/orders/{paid_order.order.number}").get_data(as_text=True)
    browser.post(f"/orders/{paid_order.order.number}/cancel")
    db.session.expire_all()
    assert paid_order.order.status == "paid"


def test_money_arriving_after_a_cancel_is_refunded_not_revived(app, gen_order, product_a):
    from shop.extensions import db
    from shop.orders.services import PaidOutcome, mark_paid

    order, _token = gen_order({product_a: 1})
    _open(app, order).post(f"/orders/{order.number}/cancel")
    db.session.expire_all()
    assert mark_paid(order) == PaidOutcome.NEEDS_REFUND
    db.session.rollback()
    assert order.status == "cancelled"


def test_a_stranger_cannot_cancel(app, gen_order, product_a):
    from shop.extensions import db

    order, _token = gen_order({product_a: 1})
    assert app.test_client().post(f"/orders/{order.number}/cancel").status_code == 404
    db.session.expire_all()
    assert order.status == "pending_payment"


# ------------------------------------------------------------------ received / auto-complete

def test_pesanan_diterima_marks_a_shipped_parcel_delivered(app, paid_order, staff_a):
    from shop.extensions import db

    _ship(paid_order.a, staff_a)
    browser = _open(app, paid_order.order)
    page = browser.get(f"/orders/{paid_order.order.number}").get_data(as_text=True)
    assert "Pesanan diterima" in page
    browser.post(f"/orders/{paid_order.order.number}/parcels/{paid_order.a.number}/received")
    db.session.expire_all()
    assert paid_order.a.status == "delivered"
    assert paid_order.a.events[-1].actor.startswith("pembeli")


def test_received_is_refused_for_a_parcel_not_shipped_or_of_another_order(
        app, paid_order, gen_paid_order, product_a, staff_a):
    from shop.extensions import db

    other = gen_paid_order({product_a: 1}, {"lapas-sanana": "courier"})
    other_fo = other.by_facility["lapas-sanana"]
    _ship(other_fo, staff_a)
    browser = _open(app, paid_order.order)
    number = paid_order.order.number
    browser.post(f"/orders/{number}/parcels/{paid_order.a.number}/received")  # not shipped
    browser.post(f"/orders/{number}/parcels/{other_fo.number}/received")  # not theirs
    assert browser.post(f"/orders/{other.order.number}/parcels/{other_fo.number}/received"
                        ).status_code == 404
    db.session.expire_all()
    assert paid_order.a.status == "new"
    assert other_fo.status == "shipped"


def test_auto_complete_after_seven_days(app, runner, paid_order, staff_a):
    from shop.extensions import db
    from shop.orders.models import FacilityOrderEvent

    _ship(paid_order.a, staff_a)
    assert "Paket selesai otomatis: 0" in runner.invoke(args=["orders", "auto-complete"]).output
    event = db.session.scalar(select(FacilityOrderEvent).where(
        FacilityOrderEvent.to_status == "shipped"))
    event.created_at -= timedelta(days=7, minutes=1)
    db.session.commit()
    assert "Paket selesai otomatis: 1" in runner.invoke(args=["orders", "auto-complete"]).output
    db.session.expire_all()
    assert paid_order.a.status == "delivered"


# ------------------------------------------------------------------ problems

def test_problem_report_reaches_the_facility_desk_and_the_kanwil(app, paid_order, staff_a,
                                                                 admin):
    from shop.extensions import db
    from tests.factories import login

    _ship(paid_order.a, staff_a)
    browser = _open(app, paid_order.order)
    url = f"/orders/{paid_order.order.number}/parcels/{paid_order.a.number}/problem"
    assert browser.get(url).status_code == 200
    response = browser.post(url, data={"kind": "damaged",
                                       "text": "Kaki kursi patah saat paket dibuka.",
                                       "photo": (io.BytesIO(png_bytes()), "foto.png")},
                            content_type="multipart/form-data")
    assert response.status_code == 302
    staff = app.test_client()
    login(staff, staff_a.email)
    desk = staff.get(f"/staff/orders/{paid_order.a.number}").get_data(as_text=True)
    assert "Kaki kursi patah saat paket dibuka." in desk and "Barang rusak" in desk
    kanwil = app.test_client()
    login(kanwil, admin.email)
    page = kanwil.get(f"/admin/orders/{paid_order.order.number}").get_data(as_text=True)
    assert "Kaki kursi patah saat paket dibuka." in page
    photo = re.search(r'href="(/admin/parcels/[^"]+/photo)"', page).group(1)
    shown = kanwil.get(photo)
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    desk_photo = re.search(r'href="(/staff/orders/[^"]+/photo)"', desk).group(1)
    assert staff.get(desk_photo).mimetype == "image/png"
    # nobody else sees it: a stranger, another facility's staff
    assert app.test_client().get(photo).status_code in (302, 401, 403, 404)
    db.session.expire_all()


@pytest.mark.parametrize("data,message", [
    ({"kind": "damaged", "text": "pendek"}, "Ceritakan masalahnya"),
    ({"kind": "lainnya", "text": "Kaki kursi patah saat dibuka."}, "Pilih jenis masalah"),
    ({"kind": "damaged", "text": "Kaki kursi patah saat dibuka.",
      "photo": (io.BytesIO(b"<?php echo 1; ?>"), "x.png")}, "Foto harus berupa gambar"),
])
def test_bad_problem_reports_are_refused_and_nothing_is_kept(app, paid_order, staff_a, data,
                                                             message):
    from shop.extensions import db
    from shop.orders.problems import ParcelProblem

    _ship(paid_order.a, staff_a)
    browser = _open(app, paid_order.order)
    response = browser.post(
        f"/orders/{paid_order.order.number}/parcels/{paid_order.a.number}/problem", data=data,
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(ParcelProblem)) is None


def test_someone_elses_parcel_cannot_get_a_report(app, paid_order, gen_paid_order, product_a,
                                                   staff_a):
    from shop.extensions import db
    from shop.orders.problems import ParcelProblem

    other = gen_paid_order({product_a: 1}, {"lapas-sanana": "courier"})
    other_fo = other.by_facility["lapas-sanana"]
    _ship(other_fo, staff_a)
    browser = _open(app, paid_order.order)
    data = {"kind": "missing", "text": "Paketnya tidak pernah sampai."}
    assert browser.post(f"/orders/{paid_order.order.number}/parcels/{other_fo.number}/problem",
                        data=data).status_code == 404
    assert browser.post(f"/orders/{other.order.number}/parcels/{other_fo.number}/problem",
                        data=data).status_code == 404
    assert db.session.scalar(select(ParcelProblem)) is None


# ------------------------------------------------------------------ receipts

def test_receipt_pdf_of_a_paid_order(app, paid_order):
    order = paid_order.order
    browser = _open(app, order)
    page = browser.get(f"/orders/{order.number}").get_data(as_text=True)
    assert f"/orders/{order.number}/receipt.pdf" in page
    response = browser.get(f"/orders/{order.number}/receipt.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    for expected in ("Kuitansi pesanan " + order.number, paid_order.a.number,
                     paid_order.b.number, "Kursi Rotan Sanana", "Tas Anyaman Soasio",
                     "Rp45.000", "Rp90.000", "Ongkos kirim", "LUNAS", "Dibayar pada",
                     "Cara bayar", "Kantor Wilayah", "Budi Santoso",
                     f"Rp{order.total:,}".replace(",", ".")):
        assert expected in text, expected


def test_receipt_link_in_the_paid_mail_opens_in_a_fresh_browser(app, paid_order):
    message = next(m for m in mails(paid_order.order.email) if "sudah dibayar" in m.subject)
    link = order_link_in(message, "/receipt.pdf")
    browser = app.test_client()
    first = browser.get(link)
    assert first.status_code == 302
    response = browser.get(first.headers["Location"])
    assert response.mimetype == "application/pdf"
    assert "LUNAS" in _pdf_text(response.data)


def test_delivery_note_per_parcel(app, paid_order, staff_a):
    _ship(paid_order.a, staff_a)
    browser = _open(app, paid_order.order)
    response = browser.get(f"/orders/{paid_order.order.number}/parcels/"
                           f"{paid_order.a.number}/delivery-note.pdf")
    text = _pdf_text(response.data)
    assert f"Surat jalan paket {paid_order.a.number}" in text
    assert "Lapas Sanana" in text and "Kursi Rotan Sanana" in text and "JNE12345" in text
    assert "Tas Anyaman Soasio" not in text


def test_no_receipt_for_strangers_or_unpaid_orders(app, paid_order, gen_order, product_a):
    assert app.test_client().get(
        f"/orders/{paid_order.order.number}/receipt.pdf").status_code == 404
    unpaid, _token = gen_order({product_a: 1})
    assert _open(app, unpaid).get(f"/orders/{unpaid.number}/receipt.pdf").status_code == 404
