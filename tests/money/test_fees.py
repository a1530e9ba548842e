"""Money received beside the price (issue 11): bank-transfer unique codes and gateway fees are
recorded, spread over the order's parcels, reported apart (never split), stored by the close
and shown by the reconciliation; one close in force per month is a unique index."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.admin.report_queries import sales_report
from shop.core.time import to_wit, utcnow, wit_month_as_utc
from shop.extensions import db
from shop.payments import fees, month_close
from shop.payments.closing_models import MonthClose
from shop.payments.gateway import GatewayUnavailable
from shop.payments.models import Payment
from shop.payments.reconciliation import reconcile
from shop.payments.services import start_payment
from shop.payments.stripe_gateway import StripeGateway
from shop.payments.transfers import confirm_transfer
from tests.payments import pay_at_stripe
from tests.payments.paying import midtrans_order, post_notification, settle_at_fake


class Parcel:
    def __init__(self, total):
        self.total = total


def test_spread_adds_up_and_follows_the_parcel_totals():
    parcels = [Parcel(100_000), Parcel(50_000), Parcel(50_000)]
    assert fees.spread(999, parcels) == [499, 250, 250]  # remainders .5 .75 .75
    assert fees.spread(1, parcels) == [1, 0, 0]
    assert fees.spread(0, parcels) == [0, 0, 0]
    assert fees.spread(7, [Parcel(0), Parcel(0)]) == [4, 3]  # all free: equal parts
    for amount in (1, 2, 3, 457, 5_801, 10_000_001):
        assert sum(fees.spread(amount, parcels)) == amount


@pytest.mark.parametrize("channel, amount, fee", [
    ("qris", 100_000, 700),  # 0.7 %
    ("qris", 150, 1),  # 1.05 rounds to 1
    ("qris", 50, 0),  # 0.35 rounds to 0
    ("qris", 500, 4),  # 3.5 rounds half up
    ("gopay", 90_000, 1_800),  # 2 %
    ("bank_transfer", 1_250_000, 4_000),  # a virtual account: fixed
    ("cstore", 20_000, 5_000),
    ("credit_card", 100_000, 4_900),  # 2.9 % + Rp2.000
    ("unknown", 100_000, 0),
    (None, 100_000, 0),
])
def test_contract_fee_of_a_midtrans_channel(channel, amount, fee):
    assert fees.contract_fee(channel, amount, fees.MIDTRANS_DEFAULT_FEES) == fee


def _month_of(moment):
    wit = to_wit(moment)
    return wit.year, wit.month


def test_a_confirmed_transfer_spreads_its_unique_code_and_reports_it_apart(
        app, transfer, admin):
    code = transfer.payment.unique_code
    assert 1 <= code <= 999
    confirm_transfer(transfer.order, transfer.payment.amount_due, "BRI 1", admin)
    db.session.expire_all()
    parcels = sorted(transfer.order.facility_orders, key=lambda fo: fo.id)
    shares = [fo.unique_code_share for fo in parcels]
    assert sum(shares) == code
    assert shares == fees.spread(code, parcels)
    payment = db.session.get(Payment, transfer.payment.id)
    assert (payment.fee, payment.fee_source) == (0, "none")
    assert [fo.gateway_fee for fo in parcels] == [0, 0]

    year, month = _month_of(transfer.order.paid_at)
    report = sales_report(year, month)
    assert report.total.unique_codes == code
    assert report.total.gateway_fees == 0
    assert sorted(row.unique_codes for row in report.rows) == sorted(shares)
    # never split: premi + PNBP + capital is the goods revenue, without the code
    for row in report.rows:
        assert row.premi + row.pnbp + row.capital == row.goods_revenue
    assert report.total.goods_revenue == sum(fo.subtotal for fo in parcels)

    bank = next(m for m in reconcile(year, month) if m.method == "bank_transfer")
    assert bank.balance == code and bank.fees == 0
    assert bank.net == bank.confirmed == transfer.order.total + code


def _paid_by_card(app, gen_facility, gen_product, gen_order):
    """Two facilities' goods paid at localstripe; the webhook applied through the services."""
    from shop.payments.services import settle
    from shop.payments.stripe_gateway import _intent

    a, b = gen_facility(), gen_facility()
    order, _ = gen_order({gen_product(facility=a, price=60_000, stock=5): 1,
                          gen_product(facility=b, price=30_000, stock=5): 1})
    payment = start_payment(order)
    pi = pay_at_stripe(app, payment.intent_id)
    assert pi.status == "succeeded"
    settle(_intent(pi), "test")
    db.session.commit()
    return order, db.session.get(Payment, payment.id)


def test_a_card_fee_is_asked_from_stripe_by_the_job_and_spread(
        app, localstripe, gen_facility, gen_product, gen_order, monkeypatch):
    order, payment = _paid_by_card(app, gen_facility, gen_product, gen_order)
    assert payment.fee is None  # Stripe is asked later, by the job, not in the webhook

    # the real stripe library against localstripe: the charge's balance transaction (fee 0)
    assert StripeGateway(app.config).fee(payment.intent_id) == 0
    monkeypatch.setattr(StripeGateway, "fee", lambda self, intent_id: 3_617)
    assert fees.record_fees() == 1
    assert fees.record_fees() == 0  # once
    db.session.expire_all()
    assert (payment.fee, payment.fee_source) == (3_617, "gateway")
    parcels = sorted(order.facility_orders, key=lambda fo: fo.id)
    assert [fo.gateway_fee for fo in parcels] == [2_411, 1_206]  # 2:1 like their totals

    year, month = _month_of(order.paid_at)
    report = sales_report(year, month)
    assert report.total.gateway_fees == 3_617
    assert report.total.goods_revenue == 90_000  # the fee is not taken from goods revenue
    card = next(m for m in reconcile(year, month) if m.method == "card")
    assert (card.fees, card.fees_unknown) == (3_617, 0)
    assert card.net == order.total - 3_617


def test_two_processes_never_book_one_fee_twice(
        app, localstripe, gen_facility, gen_product, gen_order, monkeypatch):
    order, payment = _paid_by_card(app, gen_facility, gen_product, gen_order)
    monkeypatch.setattr(StripeGateway, "fee", lambda self, intent_id: 900)
    assert fees.book_fee(db.session.get(Payment, payment.id), app.config)
    db.session.commit()
    # another process read the row before the first one wrote: its copy says "no fee yet"
    stale = Payment(id=payment.id, order_id=order.id, provider="stripe",
                    intent_id=payment.intent_id, amount=payment.amount, fee=None)
    assert not fees.book_fee(stale, app.config)
    db.session.commit()
    db.session.expire_all()
    assert sum(fo.gateway_fee for fo in order.facility_orders) == 900


def test_a_midtrans_payment_gets_its_channels_contract_fee(
        client, db_session, midtrans, shop_notified, place_by, goods):
    order, payment = midtrans_order(db_session, place_by, goods, quantity=2)
    body = settle_at_fake(midtrans, shop_notified, payment, payment_type="qris")[0]
    assert post_notification(client, body).get_json()["outcome"] == "paid"
    db_session.expire_all()
    payment = db_session.get(Payment, payment.id)
    assert payment.channel == "qris"
    assert (payment.fee, payment.fee_source) == (
        (order.total * 70 + 5_000) // 10_000, "contract")
    year, month = _month_of(order.paid_at)
    qris = next(m for m in reconcile(year, month) if m.method == "midtrans:qris")
    assert qris.fees == payment.fee and qris.net == order.total - payment.fee


def test_contract_rates_from_the_settings_win(app, db_session, midtrans, shop_notified,
                                              client, place_by, goods):
    app.config["MIDTRANS_FEES"] = {"qris": (0, 1_500)}
    try:
        order, payment = midtrans_order(db_session, place_by, goods, quantity=1)
        body = settle_at_fake(midtrans, shop_notified, payment, payment_type="qris")[0]
        post_notification(client, body)
    finally:
        app.config.pop("MIDTRANS_FEES")
    db_session.expire_all()
    assert db_session.get(Payment, payment.id).fee == 1_500


def test_the_close_waits_for_unknown_fees_and_stores_them(
        app, localstripe, admin, gen_facility, gen_product, gen_order, monkeypatch):
    order, payment = _paid_by_card(app, gen_facility, gen_product, gen_order)
    year, month = _month_of(order.paid_at)
    for fo in order.facility_orders:
        fo.status = "delivered"
    db.session.commit()
    after = wit_month_as_utc(year, month)[1] + timedelta(hours=1)

    def unreachable(self, intent_id):
        raise GatewayUnavailable("Stripe is down")

    monkeypatch.setattr(StripeGateway, "fee", unreachable)
    with pytest.raises(month_close.CloseRefused) as refused:
        month_close.close_month(year, month, admin, now=after)
    assert "belum diketahui" in refused.value.message
    assert month_close.current_close(year, month) is None

    monkeypatch.setattr(StripeGateway, "fee", lambda self, intent_id: 2_000)
    close = month_close.close_month(year, month, admin, now=after)
    assert sum(f.gateway_fees for f in close.figures) == 2_000
    assert sales_report(year, month).total.gateway_fees == 2_000  # read from the snapshot


def test_one_close_in_force_per_month_is_an_index(app, admin):
    start, end = wit_month_as_utc(2025, 1)
    first = MonthClose(year=2025, month=1, starts_at=start, ends_at=end, closed_at=utcnow())
    db.session.add(first)
    db.session.commit()
    db.session.add(MonthClose(year=2025, month=1, starts_at=start, ends_at=end,
                              closed_at=utcnow()))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    first = db.session.scalar(select(MonthClose).where(MonthClose.month == 1))
    first.reopened_at = utcnow()
    first.reopen_reason = "salah hitung ongkir"
    db.session.add(MonthClose(year=2025, month=1, starts_at=start, ends_at=end,
                              closed_at=utcnow()))
    db.session.commit()  # a reopened close leaves room for the next one
    assert len(month_close.history(2025, 1)) == 2


def test_a_gateway_that_is_down_is_asked_once_per_run(
        app, localstripe, gen_facility, gen_product, gen_order, monkeypatch):
    first, _ = _paid_by_card(app, gen_facility, gen_product, gen_order)
    second, _ = _paid_by_card(app, gen_facility, gen_product, gen_order)
    asked = []

    def unreachable(self, intent_id):
        asked.append(intent_id)
        raise GatewayUnavailable("Stripe is down")

    monkeypatch.setattr(StripeGateway, "fee", unreachable)
    assert fees.record_fees() == 0
    assert len(asked) == 1  # not one timeout per payment
    monkeypatch.setattr(StripeGateway, "fee", lambda self, intent_id: 100)
    assert fees.record_fees() == 2
