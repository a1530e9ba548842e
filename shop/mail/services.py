"""Mail through an outbox: queued in the caller's transaction, sent by `flask mail send`."""

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, g
from sqlalchemy import select, update

from shop.core.time import utcnow
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.mail.rendering import MailSubjectGone, known_locale, reader_language, render

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


def queue_email(to: str, subject, template: str, *, locale: str | None = None,
                **context) -> OutboxMessage:
    """Render templates/emails/<template>.txt and .html into the outbox (not committed here),
    in the reader's language: `locale`, else the language of the `order` in the context (the
    buyer's, stored at checkout), else the current one. Pass the subject as a lazy string
    (lazy_gettext) so it is translated into that language too."""
    locale = known_locale(locale or getattr(context.get("order"), "language", None))
    text, html = render(template, locale, context)
    return _queue(OutboxMessage(to_address=to, subject=_subject(subject, locale),
                                text_body=text, html_body=html))


def queue_email_later(to: str, subject, template: str, *, locale: str | None,
                      **refs) -> OutboxMessage:
    """Queue a mail whose bodies are rendered when it is first read (sent, or shown): `refs`
    are JSON values (ids) that the template's context builder (shop.mail.rendering
    .context_builder) turns back into what the template shows. For mails queued on a busy
    path whose content is fixed by then (the paid order's mails). The subject is written now,
    in `locale` (the reader's language; else the current one)."""
    locale = known_locale(locale)
    return _queue(OutboxMessage(to_address=to, subject=_subject(subject, locale),
                                template=template, context=refs, locale=locale))


def _subject(subject, locale: str | None) -> str:
    with reader_language(locale):
        return str(subject)


def _queue(message: OutboxMessage) -> OutboxMessage:
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
            email = _build(message)
        except MailSubjectGone as exc:  # what it shows was deleted since: nothing to send
            failed += 1
            message.status, message.last_error = "failed", str(exc)[:500]
            log.warning("mail %s to %s not sent: %s", message.id, message.to_address, exc)
            db.session.commit()
            continue
        try:
            _deliver(email)
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
