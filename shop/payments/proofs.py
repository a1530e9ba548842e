"""Proof of a bank transfer uploaded by the customer: an image (JPEG, PNG, WebP; re-encoded,
so no EXIF location travels with it) or a PDF, checked by its content and size, stored under
a private key that no public route serves. The Kanwil reads it when confirming."""

import io
import secrets

from flask import current_app
from flask_babel import gettext as _
from PIL import ImageOps

from shop.core.time import utcnow
from shop.extensions import db
from shop.media.images import ImageRejected, NotAnImage, WrongFormat, open_image
from shop.media.storage import get_storage
from shop.payments.models import Payment

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PDF_MAGIC = b"%PDF-"
OPEN_TRANSFER = "awaiting_transfer"


class ProofRejected(ValueError):
    """The upload is not accepted; `message` is shown to the customer."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _image(data: bytes) -> tuple[bytes, str] | None:
    """(re-encoded bytes, extension) of an accepted image; None when it is no image at all."""
    try:
        image, fmt = open_image(data, formats=IMAGE_FORMATS)
    except (NotAnImage, WrongFormat):
        return None  # no image we take: perhaps a PDF
    except ImageRejected as exc:
        raise ProofRejected(_("Gambar terlalu besar.")) from exc
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.mode or image.mode == "P" else "RGB")
    if fmt == "JPEG" and image.mode == "RGBA":
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
    return out.getvalue(), IMAGE_FORMATS[fmt]


def _is_pdf(data: bytes) -> bool:
    return data.startswith(PDF_MAGIC) and b"%%EOF" in data[-2048:]


def check_proof(data: bytes) -> tuple[bytes, str]:
    """(bytes to store, extension) of an acceptable proof; raises ProofRejected."""
    limit = current_app.config["PROOF_MAX_BYTES"]
    if not data:
        raise ProofRejected(_("Pilih berkas bukti transfer."))
    if len(data) > limit:
        raise ProofRejected(_("Berkas terlalu besar (maksimal %(mb)s MB).",
                              mb=f"{limit / 1024 / 1024:g}"))
    if _is_pdf(data):
        return data, "pdf"
    image = _image(data)
    if image is None:
        raise ProofRejected(_("Berkas harus berupa foto (JPEG, PNG, WebP) atau PDF."))
    return image


def save_proof(payment: Payment, data: bytes) -> str:
    """Store the proof of an open bank transfer and note it on the payment. Commits. Returns
    the storage key (private/proofs/<order number>/<random>.<ext>)."""
    if payment is None or payment.method != "bank_transfer" or payment.status != OPEN_TRANSFER:
        raise ProofRejected(_("Pesanan ini tidak menunggu transfer bank."))
    content, ext = check_proof(data)
    key = f"private/proofs/{payment.order.number}/{secrets.token_hex(16)}.{ext}"
    get_storage().save(key, content)
    payment.proof_key = key
    payment.proof_uploaded_at = utcnow()
    db.session.commit()
    return key
