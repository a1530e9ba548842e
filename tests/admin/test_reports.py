"""The Kanwil reports (/admin/reports): who may see them; a hand-made example whose every figure
is known, on the page and in the CSVs (parsed back with the csv module); the premi / PNBP /
working-capital split always sums exactly to the goods revenue; and a reconciliation: random orders
(hypothesis, bulk inserts) across WIT months and the UTC/WIT day boundary, with cancelled
parcels, discounts of both fundings and refunds, against an independent computation in Python.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert

from shop.admin.report_queries import partners_report, products_report, sales_report, split_net
from shop.catalog.models import Category, Product
from shop.extensions import db
from shop.facilities.models import Facility
from shop.orders.models import FacilityOrder, FacilityOrderEvent, Order, OrderLine
from shop.payments.models import Payment, Refund
from shop.promotions.models import ParcelDiscount, Promotion
from shop.promotions.partners import PartnerOrganization
from tests.factories import PASSWORD, login

JAYAPURA = ZoneInfo("Asia/Jayapura")  # WIT, UTC+9: the test's own clock, not the shop's
REPORT_ROUTES = ("/admin/reports/", "/admin/reports/sales", "/admin/reports/sales.csv",
                 "/admin/reports/products", "/admin/reports/products.csv",
                 "/admin/reports/partners", "/admin/reports/partners.csv")


# ------------------------------------------------------------------ a world written in bulk

@dataclass
class Parcel:
    facility: int  # index into World.facilities
    lines: list  # (product index, quantity, unit price)
    shipping: int = 0
    cancelled: bool = False
    discounts: list = field(default_factory=list)  # (promotion index, amount)
    refunds: list = field(default_factory=list)  # (amount, status)

    @property
    def subtotal(self):
        return sum(quantity * price for _, quantity, price in self.lines)

    @property
    def discount(self):
        return sum(amount for _, amount in self.discounts)

    @property
    def total(self):
        return self.subtotal + self.shipping - self.discount


@dataclass
class OrderSpec:
    paid_at: datetime | None  # naive UTC
    parcels: list


@dataclass
class World:
    facilities: list  # (name, (premi, pnbp, capital))
    products: list  # (facility index, name, stock, flagship year or None, status)
    promotions: list  # (partner name, funding)
    orders: list


REPORT_TABLES = (Refund, Payment, ParcelDiscount, Promotion, PartnerOrganization, OrderLine,
                 FacilityOrderEvent, FacilityOrder, Order, Product, Category, Facility)


def clear_report_tables():
    db.session.rollback()
    for model in REPORT_TABLES:
        db.session.execute(delete(model))
    db.session.commit()
    db.session.expire_all()


def _ids(model, rows):
    if not rows:
        return []
    return db.session.scalars(
        insert(model).returning(model.id, sort_by_parameter_order=True), rows).all()


def write_world(world: World):
    """Everything with bulk INSERTs; returns the ids given to facilities, products, partners."""
    now = datetime(2025, 6, 1)
    facility_ids = _ids(Facility, [
        dict(slug=f"unit-{i}", name=name, kind="lapas", town="Ternate", regency="Kota Ternate",
             premi_percent=p[0], pnbp_percent=p[1], capital_percent=p[2])
        for i, (name, p) in enumerate(world.facilities)])
    (category_id,) = _ids(Category, [dict(slug="kerajinan", name="Kerajinan")])
    product_ids = _ids(Product, [
        dict(facility_id=facility_ids[f], category_id=category_id, slug=f"produk-{i}", name=name,
             price=1000, unit="piece", stock=stock, status=status,
             is_flagship=year is not None, flagship_year=year)
        for i, (f, name, stock, year, status) in enumerate(world.products)])
    partner_names = sorted({partner for partner, _ in world.promotions})
    partner_ids = dict(zip(partner_names, _ids(PartnerOrganization, [
        dict(slug=f"mitra-{i}", name=name) for i, name in enumerate(partner_names)]),
        strict=True))
    promotion_ids = _ids(Promotion, [
        dict(partner_id=partner_ids[partner], slug=f"promo-{i}", name=f"Promo {i}",
             starts_at=datetime(2024, 1, 1), ends_at=datetime(2027, 1, 1), approval="approved",
             benefit="amount", value=1000, funding=funding)
        for i, (partner, funding) in enumerate(world.promotions)])

    def status(order, parcel):
        if order.paid_at is None:
            return "awaiting_payment"
        return "cancelled" if parcel.cancelled else "delivered"

    order_ids = _ids(Order, [
        dict(number=f"EB-{i:06d}", token_hash="0" * 64,
             status="paid" if order.paid_at else "pending_payment",
             contact_name="Pembeli Uji", email=f"pembeli{i}@example.com", phone="081234567890",
             street="Jl. Uji 1", kelurahan="Kalumpang", kecamatan="Ternate Tengah",
             city="Kota Ternate", province="Maluku Utara", postal_code="97712",
             subtotal=sum(p.subtotal for p in order.parcels),
             shipping_total=sum(p.shipping for p in order.parcels),
             discount_total=sum(p.discount for p in order.parcels),
             total=sum(p.total for p in order.parcels),
             expires_at=now, paid_at=order.paid_at)
        for i, order in enumerate(world.orders)])
    flat = [(order_id, order, parcel) for order_id, order in zip(order_ids, world.orders,
                                                                 strict=True)
            for parcel in order.parcels]
    parcel_ids = _ids(FacilityOrder, [
        dict(order_id=order_id, facility_id=facility_ids[parcel.facility],
             number=f"EB-{order_id:06d}-{n}", status=status(order, parcel),
             delivery="courier" if parcel.shipping else "pickup", subtotal=parcel.subtotal,
             shipping=parcel.shipping, discount=parcel.discount, total=parcel.total)
        for n, (order_id, order, parcel) in enumerate(flat)])
    lines, discounts, payments = [], [], []
    for parcel_id, (order_id, _, parcel) in zip(parcel_ids, flat, strict=True):
        for product, quantity, price in parcel.lines:
            _, name, _, _, _ = world.products[product]
            lines.append(dict(facility_order_id=parcel_id, product_id=product_ids[product],
                              product_slug=f"produk-{product}", product_name=name,
                              unit="piece", unit_price=price, quantity=quantity,
                              line_total=price * quantity))
        for promotion, amount in parcel.discounts:
            discounts.append(dict(facility_order_id=parcel_id,
                                  promotion_id=promotion_ids[promotion], amount=amount,
                                  shipping_part=0, funding=world.promotions[promotion][1]))
        if parcel.refunds:
            payments.append((order_id, parcel_id, parcel.refunds))
    if lines:
        db.session.execute(insert(OrderLine), lines)
    if discounts:
        db.session.execute(insert(ParcelDiscount), discounts)
    payment_ids = _ids(Payment, [
        dict(order_id=order_id, provider="stripe", intent_id=f"pi_{parcel_id}",
             client_secret="secret", amount=1, status="succeeded")
        for order_id, parcel_id, _ in payments])
    refunds = [dict(payment_id=payment_id, facility_order_id=parcel_id, amount=amount,
                    reason="uji", status=refund_status, idempotency_key=f"r-{parcel_id}-{k}")
               for payment_id, (_, parcel_id, parcel_refunds) in zip(payment_ids, payments,
                                                                     strict=True)
               for k, (amount, refund_status) in enumerate(parcel_refunds)]
    if refunds:
        db.session.execute(insert(Refund), refunds)
    db.session.commit()
    return facility_ids, product_ids, partner_ids


# ------------------------------------------------------------------ helpers

@pytest.fixture
def admin(app):
    from shop.accounts.provisioning import create_admin

    return create_admin("kanwil@example.org", PASSWORD, "Admin Kanwil")


@pytest.fixture
def admin_client(client, admin):
    login(client, admin.email)
    return client


def wit_utc(*args):
    """A WIT wall-clock time as the naive UTC the database stores."""
    return datetime(*args, tzinfo=JAYAPURA).astimezone(UTC).replace(tzinfo=None)


def parse_csv(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


class TableReader(HTMLParser):
    """The rows (cell texts) of the table with a given id."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.inside, self.cell = table_id, False, None
        self.rows = []

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table(html, table_id):
    reader = TableReader(table_id)
    reader.feed(html)
    return reader.rows


# ------------------------------------------------------------------ access

def test_reports_are_for_kanwil_admins_only(app, client, gen_facility):
    from shop.accounts.provisioning import create_admin, create_partner_user, create_staff
    from shop.accounts.services import register_customer

    facility = gen_facility()
    register_customer("Budi", "budi@example.com", PASSWORD)
    create_staff("petugas@example.org", facility, "Petugas", password=PASSWORD, invite=False)
    create_partner_user("mitra@example.net", "Mitra", password=PASSWORD)
    create_admin("kanwil@example.org", PASSWORD, "Admin Kanwil")

    routes = sorted(rule.rule for rule in app.url_map.iter_rules()
                    if rule.endpoint.startswith("admin_reports."))
    assert set(routes) == set(REPORT_ROUTES)
    for route in routes:
        response = client.get(route)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    for email in ("budi@example.com", "petugas@example.org", "mitra@example.net"):
        other = app.test_client()
        login(other, email)
        for route in routes:
            assert other.get(route).status_code == 403, (email, route)
    login(client, "kanwil@example.org")
    for route in routes:
        assert client.get(route + "?year=2025").status_code == 200, route
        assert client.get(route + "?year=2025&month=12").status_code == 200, route
    for bad in ("year=abc", "year=1999", "year=2025&month=13", "year=2025&month=0",
                "year=2025&month=x"):
        assert client.get(f"/admin/reports/sales?{bad}").status_code == 400, bad
        assert client.get(f"/admin/reports/sales.csv?{bad}").status_code == 400, bad


def test_the_index_links_every_report_with_a_year_and_month_picker(admin_client):
    html = admin_client.get("/admin/reports/?year=2025").get_data(as_text=True)
    for path in ("/admin/reports/sales", "/admin/reports/products", "/admin/reports/partners"):
        assert f'action="{path}"' in html
        assert f'href="{path}.csv?year=2025"' in html
    assert 'name="year"' in html and 'name="month"' in html
    assert '<option value="2025" selected>' in html
    assert "Pendapatan barang" in html and "WIT" in html  # the definitions are on the page


# ------------------------------------------------------------------ the hand-made example

KURSI, SAMBAL, TAS, TISU = 0, 1, 2, 3
PARTNER_PROMO, FACILITY_PROMO, FACILITY_PROMO_B = 0, 1, 2


def hand_made_world():
    """Lapas Sanana (50/15/35) and Rutan Soasio (60/15/25), March-April 2025 WIT."""
    return World(
        facilities=[("Lapas Sanana", (50, 15, 35)), ("Rutan Soasio", (60, 15, 25))],
        products=[(0, "Kursi Rotan", 7, 2025, "active"), (0, "Sambal Roa", 12, None, "active"),
                  (1, "Tas Anyaman", 4, None, "active"), (1, "Kotak Tisu", 9, 2025, "active")],
        promotions=[("Pemkot Ternate", "partner"), ("Bank Maluku", "facility"),
                    ("Dinas Tenaga Kerja", "facility")],
        orders=[
            # March 10: Sanana 2 chairs + courier, 10% funded by the partner; Soasio one bag,
            # pickup, Rp3.000 borne by Soasio, Rp5.000 refunded (a failed refund does not count)
            OrderSpec(wit_utc(2025, 3, 10, 11, 0), [
                Parcel(0, [(KURSI, 2, 45_000)], shipping=25_000,
                       discounts=[(PARTNER_PROMO, 9_000)], refunds=[(1_000, "failed")]),
                Parcel(1, [(TAS, 1, 30_000)], discounts=[(FACILITY_PROMO_B, 3_000)],
                       refunds=[(5_000, "succeeded")]),
            ]),
            # March 31, 23:59:59 WIT (14:59:59 UTC): still March. Sambal borne by Sanana.
            OrderSpec(datetime(2025, 3, 31, 14, 59, 59), [
                Parcel(0, [(SAMBAL, 3, 20_333)], discounts=[(FACILITY_PROMO, 6_000)]),
            ]),
            # 15:00 UTC on March 31 is April 1, 00:00 WIT: April. Free shipping by the partner.
            OrderSpec(datetime(2025, 3, 31, 15, 0, 0), [
                Parcel(0, [(KURSI, 1, 45_000)], shipping=10_000,
                       discounts=[(PARTNER_PROMO, 10_000)]),
            ]),
            # March 15: a Soasio parcel cancelled after payment and refunded: no sale.
            OrderSpec(wit_utc(2025, 3, 15, 9, 0), [
                Parcel(1, [(TAS, 2, 30_000)], shipping=15_000, cancelled=True,
                       discounts=[(PARTNER_PROMO, 5_000)], refunds=[(70_000, "pending")]),
            ]),
            # never paid; paid in 2024 WIT; paid in 2026 WIT (Dec 31 15:00 UTC): not in 2025
            OrderSpec(None, [Parcel(0, [(KURSI, 5, 45_000)])]),
            OrderSpec(datetime(2024, 12, 31, 14, 0), [Parcel(0, [(KURSI, 1, 45_000)])]),
            OrderSpec(datetime(2025, 12, 31, 15, 0), [Parcel(1, [(TAS, 1, 30_000)])]),
        ])


# (parcels, cancelled, gross, facility-borne, partner-funded, refunds of goods, goods revenue,
#  premi, pnbp, capital, shipping collected, shipping discounts): shipping is never split.
SANANA_MARCH = (2, 0, 150_999, 6_000, 9_000, 0, 144_999, 72_499, 21_750, 50_750, 25_000, 0)
SANANA_APRIL = (1, 0, 45_000, 0, 10_000, 0, 45_000, 22_500, 6_750, 15_750, 10_000, 0)
SANANA_YEAR = (3, 0, 195_999, 6_000, 19_000, 0, 189_999, 94_999, 28_500, 66_500, 35_000, 0)
SOASIO_MARCH = (1, 1, 30_000, 3_000, 0, 5_000, 22_000, 13_200, 3_300, 5_500, 0, 0)
ALL_YEAR = (4, 1, 225_999, 9_000, 19_000, 5_000, 211_999, 108_199, 31_800, 72_000, 35_000, 0)


def figures(row):
    return (row.parcels, row.cancelled, row.gross, row.facility_discounts,
            row.partner_discounts, row.goods_refunds, row.goods_revenue, row.premi, row.pnbp,
            row.capital, row.shipping, row.shipping_discounts)


def rupiah(n):
    return ("-" if n < 0 else "") + "Rp" + f"{abs(n):,}".replace(",", ".")


def page_cells(values, unique_codes=0, gateway_fees=0):
    parcels, cancelled, *money = values
    return [str(parcels), str(cancelled), *(rupiah(v) for v in money), rupiah(unique_codes),
            rupiah(gateway_fees)]


def csv_figures(row):
    return tuple(int(row[name]) for name in (
        "paket", "paket_batal", "penjualan_kotor", "diskon_ditanggung_fasilitas",
        "diskon_didanai_mitra", "pengembalian_barang", "pendapatan_barang", "premi", "pnbp",
        "modal_kerja", "ongkir_diterima", "diskon_ongkir"))


def test_hand_made_example_the_numbers(app):
    write_world(hand_made_world())
    report = sales_report(2025)

    assert [(f.name, f.rule) for f in report.facilities] == [
        ("Lapas Sanana", "50/15/35"), ("Rutan Soasio", "60/15/25")]
    sanana, soasio = report.facilities
    assert [(r.month, figures(r)) for r in sanana.months] == [(3, SANANA_MARCH),
                                                              (4, SANANA_APRIL)]
    assert figures(sanana.total) == SANANA_YEAR
    assert [(r.month, figures(r)) for r in soasio.months] == [(3, SOASIO_MARCH)]
    assert figures(report.total) == ALL_YEAR

    april = sales_report(2025, 4)
    assert [(r.name, r.month, figures(r)) for r in april.rows] == [
        ("Lapas Sanana", 4, SANANA_APRIL)]
    assert sales_report(2024).total.gross == 45_000
    assert sales_report(2026).total.gross == 30_000

    products = products_report(2025)
    assert [(f.name, [(p.name, p.units, p.revenue, p.stock, p.flagship_year)
                      for p in f.products]) for f in products.facilities] == [
        ("Lapas Sanana", [("Kursi Rotan", 3, 135_000, 7, 2025),
                          ("Sambal Roa", 3, 60_999, 12, None)]),
        ("Rutan Soasio", [("Tas Anyaman", 1, 30_000, 4, None),
                          ("Kotak Tisu", 0, 0, 9, 2025)]),
    ]
    assert products.revenue == report.total.gross

    partners = partners_report(2025)
    assert [(p.name, [(line.facility_name, line.parcels, line.amount) for line in p.lines])
            for p in partners.partners] == [("Pemkot Ternate", [("Lapas Sanana", 2, 19_000)])]
    assert partners.amount == report.total.partner_discounts


def test_hand_made_example_on_the_page(admin_client):
    (sanana_id, soasio_id), _, _ = write_world(hand_made_world())
    html = admin_client.get("/admin/reports/sales?year=2025").get_data(as_text=True)

    assert table(html, "sales-summary")[1:] == [
        ["Lapas Sanana", *page_cells(SANANA_YEAR)],
        ["Rutan Soasio", *page_cells(SOASIO_MARCH)],
        ["Jumlah", *page_cells(ALL_YEAR)],
    ]
    assert table(html, f"sales-{sanana_id}")[1:] == [
        ["Maret 2025", *page_cells(SANANA_MARCH)],
        ["April 2025", *page_cells(SANANA_APRIL)],
        ["Jumlah", *page_cells(SANANA_YEAR)],
    ]
    assert table(html, f"sales-{soasio_id}")[1:] == [["Maret 2025", *page_cells(SOASIO_MARCH)]]
    assert "Pembagian (premi/PNBP/modal kerja, %): 50/15/35" in html
    assert "Pendapatan barang" in html and "WIT" in html  # the definitions are shown

    april = admin_client.get("/admin/reports/sales?year=2025&month=4").get_data(as_text=True)
    assert table(april, "sales-summary")[1:] == [
        ["Lapas Sanana", *page_cells(SANANA_APRIL)], ["Jumlah", *page_cells(SANANA_APRIL)]]

    products = admin_client.get("/admin/reports/products?year=2025").get_data(as_text=True)
    assert "Kursi Rotan" in products and "Rp135.000" in products and "Unggulan 2025" in products
    assert "Rp60.999" in products and "Kotak Tisu" in products
    partners = admin_client.get("/admin/reports/partners?year=2025").get_data(as_text=True)
    assert "Pemkot Ternate" in partners and "Rp19.000" in partners
    # their promotions are funded by the facilities
    assert "Dinas Tenaga Kerja" not in partners and "Bank Maluku" not in partners


def test_hand_made_example_in_the_csvs(admin_client):
    write_world(hand_made_world())

    rows = parse_csv(admin_client.get("/admin/reports/sales.csv?year=2025"))
    assert [(r["fasilitas"], r["bulan"], csv_figures(r)) for r in rows] == [
        ("Lapas Sanana", "2025-03", SANANA_MARCH),
        ("Lapas Sanana", "2025-04", SANANA_APRIL),
        ("Rutan Soasio", "2025-03", SOASIO_MARCH),
        ("JUMLAH", "2025", ALL_YEAR),
    ]
    assert [r["pembagian"] for r in rows[:3]] == ["50/15/35", "50/15/35", "60/15/25"]
    march = parse_csv(admin_client.get("/admin/reports/sales.csv?year=2025&month=3"))
    assert [r["bulan"] for r in march] == ["2025-03", "2025-03", "2025-03"]
    assert admin_client.get("/admin/reports/sales.csv?year=2025&month=3").headers[
        "Content-Disposition"] == 'attachment; filename="laporan-penjualan-2025-03.csv"'

    products = parse_csv(admin_client.get("/admin/reports/products.csv?year=2025"))
    assert [(r["fasilitas"], r["produk"], r["unit_terjual"], r["pendapatan"], r["stok"],
             r["unggulan_tahun"]) for r in products] == [
        ("Lapas Sanana", "Kursi Rotan", "3", "135000", "7", "2025"),
        ("Lapas Sanana", "Sambal Roa", "3", "60999", "12", ""),
        ("Rutan Soasio", "Tas Anyaman", "1", "30000", "4", ""),
        ("Rutan Soasio", "Kotak Tisu", "0", "0", "9", "2025"),
    ]

    partners = parse_csv(admin_client.get("/admin/reports/partners.csv?year=2025"))
    assert partners == [
        {"mitra": "Pemkot Ternate", "fasilitas": "Lapas Sanana", "paket": "2",
         "terutang": "19000"},
        {"mitra": "JUMLAH", "fasilitas": "", "paket": "2", "terutang": "19000"},
    ]


def test_an_empty_year_and_formula_like_names(admin_client):
    html = admin_client.get("/admin/reports/sales?year=2031").get_data(as_text=True)
    assert "Tidak ada pesanan dibayar" in html
    from shop.admin.reports import SALES_HEADER

    assert parse_csv(admin_client.get("/admin/reports/sales.csv?year=2031")) == [
        dict(zip(SALES_HEADER, ["JUMLAH", "2031", "tidak", *["0"] * 8, "", *["0"] * 8],
                 strict=True))]

    world = hand_made_world()
    world.facilities[0] = ("=HYPERLINK(\"http://x\")", (50, 15, 35))
    write_world(world)
    rows = parse_csv(admin_client.get("/admin/reports/sales.csv?year=2025"))
    assert rows[0]["fasilitas"] == "'=HYPERLINK(\"http://x\")"


def test_months_turn_at_wit_midnight_to_the_microsecond(app):
    world = hand_made_world()
    just = timedelta(microseconds=1)
    world.orders = [OrderSpec(paid_at, [Parcel(0, [(KURSI, 1, price)])]) for paid_at, price in (
        (datetime(2024, 12, 31, 15, 0) - just, 1),  # Dec 31, 2024, 23:59:59.999999 WIT
        (datetime(2024, 12, 31, 15, 0), 10),  # Jan 1, 2025, 00:00 WIT
        (datetime(2025, 1, 31, 15, 0) - just, 100),  # still January
        (datetime(2025, 1, 31, 15, 0), 1_000),  # February
        (datetime(2025, 12, 31, 15, 0) - just, 10_000),  # still December 2025
        (datetime(2025, 12, 31, 15, 0), 100_000),  # January 2026
    )]
    write_world(world)
    assert [(row.month, row.gross) for row in sales_report(2025).rows] == [
        (1, 110), (2, 1_000), (12, 10_000)]
    assert [(row.month, row.gross) for row in sales_report(2025, 1).rows] == [(1, 110)]
    assert [(row.month, row.gross) for row in sales_report(2024).rows] == [(12, 1)]
    assert [(row.month, row.gross) for row in sales_report(2026, 1).rows] == [(1, 100_000)]


# ------------------------------------------------------------------ the split

percents_st = st.integers(0, 100).flatmap(
    lambda premi: st.integers(0, 100 - premi).map(lambda pnbp: (premi, pnbp, 100 - premi - pnbp)))


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(net=st.integers(-10**12, 10**12), percents=percents_st)
@example(net=169_999, percents=(50, 15, 35))
@example(net=1, percents=(34, 33, 33))
@example(net=2, percents=(50, 25, 25))
@example(net=-169_999, percents=(50, 15, 35))
@example(net=0, percents=(70, 30, 0))
@example(net=99, percents=(100, 0, 0))
def test_the_split_sums_exactly_to_the_net(net, percents):
    parts = split_net(net, percents)

    assert sum(parts) == net
    assert all(isinstance(part, int) for part in parts)
    for part, percent in zip(parts, percents, strict=True):
        exact = Fraction(net * percent, 100)
        assert abs(part - exact) < 1  # each part within a rupiah of its exact share
        assert part * net >= 0  # never the opposite sign of the net
        if percent == 0:
            assert part == 0


def test_the_split_examples():
    assert split_net(169_999, (50, 15, 35)) == (84_999, 25_500, 59_500)  # remainders .5 .85 .65
    assert split_net(-169_999, (50, 15, 35)) == (-84_999, -25_500, -59_500)
    assert split_net(0, (50, 15, 35)) == (0, 0, 0)
    assert split_net(1, (34, 33, 33)) == (1, 0, 0)
    assert split_net(100, (70, 30, 0)) == (70, 30, 0)
    with pytest.raises(ValueError):
        split_net(100, (50, 15, 30))


# ------------------------------------------------------------------ reconciliation

YEAR = 2025


def _boundary(month_index):
    """WIT midnight starting month 1..13 of YEAR (13: January of the next year), in UTC:
    15:00 UTC the day before."""
    year, month = YEAR + (month_index - 1) // 12, (month_index - 1) % 12 + 1
    return wit_utc(year, month, 1)


paid_at_st = st.one_of(
    st.none(),
    st.builds(lambda m, s: _boundary(m) + timedelta(microseconds=s),
              st.integers(1, 13), st.sampled_from([-1_000_000, -1, 0, 1, 1_000_000])),
    st.datetimes(min_value=datetime(2024, 12, 30), max_value=datetime(2026, 1, 2)),
)


@st.composite
def worlds(draw):
    n_facilities = draw(st.integers(1, 3))
    facilities = [(f"Unit {chr(65 + i)}", draw(percents_st)) for i in range(n_facilities)]
    products = []
    for f in range(n_facilities):
        for k in range(draw(st.integers(1, 3))):
            products.append((f, f"Produk {f}-{k}", draw(st.integers(0, 50)),
                             draw(st.sampled_from([None, 2025])),
                             draw(st.sampled_from(["active", "active", "archived"]))))
    promotions = [("Mitra Satu", "partner"), ("Mitra Dua", "partner"),
                  ("Mitra Dua", "facility")]
    orders = []
    for _ in range(draw(st.integers(0, 10))):
        paid_at = draw(paid_at_st)
        chosen = draw(st.lists(st.integers(0, n_facilities - 1), min_size=1, max_size=3,
                               unique=True))
        parcels = []
        for f in chosen:
            own = [i for i, product in enumerate(products) if product[0] == f]
            lines = draw(st.lists(st.tuples(st.sampled_from(own), st.integers(1, 5),
                                            st.integers(1, 250_000)), min_size=1, max_size=3))
            parcel = Parcel(f, lines, shipping=draw(st.sampled_from([0, 0, 10_000, 27_500])),
                            cancelled=paid_at is not None and draw(st.booleans()))
            room = parcel.subtotal + parcel.shipping
            for promotion in draw(st.lists(st.integers(0, 2), max_size=2, unique=True)):
                amount = draw(st.integers(0, room))
                parcel.discounts.append((promotion, amount))
                room -= amount
            room = parcel.total
            for _ in range(draw(st.integers(0, 2)) if paid_at else 0):
                amount = draw(st.integers(1, max(room, 1)))
                parcel.refunds.append((amount, draw(st.sampled_from(
                    ["pending", "succeeded", "failed"]))))
                room = max(room - amount, 0)
            parcels.append(parcel)
        orders.append(OrderSpec(paid_at, parcels))
    return World(facilities, products, promotions, orders)


FIELDS = ("parcels", "cancelled", "gross", "shipping", "facility_discounts", "partner_discounts",
          "goods_refunds")


def independent_sales(world, month=None):
    """{(facility name, month): {field: value}} computed straight from the generated data."""
    rows = {}
    for order in world.orders:
        if order.paid_at is None:
            continue
        wit = order.paid_at.replace(tzinfo=UTC).astimezone(JAYAPURA)
        if wit.year != YEAR or (month and wit.month != month):
            continue
        for parcel in order.parcels:
            name = world.facilities[parcel.facility][0]
            row = rows.setdefault((name, wit.month), dict.fromkeys(FIELDS, 0))
            if parcel.cancelled:
                row["cancelled"] += 1
                continue
            row["parcels"] += 1
            row["gross"] += sum(q * price for _, q, price in parcel.lines)
            row["shipping"] += parcel.shipping
            for promotion, amount in parcel.discounts:
                key = ("partner_discounts" if world.promotions[promotion][1] == "partner"
                       else "facility_discounts")
                row[key] += amount
            row["goods_refunds"] += sum(a for a, s in parcel.refunds
                                        if s in ("pending", "succeeded"))
    for row in rows.values():
        row["goods_revenue"] = row["gross"] - row["facility_discounts"] - row["goods_refunds"]
    return rows


def independent_products(world):
    sold = {}
    for order in world.orders:
        if order.paid_at is None or order.paid_at.replace(tzinfo=UTC).astimezone(
                JAYAPURA).year != YEAR:
            continue
        for parcel in order.parcels:
            if parcel.cancelled:
                continue
            for product, quantity, price in parcel.lines:
                units, revenue = sold.get(product, (0, 0))
                sold[product] = (units + quantity, revenue + quantity * price)
    return sold


def independent_partners(world):
    owed = {}
    for order in world.orders:
        if order.paid_at is None or order.paid_at.replace(tzinfo=UTC).astimezone(
                JAYAPURA).year != YEAR:
            continue
        for parcel in order.parcels:
            if parcel.cancelled:
                continue
            for promotion, amount in parcel.discounts:
                partner, funding = world.promotions[promotion]
                if funding == "partner":
                    key = (partner, world.facilities[parcel.facility][0])
                    owed[key] = owed.get(key, 0) + amount
    return owed


def assert_sales_match(report, expected, world):
    got = {(row.name, row.month): row for row in report.rows}
    assert set(got) == set(expected)
    percents = dict(world.facilities)
    for key, row in got.items():
        assert {name: getattr(row, name) for name in (*FIELDS, "goods_revenue")} == \
            expected[key], key
        assert row.premi + row.pnbp + row.capital == row.goods_revenue
        for part, percent in zip((row.premi, row.pnbp, row.capital), percents[key[0]],
                                 strict=True):
            assert abs(part - Fraction(row.goods_revenue * percent, 100)) < 1
    for name in (*FIELDS, "goods_revenue"):
        assert getattr(report.total, name) == sum(row[name] for row in expected.values())
    assert report.total.premi + report.total.pnbp + report.total.capital == \
        report.total.goods_revenue


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(world=worlds(), month=st.integers(1, 12))
def test_report_totals_reconcile_with_the_orders(admin_client, world, month):
    clear_report_tables()  # the conftest empties the database only after the whole test
    write_world(world)
    expected = independent_sales(world)

    assert_sales_match(sales_report(YEAR), expected, world)
    assert_sales_match(sales_report(YEAR, month), independent_sales(world, month), world)

    sold = independent_products(world)
    products = products_report(YEAR)
    by_name = {(row.facility_name, row.name): (row.units, row.revenue) for row in products.rows}
    for i, (f, name, _, _, status) in enumerate(world.products):
        key = (world.facilities[f][0], name)
        if i in sold:
            assert by_name[key] == sold[i]
        elif status == "active":
            assert by_name[key] == (0, 0)
        else:
            assert key not in by_name  # archived and unsold: not listed
    assert products.revenue == sum(row["gross"] for row in expected.values())
    assert products.units == sum(units for units, _ in sold.values())

    partners = partners_report(YEAR)
    assert {(p.name, line.facility_name): line.amount
            for p in partners.partners for line in p.lines} == independent_partners(world)
    assert partners.amount == sum(row["partner_discounts"] for row in expected.values())

    rows = parse_csv(admin_client.get(f"/admin/reports/sales.csv?year={YEAR}"))
    total = rows.pop()
    assert total["fasilitas"] == "JUMLAH"
    assert int(total["pendapatan_barang"]) == sum(row["goods_revenue"]
                                                  for row in expected.values())
    assert int(total["penjualan_kotor"]) == sum(row["gross"] for row in expected.values())
    assert {(r["fasilitas"], int(r["bulan"][5:])): int(r["pendapatan_barang"]) for r in rows} == {
        key: row["goods_revenue"] for key, row in expected.items()}
    assert all(int(r["premi"]) + int(r["pnbp"]) + int(r["modal_kerja"])
               == int(r["pendapatan_barang"]) for r in rows)
