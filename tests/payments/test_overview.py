"""The payments overview per WIT day and way to pay: expected, confirmed, open transfers,
expired, refunds open/done; the screen and the CSV agree, the page reads a fixed number of
queries."""

import csv
import io
from datetime import datetime

import pytest
from sqlalchemy import update

from shop.extensions import db
from shop.orders.models import Order
from shop.orders.services import expire_order
from shop.payments.models import Payment, Refund
from shop.payments.services import queue_refund
from shop.payments.transfers import confirm_transfer
from tests.payments.kanwil import login


def at(order, created, paid=None, expires=None):
    values = {"created_at": created}
    if paid:
        values["paid_at"] = paid
    if expires:
        values["expires_at"] = expires
    db.session.execute(update(Order).where(Order.id == order.id).values(**values))
    db.session.execute(update(Payment).where(Payment.order_id == order.id)
                       .values(created_at=created))


@pytest.fixture
def days(place_transfer, gen_product, facility_a, admin):
    """WIT 10 Jan 2026: transfers A (confirmed, then a refund opened) and B (open), pickup C
    placed at 23:30 WIT; WIT 11 Jan: transfer D placed at 00:30 WIT, expired the same day."""
    chair = gen_product(facility=facility_a, price=100_000, stock=20)
    a, b, d = (place_transfer({chair: 1}) for _ in range(3))
    c = place_transfer({chair: 2}, method="pay_at_pickup")
    confirm_transfer(a.order, a.payment.amount_due, "BRI 1", admin)
    queue_refund(a.order, 30_000, "uji", key="uji-a")
    at(a.order, datetime(2026, 1, 10, 1), paid=datetime(2026, 1, 10, 2))
    db.session.execute(update(Refund).values(created_at=datetime(2026, 1, 10, 3)))
    at(b.order, datetime(2026, 1, 10, 4))
    at(c.order, datetime(2026, 1, 10, 14, 30))
    expire_order(db.session.get(Order, d.order.id))
    db.session.execute(update(Payment).where(Payment.order_id == d.order.id)
                       .values(status="canceled"))
    at(d.order, datetime(2026, 1, 10, 15, 30), expires=datetime(2026, 1, 11, 3))
    db.session.commit()
    return a, b, c, d


def test_overview_figures(client, admin, days):
    a, b, c, d = days
    login(client, admin.email)
    page = client.get("/admin/payments/overview?from=2026-01-10&to=2026-01-11").get_data(
        as_text=True)
    rows = page.split('id="overview"')[1].split("<tbody>")[1].split("</tbody>")[0]
    rows = [r for r in rows.split("<tr>") if r.strip()]
    assert [r.split("</th>")[0].split(">")[-1] for r in rows] == [
        "2026-01-11", "2026-01-10", "2026-01-10"]
    assert "Transfer bank" in rows[0] and "Transfer bank" in rows[1]
    assert "Bayar di tempat" in rows[2]

    response = client.get("/admin/payments/overview.csv?from=2026-01-10&to=2026-01-11")
    assert response.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    by_key = {(r["tanggal_wit"], r["cara_bayar"]): r for r in table}
    assert set(by_key) == {("2026-01-11", "bank_transfer"), ("2026-01-10", "bank_transfer"),
                           ("2026-01-10", "pay_at_pickup")}
    day10 = by_key[("2026-01-10", "bank_transfer")]
    assert (day10["pesanan_dibuat"], day10["nilai_dibuat"]) == ("2", str(a.order.total * 2))
    assert (day10["pesanan_dibayar"], day10["nilai_dibayar"]) == ("1", str(a.order.total))
    assert (day10["transfer_terbuka"], day10["nilai_transfer_terbuka"]) == (
        "1", str(b.payment.amount_due))
    assert (day10["refund_terbuka"], day10["nilai_refund_terbuka"]) == ("1", "30000")
    assert day10["refund_selesai"] == "0" and day10["kedaluwarsa"] == "0"
    day11 = by_key[("2026-01-11", "bank_transfer")]
    assert (day11["pesanan_dibuat"], day11["kedaluwarsa"]) == ("1", "1")
    assert day11["nilai_kedaluwarsa"] == str(d.order.total)
    pickup = by_key[("2026-01-10", "pay_at_pickup")]
    assert (pickup["pesanan_dibuat"], pickup["nilai_dibuat"]) == ("1", str(c.order.total))
    # the screen shows the same sums
    assert f"2 · Rp{a.order.total * 2:,}".replace(",", ".") in rows[1]
    assert "1 · Rp30.000" in rows[1]

    # outside the period: nothing
    empty = client.get("/admin/payments/overview?from=2026-01-12&to=2026-01-12")
    assert "Tidak ada pembayaran" in empty.get_data(as_text=True)


def test_overview_reads_a_fixed_number_of_queries(client, admin, days, place_transfer,
                                                  gen_product, facility_a, count_queries):
    login(client, admin.email)
    url = "/admin/payments/overview?from=2026-01-01&to=2026-12-31"
    with count_queries() as few:
        client.get(url)
    product = gen_product(facility=facility_a, price=10_000, stock=20)
    for _ in range(4):
        place_transfer({product: 1})
    with count_queries() as many:
        client.get(url)
    assert many.count == few.count


def test_bad_dates_fall_back_to_the_last_two_weeks(client, admin, days):
    login(client, admin.email)
    response = client.get("/admin/payments/overview?from=kemarin&to=2026-99-01")
    assert response.status_code == 200
