"""Reads for the Kanwil's payments desk: open transfers, a transfer proof (private files)."""

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from shop.core.paging import Page, paginate
from shop.extensions import db
from shop.media.storage import get_storage
from shop.orders.models import Order
from shop.payments.models import Payment

PER_PAGE = 50
# A proof is stored as uploaded (checked by content on upload); served by its magic bytes.
PROOF_TYPES = ((b"%PDF-", "application/pdf", "pdf"), (b"\x89PNG", "image/png", "png"),
               (b"\xff\xd8\xff", "image/jpeg", "jpg"), (b"GIF8", "image/gif", "gif"))


def open_transfers(page: int) -> Page:
    """Open bank transfers with their orders, the nearest deadline first (2 queries)."""
    stmt = (select(Payment).join(Payment.order).options(contains_eager(Payment.order))
            .where(Payment.method == "bank_transfer", Payment.status == "awaiting_transfer"))
    return paginate(stmt, page, PER_PAGE, Payment.expires_at, Payment.id)


def transfer_payment(payment_id: int) -> Payment | None:
    return db.session.scalar(select(Payment).where(Payment.id == payment_id,
                                                   Payment.method == "bank_transfer"))


def order_by_payment(payment: Payment) -> Order:
    return db.session.get(Order, payment.order_id)


def proof_file(payment: Payment) -> tuple[bytes, str, str] | None:
    """(content, content type, file extension) of the payment's proof, or None."""
    if not payment.proof_key:
        return None
    storage = get_storage()
    try:
        if not storage.exists(payment.proof_key):
            return None
        data = storage.read(payment.proof_key)
    except (ValueError, OSError):
        return None
    for magic, content_type, ext in PROOF_TYPES:
        if data.startswith(magic):
            return data, content_type, ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return data, "image/webp", "webp"
    return data, "application/octet-stream", "bin"
