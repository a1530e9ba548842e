"""The outbox, sent by `flask mail send` through a real SMTP server (aiosmtpd) on loopback."""

import email
import socket
from contextlib import contextmanager
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from shop.core.time import utcnow
from shop.mail.models import OutboxMessage
from shop.mail.services import queue_email
from shop.payments.gateway import Intent
from shop.payments.models import Payment
from shop.payments.services import settle


class Collector:
    """An aiosmtpd handler that keeps every envelope it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server(port):
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def mail_port(app, monkeypatch):
    """Point the app's SMTP settings at a loopback port (restored after the test)."""
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", None)
    return port


def pay_by_card(app, db_session, order, intent_id, **request):
    """Pay `order` through settle(), as the card webhook does (in a request made with
    `request`): its confirmation email waits in the outbox."""
    db_session.add(Payment(order_id=order.id, provider="stripe", attempt=1, intent_id=intent_id,
                           client_secret=f"{intent_id}_secret", amount=order.total,
                           status="requires_payment_method"))
    db_session.commit()
    intent = Intent(id=intent_id, status="succeeded", amount=order.total, currency="idr",
                    client_secret="x")
    with app.test_request_context(**request):
        assert settle(intent, "webhook") == "paid"
    db_session.commit()


@pytest.fixture
def paid_order(app, db_session, gen_product, gen_order):
    """An order paid through settle(): its confirmation email waits in the outbox."""
    order, _ = gen_order({gen_product(price=42_000, stock=3): 1})
    pay_by_card(app, db_session, order, "pi_mail_test")
    return order


def send(runner, sent, failed):
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Terkirim: {sent}, gagal: {failed}"


def test_mail_send_delivers_the_paid_email_over_smtp(
    app, runner, db_session, mail_port, paid_order
):
    [message] = db_session.scalars(select(OutboxMessage)).all()
    assert message.status == "pending"
    # The payment queued the ids of what the mail shows; the bodies are rendered when it is sent.
    assert (message.template, message.context) == ("order_paid", {"order": paid_order.id})
    assert message.stored_text is None and message.stored_html is None

    with smtp_server(mail_port) as smtp:
        send(runner, sent=1, failed=0)
        send(runner, sent=0, failed=0)  # nothing sent twice

    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["budi@example.com"]
    assert envelope.mail_from == "toko@etalasebinaan.test"
    mail = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert mail["Subject"] == f"Pesanan {paid_order.number} sudah dibayar"
    assert mail["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert mail["To"] == "budi@example.com"
    assert mail["Message-ID"]
    assert mail.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part.get_content() for part in mail.iter_parts()}
    assert set(parts) == {"text/plain", "text/html"}
    assert paid_order.number in parts["text/plain"]
    assert "Rp42.000" in parts["text/plain"]
    assert "Pembayaran pesanan" in parts["text/plain"]  # Indonesian
    assert "<html" in parts["text/html"].lower() and paid_order.number in parts["text/html"]

    db_session.expire_all()
    assert message.status == "sent"
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.last_error is None
    assert message.stored_text.split() == parts["text/plain"].split()  # kept as sent


def test_a_paid_mail_is_rendered_in_the_buyers_language_when_sent(
    app, runner, db_session, mail_port, gen_product, gen_order
):
    order, _ = gen_order({gen_product(price=42_000, stock=3, name="Sambal Roa",
                                      name_en="Smoked Fish Chilli"): 2})
    order.language = "en"
    pay_by_card(app, db_session, order, "pi_mail_en",
                headers={"Accept-Language": "id"})  # not the buyer's language

    with smtp_server(mail_port) as smtp:
        send(runner, sent=1, failed=0)  # outside any request: links on SHOP_BASE_URL

    [envelope] = smtp.envelopes
    mail = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert mail["Subject"] == f"Order {order.number} has been paid"
    text = mail.get_body(("plain",)).get_content()
    assert "Smoked Fish Chilli" in text and "Rp84.000" in text
    assert "Pembayaran" not in text
    assert f"{app.config['SHOP_BASE_URL']}/orders/{order.number}?k=" in text


def test_a_mail_whose_order_is_gone_is_not_sent_and_does_not_stop_the_others(
    app, runner, db_session, mail_port, paid_order
):
    [paid] = db_session.scalars(select(OutboxMessage)).all()
    paid.context = {"order": paid_order.id + 1000}  # no such order any more
    queue_email("ani@example.com", "Dana dikembalikan", "order_refunded", order=paid_order,
                amount=1_000)
    db_session.commit()

    with smtp_server(mail_port) as smtp:
        send(runner, sent=1, failed=1)
        send(runner, sent=0, failed=0)  # given up, not retried

    assert [e.rcpt_tos for e in smtp.envelopes] == [["ani@example.com"]]
    db_session.expire_all()
    assert paid.status == "failed"
    assert "no longer exists" in paid.last_error


def test_a_mail_server_that_is_down_loses_no_email(app, runner, db_session, mail_port,
                                                   gen_product, gen_order):
    order, _ = gen_order({gen_product(price=30_000, stock=2): 1})
    queue_email(order.email, f"Dana pesanan {order.number} dikembalikan", "order_refunded",
                order=order, amount=order.total)
    db_session.commit()
    [message] = db_session.scalars(select(OutboxMessage)).all()

    send(runner, sent=0, failed=1)  # nothing listens on the port yet
    db_session.expire_all()
    assert message.status == "pending"
    assert message.attempts == 1
    assert message.last_error
    assert message.next_attempt_at > utcnow()
    assert message.sent_at is None

    send(runner, sent=0, failed=0)  # not due yet: no new attempt
    db_session.expire_all()
    assert message.attempts == 1

    with smtp_server(mail_port) as smtp:
        message.next_attempt_at = utcnow() - timedelta(seconds=1)  # the retry is due
        db_session.commit()
        send(runner, sent=1, failed=0)

    [envelope] = smtp.envelopes
    mail = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert mail["Subject"] == f"Dana pesanan {order.number} dikembalikan"
    assert "Rp30.000" in mail.get_body(("plain",)).get_content()
    db_session.expire_all()
    assert message.status == "sent"
    assert message.attempts == 2


def test_dev_outbox_is_not_served_outside_development(client, db_session):
    assert client.get("/dev/outbox").status_code == 404
    assert client.get("/dev/outbox/1").status_code == 404
