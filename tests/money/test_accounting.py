"""Issue 11, the figures: random paid orders (several facilities, discounts of both fundings,
free shipping, partial and whole-parcel refunds, split changes mid-month) against an
independent computation, to the rupiah; premi + PNBP + capital == goods revenue per row; a
closed month does not change after later refunds, cancellations and split changes."""

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from shop.admin.report_queries import sales_report
from shop.core.audit import AuditEntry
from shop.extensions import db
from shop.payments import accounting
from shop.payments import month_close as closing
from shop.payments.closing_models import MonthClose
from tests.money.ledger import (
    OrderSpec,
    ParcelSpec,
    build,
    expected,
    later,
    split_exact,
    wit_utc,
)

FIELDS = ("parcels", "cancelled", "units", "gross", "facility_discounts", "partner_discounts",
          "goods_refunds", "shipping", "shipping_discounts", "partner_owed", "goods_revenue",
          "premi", "pnbp", "capital", "unique_codes", "gateway_fees")

percents_st = st.integers(0, 100).flatmap(
    lambda premi: st.integers(0, 100 - premi).map(lambda pnbp: (premi, pnbp, 100 - premi - pnbp)))


@st.composite
def parcels_st(draw, facility, percents, paid_at):
    lines = draw(st.lists(st.tuples(st.integers(1, 4), st.integers(1, 200_000)), min_size=1,
                          max_size=2))
    # a split change mid-month: some parcels of the same facility keep other percentages
    stored = draw(st.sampled_from([percents, percents, draw(percents_st)]))
    spec = ParcelSpec(facility, lines, stored, shipping=draw(st.sampled_from([0, 10_000, 27_500])),
                      # shares of a transfer's unique code / a gateway fee (never split)
                      unique_code=draw(st.sampled_from([0, 0, 1, 457, 999])),
                      gateway_fee=draw(st.sampled_from([0, 0, 700, 4_000, 5_801])))
    goods_room, ship_room = spec.subtotal, spec.shipping
    for funding in draw(st.lists(st.sampled_from(["partner", "facility"]), max_size=2)):
        goods = draw(st.integers(0, goods_room))
        ship = ship_room if draw(st.booleans()) else 0  # free shipping takes it all
        spec.discounts.append((funding, goods, ship))
        goods_room, ship_room = goods_room - goods, ship_room - ship
    for _ in range(draw(st.integers(0, 2))):
        spec.refunds.append((draw(st.integers(1, max(goods_room, 1))),
                             draw(st.sampled_from(["pending", "succeeded", "failed"])),
                             later(paid_at, draw(st.integers(0, 40)))))
    if draw(st.integers(0, 3)) == 0:
        spec.cancelled_at = later(paid_at, draw(st.integers(1, 40)))
    return spec


@st.composite
def worlds(draw):
    count = draw(st.integers(1, 3))
    facilities = [(f"Unit {chr(65 + i)}", draw(percents_st)) for i in range(count)]
    orders = []
    for _ in range(draw(st.integers(1, 7))):
        paid_at = draw(st.sampled_from([
            wit_utc(2025, 3, 1), wit_utc(2025, 3, 31, 23, 59, 59), wit_utc(2025, 4, 1),
            wit_utc(2025, 3, 15, 8), wit_utc(2025, 4, 20, 22)]))
        chosen = draw(st.lists(st.integers(0, len(facilities) - 1), min_size=1, max_size=3,
                               unique=True))
        orders.append(OrderSpec(paid_at, [draw(parcels_st(f, facilities[f][1], paid_at))
                                          for f in chosen]))
    return facilities, orders


def clear():
    from shop.catalog.models import Category, Product
    from shop.facilities.models import Facility
    from shop.orders.models import FacilityOrder, FacilityOrderEvent, Order, OrderLine
    from shop.payments.models import Payment, Refund
    from shop.promotions.models import ParcelDiscount, Promotion
    from shop.promotions.partners import PartnerOrganization

    db.session.rollback()
    for model in (MonthClose, Refund, Payment, ParcelDiscount, Promotion, PartnerOrganization,
                  OrderLine, FacilityOrderEvent, FacilityOrder, Order, Product, Category,
                  Facility):
        db.session.execute(delete(model))
    db.session.commit()
    db.session.expire_all()


def report_rows(year=2025, month=None):
    report = sales_report(year, month)
    return {(row.name, 2025, row.month): {name: getattr(row, name) for name in FIELDS}
            for row in report.rows}, report


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(world=worlds())
def test_the_report_equals_an_independent_computation(app, world):
    clear()
    facilities, orders = world
    build(facilities, orders)
    want = expected(facilities, orders)
    got, report = report_rows()
    assert got == want
    for row in report.rows:
        assert row.premi + row.pnbp + row.capital == row.goods_revenue
    assert report.total.goods_revenue == sum(r["goods_revenue"] for r in want.values())
    assert report.total.premi + report.total.pnbp + report.total.capital == \
        report.total.goods_revenue
    # a month alone gives the same rows
    march, _ = report_rows(2025, 3)
    assert march == {key: row for key, row in want.items() if key[2] == 3}


def test_split_examples():
    assert split_exact(144_999, (50, 15, 35)) == (72_499, 21_750, 50_750)
    assert accounting.split(144_999, (50, 15, 35)) == (72_499, 21_750, 50_750)
    positive = accounting.split(7, (50, 15, 35))
    assert accounting.split(-7, (50, 15, 35)) == tuple(-p for p in positive)
    with pytest.raises(ValueError):
        accounting.split(1, (50, 50, 1))


@pytest.fixture
def kanwil(app):
    from shop.accounts.provisioning import create_admin

    return create_admin("keuangan@kanwil.example.org", "rahasia-panjang-1", "Keuangan")


def test_a_closed_month_does_not_change(app, kanwil):
    jan = wit_utc(2025, 1, 10, 10)
    facilities = [("Lapas Ternate", (50, 15, 35))]
    a = ParcelSpec(0, [(2, 50_000)], (50, 15, 35), shipping=10_000,
                   discounts=[("facility", 5_000, 0), ("partner", 3_000, 10_000)])
    b = ParcelSpec(0, [(1, 80_000)], (50, 15, 35))
    c = ParcelSpec(0, [(1, 20_000)], (50, 15, 35), refunds=[(2_000, "succeeded", later(jan, 3))])
    build(facilities, [OrderSpec(jan, [a]), OrderSpec(jan, [b]), OrderSpec(jan, [c])])
    before, _ = report_rows(2025, 1)
    row = before[("Lapas Ternate", 2025, 1)]
    assert (row["gross"], row["goods_revenue"], row["shipping"], row["shipping_discounts"]) == (
        200_000, 200_000 - 5_000 - 2_000, 10_000, 10_000)
    assert row["partner_owed"] == 13_000

    with pytest.raises(closing.CloseRefused):  # not ended yet at that moment
        closing.close_month(2025, 1, kanwil, now=wit_utc(2025, 1, 31, 12))
    close = closing.close_month(2025, 1, kanwil, now=wit_utc(2025, 2, 2))
    assert len(close.figures) == 1 and close.figures[0].goods_revenue == row["goods_revenue"]
    with pytest.raises(closing.CloseRefused):
        closing.close_month(2025, 1, kanwil, now=wit_utc(2025, 2, 3))

    # After the close: a refund of goods, a cancellation, and a new split for the facility.
    from shop.facilities.models import Facility
    from shop.orders.models import FacilityOrder, FacilityOrderEvent
    from shop.payments.models import Payment, Refund

    parcel_b = db.session.scalar(select(FacilityOrder).where(FacilityOrder.subtotal == 80_000))
    parcel_c = db.session.scalar(select(FacilityOrder).where(FacilityOrder.subtotal == 20_000))
    payment = db.session.scalar(select(Payment).where(Payment.order_id == parcel_c.order_id))
    feb = wit_utc(2025, 2, 14, 9)
    db.session.add(Refund(payment_id=payment.id, facility_order_id=parcel_c.id, amount=4_000,
                          reason="rusak", status="succeeded", idempotency_key="late",
                          created_at=feb))
    parcel_b.status = "cancelled"
    db.session.add(FacilityOrderEvent(facility_order_id=parcel_b.id, from_status="delivered",
                                      to_status="cancelled", created_at=feb + timedelta(days=1)))
    facility = db.session.scalar(select(Facility))
    facility.premi_percent, facility.pnbp_percent, facility.capital_percent = 70, 30, 0
    db.session.commit()

    after, report = report_rows(2025, 1)
    assert after == before and report.closed
    feb_rows, _ = report_rows(2025, 2)
    adjustment = feb_rows[("Lapas Ternate", 2025, 2)]
    assert adjustment["parcels"] == -1 and adjustment["cancelled"] == 1
    assert adjustment["gross"] == -80_000 and adjustment["goods_refunds"] == 4_000
    assert adjustment["goods_revenue"] == -84_000
    # the adjustments keep the percentages of the sales they correct
    assert (adjustment["premi"], adjustment["pnbp"], adjustment["capital"]) == \
        split_exact(-84_000, (50, 15, 35))

    # Reopening needs a reason, is audited, and the month then shows the changes itself.
    with pytest.raises(closing.CloseRefused):
        closing.reopen_month(2025, 1, kanwil, "salah")
    closing.close_month(2025, 2, kanwil, now=wit_utc(2025, 3, 2))
    with pytest.raises(closing.CloseRefused):  # a later month is closed
        closing.reopen_month(2025, 1, kanwil, "angka Januari perlu diperiksa ulang")
    closing.reopen_month(2025, 2, kanwil, "angka Februari perlu diperiksa ulang")
    closing.reopen_month(2025, 1, kanwil, "angka Januari perlu diperiksa ulang")
    reopened, report = report_rows(2025, 1)
    assert not report.closed
    assert reopened[("Lapas Ternate", 2025, 1)]["goods_revenue"] == \
        row["goods_revenue"] - 80_000 - 4_000
    assert ("Lapas Ternate", 2025, 2) not in report_rows(2025, 2)[0]
    kinds = db.session.scalars(select(AuditEntry.kind).where(AuditEntry.kind.like("month.%"))
                               .order_by(AuditEntry.id)).all()
    assert kinds == ["month.close", "month.close", "month.reopen", "month.reopen"]


def test_a_month_with_open_parcels_closes_only_with_exceptions(app, kanwil):
    from shop.orders.models import FacilityOrder

    jan = wit_utc(2025, 1, 5)
    build([("Rutan Soasio", (60, 15, 25))],
          [OrderSpec(jan, [ParcelSpec(0, [(1, 10_000)], (60, 15, 25))])])
    parcel = db.session.scalar(select(FacilityOrder))
    parcel.status = "packed"
    db.session.commit()
    with pytest.raises(closing.CloseRefused) as refused:
        closing.close_month(2025, 1, kanwil, now=datetime(2025, 3, 1))
    assert refused.value.open_parcels == [parcel.number]
    close = closing.close_month(2025, 1, kanwil, [parcel.number], now=datetime(2025, 3, 1))
    assert close.exception_list == [parcel.number]


def test_each_cancellation_after_a_close_is_booked_in_its_own_month(app, kanwil):
    from shop.orders.models import FacilityOrder, FacilityOrderEvent

    jan = wit_utc(2025, 1, 10)
    build([("Lapas Ternate", (50, 15, 35))],
          [OrderSpec(jan, [ParcelSpec(0, [(1, price)], (50, 15, 35))])
           for price in (10_000, 20_000)])
    closing.close_month(2025, 1, kanwil, now=wit_utc(2025, 2, 1))
    parcels = db.session.scalars(select(FacilityOrder).order_by(FacilityOrder.subtotal)).all()
    for parcel, when in zip(parcels, (wit_utc(2025, 2, 10), wit_utc(2025, 3, 10)), strict=True):
        parcel.status = "cancelled"
        db.session.add(FacilityOrderEvent(facility_order_id=parcel.id, from_status="delivered",
                                          to_status="cancelled", created_at=when))
    db.session.commit()
    feb = report_rows(2025, 2)[0][("Lapas Ternate", 2025, 2)]
    mar = report_rows(2025, 3)[0][("Lapas Ternate", 2025, 3)]
    assert (feb["gross"], feb["cancelled"], mar["gross"], mar["cancelled"]) == (
        -10_000, 1, -20_000, 1)
