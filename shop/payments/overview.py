"""The Kanwil's payments overview: per WIT day and way to pay, the money expected (orders
placed), confirmed (orders paid), transfers still open, orders expired unpaid, refunds open and
done. Five grouped queries whatever the number of orders."""

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, select

from shop.core.sqltime import wit_day
from shop.core.time import wit_days_as_utc
from shop.extensions import db
from shop.orders.models import Order
from shop.payments.methods import METHODS
from shop.payments.models import Payment, Refund


@dataclass
class Row:
    day: str
    method: str
    placed: int = 0
    placed_amount: int = 0
    paid: int = 0
    paid_amount: int = 0
    open_transfers: int = 0
    open_amount: int = 0
    expired: int = 0
    expired_amount: int = 0
    refunds_open: int = 0
    refunds_open_amount: int = 0
    refunds_done: int = 0
    refunds_done_amount: int = 0

    def add(self, other: "Row"):
        for f in fields(self)[2:]:
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


FIGURES = [f.name for f in fields(Row)[2:]]


def _grouped(column, method_column, amount, *where):
    day = wit_day(column)
    return db.session.execute(
        select(day, method_column, func.count(), func.coalesce(func.sum(amount), 0))
        .where(column.is_not(None), *where).group_by(day, method_column)).all()


def overview(start: date, end: date) -> tuple[list[Row], Row]:
    """Rows for the WIT days start..end (both included), newest day first, and the total."""
    lo, hi = wit_days_as_utc(start, end)
    rows: dict[tuple[str, str], Row] = {}

    def put(results, count_name, amount_name):
        for day, method, count, amount in results:
            row = rows.setdefault((str(day)[:10], method), Row(str(day)[:10], method))
            setattr(row, count_name, getattr(row, count_name) + int(count))
            setattr(row, amount_name, getattr(row, amount_name) + int(amount))

    def within(column):
        return (column >= lo, column < hi)

    put(_grouped(Order.created_at, Order.payment_method, Order.total,
                 *within(Order.created_at)), "placed", "placed_amount")
    put(_grouped(Order.paid_at, Order.payment_method, Order.total, *within(Order.paid_at)),
        "paid", "paid_amount")
    put(_grouped(Payment.created_at, Payment.method, Payment.amount_due,
                 Payment.method == "bank_transfer", Payment.status == "awaiting_transfer",
                 *within(Payment.created_at)), "open_transfers", "open_amount")
    put(_grouped(Order.expires_at, Order.payment_method, Order.total, Order.status == "expired",
                 *within(Order.expires_at)), "expired", "expired_amount")
    refund_day = wit_day(Refund.created_at)
    done = (Refund.status == "succeeded")
    for day, method, is_done, count, amount in db.session.execute(
            select(refund_day, Payment.method, done, func.count(), func.sum(Refund.amount))
            .join(Payment, Refund.payment_id == Payment.id)
            .where(*within(Refund.created_at)).group_by(refund_day, Payment.method, done)).all():
        prefix = "refunds_done" if is_done else "refunds_open"
        put([(day, method, count, amount or 0)], prefix, prefix + "_amount")
    order = list(METHODS)
    result = sorted(rows.values(), key=lambda r: (r.day, -_rank(order, r.method)), reverse=True)
    total = Row("", "")
    for row in result:
        total.add(row)
    return result, total


def _rank(order, method):
    return order.index(method) if method in order else len(order)


CSV_HEADER = ["tanggal_wit", "cara_bayar", "pesanan_dibuat", "nilai_dibuat", "pesanan_dibayar",
              "nilai_dibayar", "transfer_terbuka", "nilai_transfer_terbuka", "kedaluwarsa",
              "nilai_kedaluwarsa", "refund_terbuka", "nilai_refund_terbuka", "refund_selesai",
              "nilai_refund_selesai"]


def csv_rows(rows: list[Row]):
    for row in rows:
        yield [row.day, row.method, *(getattr(row, name) for name in FIGURES)]
