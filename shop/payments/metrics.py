"""Feeds the metrics of shop.core.observability from the ORM, so that no service has to call
anything: an Order inserted counts as an order placed, a Payment whose status changes counts
as a payment of its method (provider) with that outcome. Counted when the transaction
commits; a rolled-back transaction counts nothing."""

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from shop.core import observability
from shop.orders.models import Order
from shop.payments.models import Payment

PENDING = "shop_metrics_pending"


def _after_flush(session, _flush_context):
    pending = session.info.setdefault(PENDING, [])
    for obj in session.new:
        if isinstance(obj, Order):
            pending.append((observability.order_placed, {}))
        elif isinstance(obj, Payment):
            pending.append((observability.payment_recorded,
                            {"method": obj.provider, "outcome": obj.status}))
    for obj in session.dirty:
        if isinstance(obj, Payment) and inspect(obj).attrs.status.history.has_changes():
            pending.append((observability.payment_recorded,
                            {"method": obj.provider, "outcome": obj.status}))


def _after_commit(session):
    for signal, kwargs in session.info.pop(PENDING, []):
        signal.send(None, **kwargs)


def _after_rollback(session):
    session.info.pop(PENDING, None)


def install():
    """Listen on every session (once per process, however many apps are created)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
