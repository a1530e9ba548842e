"""The Kanwil dashboard (/admin): admins only; the flagship target at its boundaries; pending
flagship requests approved or refused (with a reason) and audited; sales this month and this
year (WIT) reconciled with orders placed and paid through the services; parcels waiting too
long; low stock; and a query count that does not grow with the number of orders."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from sqlalchemy import select, update

from shop.catalog.models import FlagshipRequest, Product
from shop.core.audit import AuditEntry
from shop.core.time import WIT, to_wit, utcnow
from shop.extensions import db
from shop.orders.models import FacilityOrder, FacilityOrderEvent, Order
from tests.factories import login

YEAR = 2025  # FLAGSHIP_TARGET_YEAR in the test configuration


# ------------------------------------------------------------------ reading the page


class _Tables(HTMLParser):
    """Every <table> of a page as (class, [[cell text, ...], ...]) (header rows included)."""

    def __init__(self):
        super().__init__()
        self.tables, self._table, self._row, self._cell = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = []
            self.tables.append((dict(attrs).get("class") or "", self._table))
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(html):
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def table(html, css_class):
    """Rows of the tables whose class attribute contains `css_class`, keyed by row header."""
    found = [rows for cls, rows in tables(html) if css_class in cls.split()]
    assert found, f"no table .{css_class}"
    return found


def by_name(rows):
    return {row[0]: row[1:] for row in rows[1:]}


def rupiah(amount):
    return f"Rp{amount:,}".replace(",", ".")


def half_up(amount, count):
    """amount / count in whole rupiah, halves rounded up (0 without orders)."""
    return int(Decimal(amount) / Decimal(count) + Decimal("0.5")) if count else 0


def dashboard(client, **params):
    response = client.get("/admin/", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


@pytest.fixture
def admin_client(app, admin):
    client = app.test_client()
    login(client, admin.email)
    return client


def set_paid_at(order, when):
    db.session.execute(update(Order).where(Order.id == order.id).values(paid_at=when))
    db.session.commit()


# ------------------------------------------------------------------ access


def _admin_urls():
    return [("get", "/admin/"), ("get", "/admin/?year=2026"),
            ("post", "/admin/flagship-requests/1/approve"),
            ("post", "/admin/flagship-requests/1/refuse")]


def test_anonymous_visitors_are_sent_to_sign_in(client, app):
    for method, url in _admin_urls():
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/account/login" in response.headers["Location"], url


@pytest.mark.parametrize("who", ["customer", "staff_a", "partner"])
def test_other_roles_get_403(app, people, who):
    client = app.test_client()
    login(client, getattr(people, who).email)
    for method, url in _admin_urls():
        assert getattr(client, method)(url).status_code == 403, (who, url)


def test_an_admin_sees_the_dashboard(admin_client):
    html = dashboard(admin_client)
    assert "<h1>Dasbor Kanwil</h1>" in html
    assert 'aria-current="page">Dasbor</a>' in html  # the admin nav, on its own page


# ------------------------------------------------------------------ the flagship target


def test_the_target_rule_at_its_boundaries(admin_client, gen_facility, gen_product):
    one = gen_facility(name="Lapas Satu Unggulan")
    two = gen_facility(name="Lapas Dua Unggulan")
    gen_facility(name="Rutan Tanpa Unggulan")
    gone = gen_facility(name="Rutan Nonaktif")
    flag = {"is_flagship": True, "flagship_year": YEAR}
    gen_product(facility=one, **flag)
    gen_product(facility=one, status="archived", **flag)  # archived: not counted
    gen_product(facility=one, is_flagship=True, flagship_year=YEAR - 1)  # other year
    gen_product(facility=one)  # not a flagship
    gen_product(facility=two, **flag)
    gen_product(facility=two, **flag)
    gen_product(facility=gone, **flag)
    gen_product(facility=gone, **flag)
    gone.is_active = False
    db.session.commit()

    html = dashboard(admin_client)
    rows = by_name(table(html, "target-table")[0])
    assert rows == {
        "Lapas Dua Unggulan": ["2/2", "Memenuhi"],
        "Lapas Satu Unggulan": ["1/2", "kurang 1"],
        "Rutan Tanpa Unggulan": ["0/2", "kurang 2"],
    }
    assert "Rutan Nonaktif" not in html
    assert re.search(r'target-ok">Memenuhi<', html) and re.search(r'target-miss">kurang 1<', html)
    # The chart says the same, in words as well as colour.
    chart = html[html.index('<svg class="chart" role="img"'):]
    chart = chart[:chart.index("</svg>")]
    assert f"<title>Grafik kemajuan target produk unggulan {YEAR}" in chart
    assert "1/2 · kurang 1" in chart and "2/2" in chart
    assert "Memenuhi target unggulan 2025</a></span><strong>1/3</strong>" in html

    # Another year: last year's flagship counts there, this year's do not.
    rows = by_name(table(dashboard(admin_client, year=YEAR - 1), "target-table")[0])
    assert rows["Lapas Satu Unggulan"] == ["1/2", "kurang 1"]
    assert rows["Lapas Dua Unggulan"] == ["0/2", "kurang 2"]
    # A nonsense year falls back to the configured one.
    rows = by_name(table(dashboard(admin_client, year="20x5"), "target-table")[0])
    assert rows["Lapas Dua Unggulan"] == ["2/2", "Memenuhi"]


# ------------------------------------------------------------------ flagship requests


@pytest.fixture
def flagship_request(product_a, staff_a):
    from shop.catalog.backoffice import request_flagship

    return request_flagship(product_a, staff_a, YEAR, "Terlaris tiga bulan terakhir")


def _audit(kind):
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).where(AuditEntry.kind == kind)).all()


def test_a_pending_request_is_listed_and_approving_makes_the_product_a_flagship(
        admin_client, admin, flagship_request, product_a, facility_a):
    html = dashboard(admin_client)
    section = html[html.index('id="flagship-requests"'):html.index('id="sales-title"')]
    assert "Kursi Rotan Sanana" in section and "Lapas Sanana" in section
    assert "Terlaris tiga bulan terakhir" in section and "Petugas Sanana" in section
    assert f'action="/admin/flagship-requests/{flagship_request.id}/approve"' in section
    assert f'formaction="/admin/flagship-requests/{flagship_request.id}/refuse"' in section
    assert 'name="csrf_token"' in section
    assert by_name(table(html, "target-table")[0])["Lapas Sanana"] == ["0/2", "kurang 2"]

    response = admin_client.post(f"/admin/flagship-requests/{flagship_request.id}/approve",
                                 data={"reason": "Sesuai kriteria", "year": str(YEAR)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/admin/?year={YEAR}#flagship-requests")

    db.session.expire_all()
    product = db.session.get(Product, product_a.id)
    assert product.is_flagship and product.flagship_year == YEAR
    decided = db.session.get(FlagshipRequest, flagship_request.id)
    assert decided.status == "approved" and decided.decided_by_id == admin.id
    assert decided.decision_note == "Sesuai kriteria" and decided.decided_at is not None
    (entry,) = _audit("flagship.approved")
    assert (entry.actor_id, entry.facility_id, entry.subject, entry.to_value, entry.note) == (
        admin.id, facility_a.id, product.slug, str(YEAR), "Sesuai kriteria")

    html = dashboard(admin_client)
    assert "ditetapkan sebagai produk unggulan 2025" in html
    assert "Tidak ada usulan yang menunggu keputusan." in html
    assert by_name(table(html, "target-table")[0])["Lapas Sanana"] == ["1/2", "kurang 1"]

    # Decided once only: a second approval (or a refusal) changes nothing.
    again = admin_client.post(f"/admin/flagship-requests/{flagship_request.id}/approve")
    assert again.status_code == 422
    assert "Usulan ini sudah diputuskan sebelumnya." in again.get_data(as_text=True)
    again = admin_client.post(f"/admin/flagship-requests/{flagship_request.id}/refuse",
                              data={"reason": "terlambat"})
    assert again.status_code == 422
    assert len(_audit("flagship.approved")) == 1 and not _audit("flagship.refused")
    assert db.session.get(FlagshipRequest, flagship_request.id).status == "approved"


def test_refusing_needs_a_reason(admin_client, admin, flagship_request, product_a):
    url = f"/admin/flagship-requests/{flagship_request.id}/refuse"
    for reason in ("", "   "):
        response = admin_client.post(url, data={"reason": reason, "year": "2026"})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        # Said at the top (linked to the field) and at the form itself, whose text is kept.
        assert re.search(r'role="alert".*?<a href="#reason-\d+">Tuliskan alasan penolakan',
                         html, re.S)
        field = html[html.index(f'id="reason-{flagship_request.id}"'):]
        assert field.startswith(f'id="reason-{flagship_request.id}" name="reason"')
        assert 'aria-invalid="true" autofocus>' + reason + "</textarea>" in field
        assert f'id="reason-{flagship_request.id}-error"' in field
        assert "<h2 id=\"target-title\">Target produk unggulan 2026</h2>" in html
    db.session.expire_all()
    assert db.session.get(FlagshipRequest, flagship_request.id).status == "pending"
    assert not _audit("flagship.refused")

    admin_client.post(url, data={"reason": "Belum ada izin edar P-IRT"})
    db.session.expire_all()
    refused = db.session.get(FlagshipRequest, flagship_request.id)
    assert refused.status == "refused" and refused.decision_note == "Belum ada izin edar P-IRT"
    assert not db.session.get(Product, product_a.id).is_flagship
    (entry,) = _audit("flagship.refused")
    assert entry.actor_id == admin.id and entry.note == "Belum ada izin edar P-IRT"
    assert "Usulan unggulan Kursi Rotan Sanana ditolak." in dashboard(admin_client)


def test_an_archived_product_cannot_be_approved_and_unknown_requests_are_404(
        admin_client, flagship_request, product_a):
    db.session.execute(update(Product).where(Product.id == product_a.id)
                       .values(status="archived"))
    db.session.commit()
    response = admin_client.post(f"/admin/flagship-requests/{flagship_request.id}/approve")
    assert response.status_code == 422
    assert "Produk ini sudah diarsipkan" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FlagshipRequest, flagship_request.id).status == "pending"
    assert not db.session.get(Product, product_a.id).is_flagship
    assert not _audit("flagship.approved")
    assert admin_client.post("/admin/flagship-requests/999999/approve").status_code == 404
    assert admin_client.post("/admin/flagship-requests/999999/refuse",
                             data={"reason": "x"}).status_code == 404


def test_approving_another_year_moves_the_flagship_year(admin_client, gen_product, facility_a,
                                                        staff_a):
    from shop.catalog.backoffice import request_flagship

    product = gen_product(facility=facility_a, is_flagship=True, flagship_year=YEAR)
    flagship_request = request_flagship(product, staff_a, YEAR + 1, "")
    admin_client.post(f"/admin/flagship-requests/{flagship_request.id}/approve")
    db.session.expire_all()
    assert db.session.get(Product, product.id).flagship_year == YEAR + 1
    (entry,) = _audit("flagship.approved")
    assert (entry.from_value, entry.to_value) == (str(YEAR), str(YEAR + 1))


# ------------------------------------------------------------------ sales


def _wit_to_utc(dt_wit):
    return dt_wit.astimezone(UTC).replace(tzinfo=None)


def test_sales_match_the_orders_placed_and_paid(admin_client, gen_order, product_a, product_b,
                                                facility_a, facility_b):
    from shop.orders.services import mark_paid

    def paid(items):
        order, _token = gen_order(items)
        assert mark_paid(order) == "paid"
        db.session.commit()
        return order

    both = paid({product_a: 2, product_b: 1})  # one order, two parcels
    only_a = paid({product_a: 1})
    cancelled = paid({product_b: 3})
    unpaid, _ = gen_order({product_a: 1})  # never paid: not a sale
    # The start of this year in WIT (UTC+9) is 15:00 UTC on 31 December: an order paid at
    # that instant counts for this year, one paid a second before does not.
    now_wit = to_wit(utcnow())
    new_year = now_wit.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    first_second = paid({product_b: 2})
    set_paid_at(first_second, _wit_to_utc(new_year))
    last_year = paid({product_a: 3})
    set_paid_at(last_year, _wit_to_utc(new_year) - timedelta(seconds=1))
    (parcel,) = cancelled.facility_orders
    db.session.execute(update(FacilityOrder).where(FacilityOrder.id == parcel.id)
                       .values(status="cancelled"))
    db.session.commit()
    assert unpaid.paid_at is None

    # Independently: the parcels of each order, from the database.
    def parcels(*orders):
        db.session.expire_all()
        return db.session.execute(
            select(FacilityOrder.facility_id, FacilityOrder.order_id, FacilityOrder.total)
            .where(FacilityOrder.order_id.in_([o.id for o in orders]))
        ).all()

    def expected(orders):
        rows = parcels(*orders)
        per = {}
        for facility in (facility_a, facility_b):
            mine = [total for fid, _, total in rows if fid == facility.id]
            per[facility.name] = (len(mine), sum(mine))
        count = len({oid for _, oid, _ in rows})
        return per, (count, sum(total for *_, total in rows))

    this_month = [both, only_a] + ([first_second] if now_wit.month == 1 else [])
    this_year = [both, only_a, first_second]
    html = dashboard(admin_client)
    month_table, year_table = table(html, "sales-table")
    for rows, orders in ((month_table, this_month), (year_table, this_year)):
        per, (count, revenue) = expected(orders)
        shown = by_name(rows)
        for name, (n, amount) in per.items():
            average = half_up(amount, n)
            assert shown[name] == [str(n), f"{rupiah(amount)} ({rupiah(average)})"]
        assert shown["Semua"] == [str(count),
                                  f"{rupiah(revenue)} ({rupiah(half_up(revenue, count))})"]

    # The 'both' order counts once in the whole-shop numbers, twice in the facility rows.
    per, (count, revenue) = expected([both, only_a])
    assert sum(n for n, _ in per.values()) == count + 1
    assert f"</span><strong>{rupiah(expected(this_month)[1][1])}</strong>" in html
    # The monthly chart's table (for screen readers) holds this month's revenue per facility.
    hidden = [rows for cls, rows in tables(html) if cls == ""][0]
    month_per, _ = expected(this_month)
    chart_rows = by_name(hidden)
    for name, (_n, amount) in month_per.items():
        assert chart_rows[name][-1] == rupiah(amount)


def test_sales_of_a_deactivated_facility_still_count(admin_client, gen_paid_order,
                                                     product_a, facility_a, facility_b):
    order = gen_paid_order({product_a: 1}).order
    facility_a.is_active = False
    db.session.commit()
    html = dashboard(admin_client)
    rows = by_name(table(html, "sales-table")[0])
    assert rows["Lapas Sanana (nonaktif)"] == ["1", f"{rupiah(order.total)} "
                                                    f"({rupiah(order.total)})"]
    assert rows["Rutan Soasio"] == ["0", "Rp0 (Rp0)"]
    assert rows["Semua"][0] == "1"


@pytest.fixture
def plenty(gen_product, facility_a, facility_b):
    """A product with plenty of stock in each facility."""
    return (gen_product(facility=facility_a, name="Sapu Lidi Sanana", price=12_000, stock=999),
            gen_product(facility=facility_b, name="Tikar Pandan Soasio", price=55_000,
                         stock=999))


def test_the_monthly_chart_puts_each_order_in_its_wit_month(admin_client, gen_paid_order,
                                                            plenty):
    from shop.admin.dashboard import _add_months

    now_wit = to_wit(utcnow())
    this_month = now_wit.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    placed = {}
    for back in (0, 2, 5, 6):  # 6 months back is outside the chart
        order = gen_paid_order({plenty[0]: 1 + back, plenty[1]: 1}).order
        # The first instant of that WIT month.
        set_paid_at(order, _wit_to_utc(_add_months(this_month, -back)))
        placed[back] = {fo.facility.name: fo.total for fo in order.facility_orders}
    html = dashboard(admin_client)
    hidden = [rows for cls, rows in tables(html) if cls == ""][0]
    header, rows = hidden[0], by_name(hidden)
    assert len(header) == 1 + 6
    expected_total = [0] * 6
    for name in ("Lapas Sanana", "Rutan Soasio"):
        expected = [0] * 6
        for back in (0, 2, 5):
            expected[5 - back] += placed[back][name]
            expected_total[5 - back] += placed[back][name]
        assert rows[name] == [rupiah(v) for v in expected], name
    assert rows["Semua"] == [rupiah(v) for v in expected_total]
    # Every facility has its own small chart, on the same scale.
    assert html.count('<svg class="chart" role="img" aria-label="Grafik batang penjualan') == 2


# ------------------------------------------------------------------ parcels waiting too long


def test_stalled_parcels_appear_when_they_wait_too_long(admin_client, gen_paid_order,
                                                        product_a, product_b, facility_a):
    fresh = gen_paid_order({product_a: 1, product_b: 1})
    html = dashboard(admin_client)
    assert "Tidak ada paket yang menunggu terlalu lama." in html

    paid_at = utcnow() - timedelta(days=3)
    set_paid_at(fresh.order, paid_at)
    html = dashboard(admin_client)
    rows = table(html, "stalled-table")[0][1:]
    assert len(rows) == 2
    numbers = {fo.number for fo in fresh.order.facility_orders}
    assert {row[0].split(" ")[0] for row in rows} == numbers
    assert sorted(row[0].split(" ", 1)[1] for row in rows) == [
        "Lapas Sanana · Ambil di tempat", "Rutan Soasio · Ambil di tempat"]
    assert [row[1] for row in rows] == ["Baru", "Baru"]
    assert all(row[2] == f"3 hari {to_wit(paid_at):%d-%m-%Y}" for row in rows)
    assert re.search(r"Baru</span> lebih dari 2 hari: <strong>2</strong>", html)
    assert "Paket menunggu terlalu lama</a></span><strong>2</strong>" in html

    # Accepted 3 days ago: stalled. Ready for pickup 3 days ago: not yet (7 days), 8: stalled.
    parcel_a = fresh.by_facility["lapas-sanana"]
    parcel_b = fresh.by_facility["rutan-soasio"]
    three_days = utcnow() - timedelta(days=3)
    for parcel, status in ((parcel_a, "accepted"), (parcel_b, "ready_for_pickup")):
        db.session.execute(update(FacilityOrder).where(FacilityOrder.id == parcel.id)
                           .values(status=status))
        db.session.add(FacilityOrderEvent(facility_order_id=parcel.id, from_status="new",
                                          to_status=status, created_at=three_days))
    db.session.commit()
    rows = table(dashboard(admin_client), "stalled-table")[0][1:]
    assert [(row[0].split(" ")[0], row[1]) for row in rows] == [(parcel_a.number, "Dikonfirmasi")]

    db.session.execute(update(FacilityOrderEvent)
                       .where(FacilityOrderEvent.facility_order_id == parcel_b.id,
                              FacilityOrderEvent.to_status == "ready_for_pickup")
                       .values(created_at=utcnow() - timedelta(days=8)))
    db.session.commit()
    html = dashboard(admin_client)
    rows = table(html, "stalled-table")[0][1:]
    # The longest waiting first.
    assert [row[1] for row in rows] == ["Siap diambil", "Dikonfirmasi"]
    assert rows[0][2].startswith("8 hari")
    assert re.search(r"Siap diambil</span> lebih dari 7 hari: <strong>1</strong>", html)


def test_only_the_twenty_longest_waiting_parcels_are_listed_but_all_are_counted(
        admin_client, gen_paid_order, plenty):
    for i in range(12):  # 24 parcels, all new, paid 3 to 14 days ago
        order = gen_paid_order({plenty[0]: 1, plenty[1]: 1}).order
        set_paid_at(order, utcnow() - timedelta(days=3 + i, hours=1))
    html = dashboard(admin_client)
    rows = table(html, "stalled-table")[0][1:]
    assert len(rows) == 20
    assert rows[0][2].startswith("14 hari") and rows[-1][2].startswith("5 hari")
    assert re.search(r"Baru</span> lebih dari 2 hari: <strong>24</strong>", html)
    assert "Ditampilkan 20 paket terlama dari 24." in html


# ------------------------------------------------------------------ low stock


def test_low_stock_lists_active_products_at_or_below_the_threshold(
        app, admin_client, gen_product, gen_facility, facility_a):
    threshold = app.config["LOW_STOCK_THRESHOLD"]
    gen_product(facility=facility_a, name="Sapu Ijuk Tepat Batas", stock=threshold)
    gen_product(facility=facility_a, name="Keset Sabut Habis", stock=0)
    gen_product(facility=facility_a, name="Meja Jati Cukup", stock=threshold + 1)
    gen_product(facility=facility_a, name="Tas Arsip", stock=1, status="archived")
    gen_product(facility=facility_a, name="Tas Draf", stock=1, status="draft")
    closed = gen_facility(name="Rutan Tutup")
    gen_product(facility=closed, name="Produk Unit Nonaktif", stock=1)
    closed.is_active = False
    db.session.commit()

    html = dashboard(admin_client)
    rows = table(html, "low-stock-table")[0][1:]
    assert rows == [["Keset Sabut Habis Lapas Sanana", "Habis"],
                    ["Sapu Ijuk Tepat Batas Lapas Sanana", str(threshold)]]
    assert f"stok {threshold} atau kurang: 2 produk" in html

    for i in range(25):
        gen_product(facility=facility_a, name=f"Barang Menipis {i:02d}", stock=1)
    html = dashboard(admin_client)
    assert len(table(html, "low-stock-table")[0]) == 1 + 20
    assert f"stok {threshold} atau kurang: 27 produk" in html


# ------------------------------------------------------------------ query count


def test_the_query_count_does_not_grow_with_the_orders(admin_client, count_queries,
                                                       gen_paid_order, product_a, product_b,
                                                       flagship_request):
    gen_paid_order({product_a: 1})
    dashboard(admin_client)  # warm up (first-request work, caches)
    with count_queries() as few:
        dashboard(admin_client)

    for i in range(6):
        result = gen_paid_order({product_a: 1, product_b: 1 + i % 2})
        if i % 2:
            set_paid_at(result.order, utcnow() - timedelta(days=40 * i))
    set_paid_at(result.order, utcnow() - timedelta(days=3))  # a stalled one too
    with count_queries() as many:
        html = dashboard(admin_client)
    assert "Tidak ada paket yang menunggu terlalu lama." not in html
    assert many.count == few.count, "\n\n".join(many.statements)
    assert many.count <= 10, "\n\n".join(many.statements)


def test_the_wit_month_boundaries(app):
    """Periods are WIT calendar months, the chart covers six of them (across a year end)."""
    from shop.admin.dashboard import Periods

    p = Periods.at(datetime(2026, 2, 28, 15, 30))  # 1 March 2026, 00:30 WIT
    assert p.now_wit.tzinfo == WIT and (p.now_wit.month, p.now_wit.day) == (3, 1)
    months = [(m.year, m.month) for m in p.months]
    assert months == [(2025, 10), (2025, 11), (2025, 12), (2026, 1), (2026, 2), (2026, 3)]
    assert p.year_from == 3 and p.chart_from == 0
    assert _wit_to_utc(p.months[-1]) == datetime(2026, 2, 28, 15, 0)

    p = Periods.at(datetime(2025, 11, 10))
    assert len(p.months) == 11 and p.year_from == 0 and p.chart_from == 5


def test_charts_are_labelled_images_and_escape_their_text():
    from shop.admin.charts import ProgressRow, month_bars, target_bars

    svg = str(month_bars([0, 5, 10], ["Jan", "Feb", "<Mar>"], 10, 'Penjualan "A" & <B>'))
    assert svg.startswith('<svg class="chart" role="img" aria-label="Penjualan &#34;A&#34; '
                          '&amp; &lt;B&gt;" width="100%" viewBox="0 0 200 90"')
    assert "<title>Penjualan &#34;A&#34; &amp; &lt;B&gt;</title>" in svg
    assert "&lt;Mar&gt;" in svg and "<Mar>" not in svg
    assert svg.count("<rect") == 2  # nothing drawn for zero
    assert "style=" not in svg and "<style" not in svg  # the CSP forbids inline styles

    svg = str(target_bars([ProgressRow("<Lapas>", 1, False, "1/2 · kurang 1"),
                           ProgressRow("Rutan", 3, True, "3/2")], 2, "Target", "target 2"))
    assert "&lt;Lapas&gt;" in svg and "1/2 · kurang 1" in svg
    assert 'fill="#a31d1d"' in svg and 'fill="#1d6b3a"' in svg
    assert 'stroke-dasharray="4 3"' in svg  # the target line
