"""Issue 11, the pages: the dashboard, the sales report, the facility desk's summary and the
impact page show the same numbers for orders placed and paid through the services; the close
statement's PDF holds the CSV's figures; the impact API matches its OpenAPI schema and names no
person; the pages read with a fixed number of queries."""

import csv
import io
import re

import jsonschema
import pytest
from pypdf import PdfReader

from shop.api.openapi import DOCUMENT
from shop.core.time import to_wit, utcnow
from shop.extensions import db
from shop.payments import month_close as closing
from tests.factories import login
from tests.money.ledger import OrderSpec, ParcelSpec, build, wit_utc


def rupiah(n):
    return ("-" if n < 0 else "") + "Rp" + f"{abs(n):,}".replace(",", ".")


def signed_in(app, email):
    client = app.test_client()
    login(client, email)
    return client


def test_dashboard_report_desk_and_impact_agree(app, gen_paid_order, product_a, product_b,
                                                facility_a, staff_a, admin):
    gen_paid_order({product_a: 2, product_b: 1})
    gen_paid_order({product_a: 1})
    # the facility's split changes after these sales: they keep theirs
    facility_a.premi_percent, facility_a.pnbp_percent, facility_a.capital_percent = 70, 30, 0
    db.session.commit()
    now = to_wit(utcnow())
    goods_a = 3 * 45_000
    premi_a, pnbp_a, capital_a = 67_500, 20_250, 47_250  # 50/15/35 of Rp135.000

    kanwil = signed_in(app, admin.email)
    dashboard = kanwil.get("/admin/").get_data(as_text=True)
    assert rupiah(goods_a) in dashboard
    report = kanwil.get(f"/admin/reports/sales.csv?year={now.year}&month={now.month}")
    rows = {r["fasilitas"]: r for r in csv.DictReader(io.StringIO(report.get_data(as_text=True)))}
    assert int(rows["Lapas Sanana"]["pendapatan_barang"]) == goods_a
    assert (int(rows["Lapas Sanana"]["premi"]), int(rows["Lapas Sanana"]["pnbp"]),
            int(rows["Lapas Sanana"]["modal_kerja"])) == (premi_a, pnbp_a, capital_a)
    desk_page = signed_in(app, staff_a.email).get("/staff/").get_data(as_text=True)
    assert f"<strong>{rupiah(goods_a)}</strong>" in desk_page
    body = app.test_client().get(f"/api/v1/impact?year={now.year}").get_json()
    sanana = next(f for f in body["facilities"] if f["facility"] == "lapas-sanana")
    assert (sanana["goods_revenue"], sanana["premi"], sanana["pnbp"], sanana["capital"]) == (
        goods_a, premi_a, pnbp_a, capital_a)
    assert sanana["orders"] == int(rows["Lapas Sanana"]["paket"]) == 2
    assert sanana["units"] == 3
    assert body["totals"]["goods_revenue"] == int(rows["JUMLAH"]["pendapatan_barang"])
    assert body["provisional"] is True
    page = app.test_client().get(f"/dampak?year={now.year}").get_data(as_text=True)
    assert rupiah(premi_a) in page and rupiah(body["totals"]["goods_revenue"]) in page


def test_the_impact_api_matches_openapi_and_names_no_person(app, gen_paid_order, product_a,
                                                           people):
    result = gen_paid_order({product_a: 1})
    year = to_wit(utcnow()).year
    client = app.test_client()
    body = client.get(f"/api/v1/impact?year={year}").get_json()
    schema = {**DOCUMENT["components"]["schemas"]["Impact"],
              "components": DOCUMENT["components"]}
    jsonschema.validate(body, schema, cls=jsonschema.Draft202012Validator)
    assert client.get("/api/v1/impact?year=abc").status_code == 400
    assert client.get("/api/v1/impact?year=abc").get_json()["error"]["code"] == "invalid_year"
    order = result.order
    texts = [client.get(f"/api/v1/impact?year={year}").get_data(as_text=True),
             client.get(f"/dampak?year={year}").get_data(as_text=True),
             client.get(f"/dampak.csv?year={year}").get_data(as_text=True)]
    for text in texts:
        for secret in (order.contact_name, order.email, order.phone, order.number,
                       *(user.email for user in people.__dict__.values()
                         if hasattr(user, "email")),
                       *(user.name for user in people.__dict__.values() if hasattr(user, "name"))):
            assert secret not in text


def test_the_statement_pdf_holds_the_csv_figures(app, admin):
    jan = wit_utc(2025, 1, 10)
    build([("Lapas Ternate", (50, 15, 35))], [
        OrderSpec(jan, [ParcelSpec(0, [(3, 33_333)], (50, 15, 35), shipping=27_500,
                                   discounts=[("facility", 1_111, 0), ("partner", 2_000, 27_500)],
                                   refunds=[(999, "succeeded", wit_utc(2025, 1, 12))])])])
    closing.close_month(2025, 1, admin, now=wit_utc(2025, 2, 1))
    client = signed_in(app, admin.email)
    page = client.get("/admin/reports/closing/2025/1")
    assert page.status_code == 200 and "laporan" in page.get_data(as_text=True).lower()
    rows = dict(csv.reader(io.StringIO(client.get(
        "/admin/reports/closing/2025/1/f-0.csv").get_data(as_text=True))))
    assert int(rows["goods_revenue"]) == 99_999 - 1_111 - 999
    assert int(rows["premi"]) + int(rows["pnbp"]) + int(rows["capital"]) == \
        int(rows["goods_revenue"])
    pdf = client.get("/admin/reports/closing/2025/1/f-0.pdf")
    assert pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    shown = {}
    for key, amount in re.findall(r"\b([a-z_]+)\s*(-?Rp[\d.]+|\d+)\s*$", text, re.M):
        shown[key] = int(amount.replace("Rp", "").replace(".", ""))
    for key, value in rows.items():
        if key in ("baris", "fasilitas", "periode", "pembagian", "checksum"):
            continue
        assert shown[key] == int(value), key
    assert rows["checksum"] in text.replace("\n", "")
    assert "Lapas Ternate" in text and "Januari 2025" in text and "50/15/35" in text
    assert client.get("/admin/reports/closing/2025/2/f-0.pdf").status_code == 404


def test_closing_screens(app, admin):
    jan = wit_utc(2025, 1, 10)
    build([("Lapas Ternate", (50, 15, 35))],
          [OrderSpec(jan, [ParcelSpec(0, [(1, 10_000)], (50, 15, 35))])])
    client = signed_in(app, admin.email)
    assert client.get("/admin/reports/closing/").status_code == 200
    closed = client.post("/admin/reports/closing/2025/1/close")
    assert closed.status_code == 303
    again = client.post("/admin/reports/closing/2025/1/close")
    assert again.status_code == 409
    refused = client.post("/admin/reports/closing/2025/1/reopen", data={"reason": "x"})
    assert refused.status_code == 409
    reopened = client.post("/admin/reports/closing/2025/1/reopen",
                           data={"reason": "salah hitung ongkir"})
    assert reopened.status_code == 303
    assert "salah hitung ongkir" in client.get("/admin/reports/closing/2025/1").get_data(
        as_text=True)
    assert app.test_client().get("/admin/reports/closing/").status_code == 302


@pytest.mark.parametrize("url", ["/dampak?year=2025", "/api/v1/impact?year=2025",
                                 "/dampak.csv?year=2025"])
def test_public_pages_read_with_a_fixed_number_of_queries(app, count_queries, url):
    client = app.test_client()

    def world(n, prefix):
        build([(f"Lapas {prefix} {i}", (50, 15, 35)) for i in range(2)],
              [OrderSpec(wit_utc(2025, 1 + k % 12, 5), [
                  ParcelSpec(k % 2, [(1, 1_000 + k)], (50, 15, 35),
                             refunds=[(10, "succeeded", wit_utc(2025, 1 + k % 12, 6))])])
               for k in range(n)], slug_prefix=prefix)

    world(1, "a")
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    world(40, "b")
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many.count == few.count


def test_kanwil_report_pages_read_with_a_fixed_number_of_queries(app, admin, count_queries):
    client = signed_in(app, admin.email)
    urls = ["/admin/reports/sales?year=2025", "/admin/reports/sales.csv?year=2025",
            "/admin/reports/closing/2025/1", "/admin/reports/closing/"]

    def world(n, prefix):
        build([(f"Lapas {prefix}", (60, 15, 25))],
              [OrderSpec(wit_utc(2025, 1, 5 + k % 20), [ParcelSpec(0, [(1, 500 + k)],
                                                                  (60, 15, 25))])
               for k in range(n)], slug_prefix=prefix)

    def counts():
        found = {}
        for url in urls:
            client.get(url)
            with count_queries() as counter:
                assert client.get(url).status_code == 200, url
            found[url] = counter.count
        return found

    world(1, "a")
    few = counts()
    world(30, "b")
    closing.close_month(2025, 1, admin, now=wit_utc(2025, 2, 2))
    closed = counts()
    world(5, "c")
    assert counts() == closed
    assert all(closed[url] <= few[url] + 2 for url in urls)


def test_card_reconciliation_lists_the_differences_order_by_order(app, admin):
    from sqlalchemy import select

    from shop.orders.models import Order
    from shop.payments.models import Payment
    from shop.payments.reconciliation import reconcile

    jan = wit_utc(2025, 1, 10)
    build([("Lapas Ternate", (50, 15, 35))], [
        OrderSpec(jan, [ParcelSpec(0, [(1, 10_000)], (50, 15, 35))]),
        OrderSpec(jan, [ParcelSpec(0, [(1, 20_000)], (50, 15, 35))])])
    second = db.session.scalars(select(Order).order_by(Order.id)).all()[1]
    db.session.add(Payment(order_id=second.id, provider="stripe", attempt=2, intent_id="pi_twice",
                           client_secret="s", amount=second.total, status="succeeded"))
    db.session.commit()
    card, transfer, pickup = reconcile(2025, 1)
    assert (transfer.orders_count, pickup.orders_count) == (0, 0)
    assert (card.orders_count, card.orders_paid, card.confirmed) == (2, 30_000, 50_000)
    assert [(d.order, d.note) for d in card.differences] == [(second.number,
                                                              "2 pembayaran berhasil")]
    client = signed_in(app, admin.email)
    page = client.get("/admin/reports/closing/2025/1/reconciliation").get_data(as_text=True)
    assert second.number in page and "Rp20.000" in page
    rows = list(csv.DictReader(io.StringIO(client.get(
        "/admin/reports/closing/2025/1/reconciliation.csv").get_data(as_text=True))))
    assert rows[0]["selisih"] == "20000" and rows[1]["pesanan"] == second.number


def test_transfer_reconciliation_keeps_the_unique_codes_apart(app):
    from sqlalchemy import select

    from shop.orders.models import Order
    from shop.payments.models import Payment
    from shop.payments.reconciliation import reconcile

    jan = wit_utc(2025, 1, 12)
    build([("Lapas Ternate", (50, 15, 35))], [
        OrderSpec(jan, [ParcelSpec(0, [(1, 40_000)], (50, 15, 35))]),
        OrderSpec(jan, [ParcelSpec(0, [(1, 25_000)], (50, 15, 35))])])
    first, second = db.session.scalars(select(Order).order_by(Order.id)).all()
    for order, code, received in ((first, 123, 40_123), (second, 7, 25_000)):
        db.session.query(Payment).filter_by(order_id=order.id).delete()
        order.payment_method = "bank_transfer"
        db.session.add(Payment(order_id=order.id, provider="bank_transfer", method="bank_transfer",
                               attempt=1, intent_id=f"bt-{order.number}-1", client_secret="",
                               amount=order.total, unique_code=code,
                               amount_due=order.total + code, received_amount=received,
                               status="succeeded"))
    db.session.commit()
    card, transfer, _pickup = reconcile(2025, 1)
    assert card.orders_count == 0
    assert (transfer.orders_count, transfer.orders_paid, transfer.confirmed) == (2, 65_000, 65_123)
    assert transfer.balance == 123  # the unique code: received, not revenue
    assert [(d.order, d.order_total, d.confirmed) for d in transfer.differences] == [
        (second.number, 25_007, 25_000)]  # 7 rupiah short of what it owed


def test_the_impact_page_has_an_english_address(client):
    response = client.get("/en/impact?year=2025")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="en"' in page
    assert "Sales impact 2025" in page or "impact" in page.lower()
    assert "Dampak penjualan" not in page.split("</header>")[1].split("<footer")[0]
