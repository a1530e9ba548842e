"""Manual refunds: a cancelled parcel of an order paid by bank transfer (or a Midtrans virtual
account) cannot be refunded by a gateway. The customer is mailed a signed link, gives a bank
account, the Kanwil sends the money and records the reference; the account is then erased and
the customer told."""

from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from shop.core.audit import AuditEntry
from shop.core.time import utcnow
from shop.extensions import db
from shop.orders.fulfilment import MoveDetails, refund_share
from shop.payments import manual_refunds
from shop.payments.models import Payment, Refund
from shop.payments.parcels import move
from shop.payments.services import complete_pending_refunds, queue_refund, refundable_by_api
from shop.payments.transfers import confirm_transfer
from tests.payments.kanwil import link_in, login, outbox


@pytest.fixture
def cancelled(transfer, admin, staff_a):
    """The transfer order confirmed, then facility A's parcel cancelled by its staff."""
    confirm_transfer(transfer.order, transfer.payment.amount_due, "BRI 1", admin)
    db.session.expire_all()
    parcel = next(fo for fo in transfer.order.facility_orders
                  if fo.facility_id == staff_a.facility_id)
    move(parcel, "cancelled", staff_a, MoveDetails(reason="Kayu jati rusak saat dikemas"))
    transfer.parcel = parcel
    transfer.refund = db.session.scalar(select(Refund))
    return transfer


def test_the_whole_manual_refund_flow(client, app, admin, cancelled):
    refund = cancelled.refund
    assert refund.manual and refund.status == "manual"
    assert refund.amount == refund_share(cancelled.parcel)
    assert refund.facility_order_id == cancelled.parcel.id
    # the gateway is never asked for it
    assert complete_pending_refunds() == 0
    assert db.session.get(Refund, refund.id).status == "manual"
    note = db.session.scalar(select(AuditEntry).where(AuditEntry.kind == "refund.requested"))
    assert note.to_value == "manual"

    # 1. the customer gets a mail with a signed link
    [mail] = outbox(cancelled.order.email, "isi rekening Anda")
    assert "Kayu jati rusak" in mail.text_body
    assert "Rp" in mail.text_body and "30 hari" in mail.text_body
    link = link_in(mail, "/refunds/")
    page = client.get(link)
    assert page.status_code == 200
    assert cancelled.order.number in page.get_data(as_text=True)

    # 2. a bad account is refused field by field
    bad = client.post(link, data={"bank": "BRI", "number": "12ab", "holder": "Budi"})
    assert bad.status_code == 422
    assert "5 sampai 20 angka" in bad.get_data(as_text=True)
    assert db.session.get(Refund, refund.id).account_number is None

    # 3. the customer gives the account
    ok = client.post(link, data={"bank": "BRI", "number": "0123-01-004567-50-9",
                                 "holder": "Budi Santoso"}, follow_redirects=True)
    assert ok.status_code == 200 and "Terima kasih" in ok.get_data(as_text=True)
    db.session.expire_all()
    refund = db.session.get(Refund, refund.id)
    assert refund.status == "ready"
    assert (refund.account_bank, refund.account_number, refund.account_holder) == (
        "BRI", "012301004567509", "Budi Santoso")

    # 4. the Kanwil sees the task with the account and marks it paid
    login(client, admin.email)
    desk = client.get("/admin/payments/refunds").get_data(as_text=True)
    assert "012301004567509" in desk and cancelled.order.number in desk
    done = client.post(f"/admin/payments/refunds/{refund.id}/paid",
                       data={"reference": "BRI TRF 998877"}, follow_redirects=True)
    assert "dicatat" in done.get_data(as_text=True)
    db.session.expire_all()
    refund = db.session.get(Refund, refund.id)
    assert refund.status == "succeeded" and refund.paid_reference == "BRI TRF 998877"
    assert refund.paid_at is not None
    assert (refund.account_bank, refund.account_number, refund.account_holder) == (
        None, None, None)
    [paid_mail] = outbox(cancelled.order.email, "sudah dikembalikan")
    assert "BRI TRF 998877" in paid_mail.text_body and "7509" in paid_mail.text_body
    assert "012301004567509" not in paid_mail.text_body
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.kind == "refund.paid_by_hand"))
    assert audit.actor_label == admin.email
    desk = client.get("/admin/payments/refunds").get_data(as_text=True)
    assert "012301004567509" not in desk and "BRI TRF 998877" in desk

    # 5. the link now says it is done, and refuses changes
    client.get("/account/logout")
    assert "sudah kami transfer" in client.get(link).get_data(as_text=True)
    assert client.post(link, data={"bank": "BNI", "number": "99999",
                                   "holder": "Orang Lain"}).status_code == 422
    assert db.session.get(Refund, refund.id).account_number is None


def test_marking_paid_before_the_customer_gave_an_account_is_refused(client, admin, cancelled):
    login(client, admin.email)
    response = client.post(f"/admin/payments/refunds/{cancelled.refund.id}/paid",
                           data={"reference": "BRI 123"}, follow_redirects=True)
    assert "belum mengisi rekening" in response.get_data(as_text=True)
    assert db.session.get(Refund, cancelled.refund.id).status == "manual"


def test_forged_other_and_expired_links_are_404(client, app, cancelled, monkeypatch):
    assert client.get("/refunds/not-a-token").status_code == 404
    other = manual_refunds._serializer().dumps(cancelled.refund.id + 1)
    assert client.get(f"/refunds/{other}").status_code == 404
    old = utcnow() - timedelta(days=31)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(
        (old - utcnow().__class__(1970, 1, 1)).total_seconds()))
    stale = manual_refunds.token_for(cancelled.refund)
    monkeypatch.undo()
    assert client.get(f"/refunds/{stale}").status_code == 404
    assert client.get(f"/refunds/{manual_refunds.token_for(cancelled.refund)}").status_code == 200


def test_a_midtrans_virtual_account_refund_is_manual(transfer):
    payment = Payment(order_id=transfer.order.id, provider="midtrans", method="midtrans",
                      attempt=2, intent_id="EB-TEST-p2", client_secret="snap",
                      amount=transfer.order.total, status="succeeded", channel="bank_transfer")
    db.session.add(payment)
    db.session.commit()
    assert not refundable_by_api(payment)
    refund = queue_refund(transfer.order, 1_000, "uji", key="uji-va", payment=payment)
    assert refund.manual and refund.status == "manual"
    assert outbox(transfer.order.email, "isi rekening Anda")
    payment.channel = "qris"
    assert refundable_by_api(payment)


def test_a_refund_the_gateway_refuses_as_unsupported_becomes_manual(transfer, monkeypatch):
    from shop.payments import services
    from shop.payments.gateway import RefundNotSupported

    payment = Payment(order_id=transfer.order.id, provider="midtrans", method="midtrans",
                      attempt=2, intent_id="EB-TEST-p3", client_secret="snap",
                      amount=transfer.order.total, status="succeeded")  # channel unknown yet
    db.session.add(payment)
    db.session.commit()
    refund = queue_refund(transfer.order, 2_000, "uji", key="uji-unknown", payment=payment)
    db.session.commit()
    assert refund.status == "pending" and not refund.manual

    class VirtualAccount:
        def refund(self, *args):
            raise RefundNotSupported("Pembayaran lewat transfer virtual account tidak dapat "
                                     "dikembalikan lewat Midtrans.", payment_type="bank_transfer")

    monkeypatch.setattr(services, "get_gateway", lambda name=None: VirtualAccount())
    assert complete_pending_refunds() == 0
    db.session.expire_all()
    refund = db.session.get(Refund, refund.id)
    assert refund.manual and refund.status == "manual"
    assert outbox(transfer.order.email, "isi rekening Anda")
