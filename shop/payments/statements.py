"""Importing a bank statement: every credit equal to the amount due of exactly one open transfer
confirms that order; the others are kept for matching by hand. Each credit line is stored once
(its fingerprint: date, description, amount and its occurrence in the file), so importing the
same statement twice confirms nothing twice. Formats: shop.payments.statement_formats."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from shop.core.audit import record
from shop.core.i18n import lazy_gettext as _l
from shop.core.time import wit_today
from shop.extensions import db
from shop.orders.models import Order
from shop.orders.services import order_by_number
from shop.payments.models import Payment, StatementLine
from shop.payments.services import Settlement
from shop.payments.statement_formats import (
    BadLine,
    Credit,
    UnreadableStatement,
    parse_statement,
)
from shop.payments.transfers import (
    CLOSED_BY_EXPIRY,
    OPEN,
    TransferError,
    _actor_label,
    confirm_transfer,
)

HAND_STATES = ("unmatched", "ambiguous")
__all__ = ["UnreadableStatement", "import_statement", "match_by_hand", "dismiss_line",
           "lines_to_match"]


@dataclass
class ImportResult:
    format: str = ""
    matched: list = field(default_factory=list)  # (Credit, order number)
    unmatched: list = field(default_factory=list)  # Credit
    ambiguous: list = field(default_factory=list)  # (Credit, [order numbers])
    garbage: list[BadLine] = field(default_factory=list)
    duplicates: list = field(default_factory=list)  # Credit already imported before
    debits: int = 0


def fingerprint(credit: Credit, occurrence: int) -> str:
    key = "|".join((credit.booked_on.isoformat(), " ".join(credit.description.upper().split()),
                    str(credit.amount), str(occurrence)))
    return hashlib.sha256(key.encode()).hexdigest()


def _candidates(amounts) -> dict[int, list[Payment]]:
    """Transfers a credit can pay, by amount due: open ones, and the last attempt of an order
    that expired unpaid (a late transfer)."""
    rows = db.session.scalars(
        select(Payment).join(Payment.order).options(contains_eager(Payment.order))
        .where(Payment.method == "bank_transfer", Payment.amount_due.in_(list(amounts)),
               or_(Payment.status == OPEN,
                   Payment.status.in_(CLOSED_BY_EXPIRY) & (Order.status == "expired")))
        .order_by(Payment.id)).unique().all()
    found: dict[int, list[Payment]] = {}
    for payment in rows:
        found.setdefault(payment.amount_due, []).append(payment)
    return found


def import_statement(data: bytes, actor, filename: str = "") -> ImportResult:
    """Import a statement file; each credit line is its own transaction (a failure on one line
    keeps the others). Raises UnreadableStatement when the file is not a known statement."""
    parsed = parse_statement(data, wit_today())
    result = ImportResult(format=parsed.format, garbage=parsed.garbage, debits=parsed.debits)
    occurrences = Counter()
    keyed = []
    for credit in parsed.credits:
        base = (credit.booked_on, " ".join(credit.description.upper().split()), credit.amount)
        occurrences[base] += 1
        keyed.append((credit, fingerprint(credit, occurrences[base])))
    known = set(db.session.scalars(select(StatementLine.fingerprint).where(
        StatementLine.fingerprint.in_([fp for _, fp in keyed])))) if keyed else set()
    candidates = _candidates({c.amount for c, fp in keyed if fp not in known}) if keyed else {}
    used: set[int] = set()
    label = _actor_label(actor)
    for credit, fp in keyed:
        if fp in known:
            result.duplicates.append(credit)
            continue
        _import_line(result, credit, fp, candidates.get(credit.amount, []), used, actor, label,
                     filename)
    if keyed or parsed.garbage:
        record("payment.statement_imported", actor=actor, subject=(filename or "")[:120],
               note=(f"{parsed.format}: {len(result.matched)} cocok, {len(result.unmatched)} "
                     f"tidak cocok, {len(result.ambiguous)} ganda, {len(result.garbage)} rusak, "
                     f"{len(result.duplicates)} sudah pernah diimpor"))
        db.session.commit()
    return result


def _import_line(result, credit, fp, candidates, used, actor, label, filename):
    open_ = [p for p in candidates if p.id not in used]
    line = StatementLine(fingerprint=fp, booked_on=credit.booked_on.isoformat(),
                         description=credit.description[:300], amount=credit.amount,
                         imported_by=label[:254], status="unmatched")
    numbers = [p.order.number for p in open_]
    if len(open_) == 1:
        payment = open_[0]
        used.add(payment.id)
        try:
            done = confirm_transfer(
                payment.order, credit.amount, f"mutasi {credit.booked_on:%d/%m/%Y}: "
                f"{credit.description}", actor, source=f"impor mutasi {filename or ''} baris "
                f"{credit.line_no}", payment=payment, commit=False)
        except TransferError:
            done = None
        if done is not None and done.outcome != Settlement.ALREADY_PAID:
            line.status, line.payment_id = "matched", payment.id
    elif len(open_) > 1:
        line.status = "ambiguous"
    db.session.add(line)
    try:
        db.session.commit()
    except IntegrityError:  # the same file imported at this very moment elsewhere
        db.session.rollback()
        result.duplicates.append(credit)
        return
    if line.status == "matched":
        result.matched.append((credit, numbers[0]))
    elif line.status == "ambiguous":
        result.ambiguous.append((credit, numbers))
    else:
        result.unmatched.append(credit)


def lines_to_match(limit: int = 200) -> list[StatementLine]:
    return list(db.session.scalars(
        select(StatementLine).where(StatementLine.status.in_(HAND_STATES))
        .order_by(StatementLine.booked_on.desc(), StatementLine.id.desc()).limit(limit)))


def _claim_line(line_id: int, **values) -> StatementLine | None:
    result = db.session.execute(
        update(StatementLine).where(StatementLine.id == line_id,
                                    StatementLine.status.in_(HAND_STATES))
        .values(**values).execution_options(synchronize_session=False))
    return db.session.get(StatementLine, line_id) if result.rowcount == 1 else None


def match_by_hand(line_id: int, number: str, actor) -> Order:
    """An admin says which order an unmatched or ambiguous credit pays: that order's transfer
    is confirmed with the line's amount (so a wrong amount is refused with the difference).
    Commits. Raises TransferError (incl. AmountMismatch)."""
    order = order_by_number((number or "").strip().upper())
    if order is None:
        raise TransferError(_l("Nomor pesanan tidak ditemukan."))
    line = _claim_line(line_id, status="handled")
    if line is None:
        db.session.rollback()
        raise TransferError(_l("Baris mutasi ini sudah ditangani."))
    try:
        done = confirm_transfer(order, line.amount, f"mutasi #{line.id}: {line.description}",
                                actor, source=f"cocok manual, baris mutasi #{line.id}",
                                commit=False)
    except TransferError:
        db.session.rollback()
        raise
    if done.outcome == Settlement.ALREADY_PAID:
        db.session.rollback()
        raise TransferError(_l("Pesanan %(n)s sudah dibayar; dana ini mungkin pembayaran "
                               "kedua.", n=order.number))
    line.payment_id = done.payment.id
    db.session.commit()
    return order


def dismiss_line(line_id: int, note: str, actor) -> None:
    """A credit that is not a shop payment (or settled elsewhere): off the list, audited."""
    line = _claim_line(line_id, status="handled")
    if line is None:
        db.session.rollback()
        raise TransferError(_l("Baris mutasi ini sudah ditangani."))
    record("payment.statement_line_dismissed", actor=actor, subject=f"mutasi #{line.id}",
           amount=line.amount, note=(note or "").strip()[:500])
    db.session.commit()
