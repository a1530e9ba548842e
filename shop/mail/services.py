"""Mail through an outbox: queued in the caller's transaction, sent by `flask mail send`."""

import logging
import smtplib
from contextlib import nullcontext
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, g, has_request_context, render_template
from flask_babel import force_locale
from sqlalchemy import select, update

from shop.core.time import utcnow
from shop.extensions import db
from shop.mail.models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


def queue_email(to: str, subject, template: str, *, locale: str | None = None,
                **context) -> OutboxMessage:
    """Render templates/emails/<template>.txt and .html into the outbox (not committed here),
    in the reader's language: `locale`, else the language of the `order` in the context (the
    buyer's, stored at checkout), else the current one. Pass the subject as a lazy string
    (lazy_gettext) so it is translated into that language too."""
    if not has_request_context():  # CLI or worker: links use the configured base URL
        with current_app.test_request_context(base_url=current_app.config["SHOP_BASE_URL"]):
            return queue_email(to, subject, template, locale=locale, **context)
    locale = locale or getattr(context.get("order"), "language", None)
    if locale not in current_app.config["LANGUAGES"]:
        locale = None
    with force_locale(locale) if locale else nullcontext():
        message = OutboxMessage(
            to_address=to,
            subject=str(subject),
            text_body=render_template(f"emails/{template}.txt", **context),
            html_body=render_template(f"emails/{template}.html", **context),
        )
    db.session.add(message)
    g.mail_queued = True
    return message


def _build(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to_address
    email["Message-ID"] = make_msgid(domain="etalasebinaan.id")
    email.set_content(message.text_body)
    email.add_alternative(message.html_body, subtype="html")
    return email


def _deliver(email: EmailMessage) -> None:
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        folder = Path(cfg.get("MAIL_OUTBOX_DIR") or Path(current_app.instance_path) / "outbox")
        folder.mkdir(parents=True, exist_ok=True)
        name = email["Message-ID"].strip("<>").split("@")[0]
        (folder / f"{name}.eml").write_bytes(bytes(email))
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


def _claim(message_id: int, attempts: int) -> bool:
    """Take a message for sending (another worker may be sending the same outbox)."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "pending",
               OutboxMessage.attempts == attempts)
        .values(attempts=attempts + 1, next_attempt_at=utcnow() + timedelta(minutes=5))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def send_after_request(response):
    """Development: send what the request queued, so mails show up at once."""
    if not g.get("mail_queued"):
        return response
    try:
        send_outbox(limit=20)
    except Exception:  # noqa: BLE001 - never break a page because of mail
        db.session.rollback()
        log.exception("sending the outbox after a request failed")
    return response


def send_outbox(limit: int = 100) -> tuple[int, int]:
    """Send due messages; a failure is retried later with a growing delay. Returns
    (sent, failed)."""
    sent = failed = 0
    due = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= utcnow())
        .order_by(OutboxMessage.id).limit(limit)
    ).all()
    for message in due:
        if not _claim(message.id, message.attempts):
            continue
        db.session.refresh(message)
        try:
            _deliver(_build(message))
        except (OSError, smtplib.SMTPException) as exc:
            failed += 1
            message.last_error = str(exc)[:500]
            delay = timedelta(minutes=2 ** min(message.attempts, 10))
            message.next_attempt_at = utcnow() + delay
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
            log.warning("mail %s to %s failed: %s", message.id, message.to_address, exc)
        else:
            sent += 1
            message.status = "sent"
            message.sent_at = utcnow()
        db.session.commit()
    return sent, failed
