"""/dev/outbox: the mails the shop would send, readable in development only."""

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import select

from shop.extensions import db
from shop.mail.models import OutboxMessage

bp = Blueprint("mail", __name__)


@bp.before_request
def _development_only():
    if current_app.config.get("ENV_NAME") != "development":
        abort(404)


@bp.get("/dev/outbox")
def outbox():
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(50)
    ).all()
    return render_template("mail/outbox.html", messages=messages)


@bp.get("/dev/outbox/<int:message_id>")
def outbox_message(message_id):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("mail/message.html", message=message)
