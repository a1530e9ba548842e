"""Promotion codes: the shape of a code, a promotion's shared code, and batches of random
single-use codes."""

import re
import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select

from shop.core.audit import record
from shop.core.time import utcnow
from shop.extensions import db
from shop.promotions.errors import PromotionError
from shop.promotions.models import Promotion, PromotionCode

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,39}$")
# Single-use codes: no 0/O, 1/I/L, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_BATCH = 5000
PREFIX_RE = re.compile(r"^[A-Z0-9]{1,12}$")


def normalize_code(raw) -> str | None:
    code = (raw or "").strip().upper() if isinstance(raw, str) else ""
    return code if CODE_RE.match(code) else None


def shared_code_of(promotion: Promotion) -> str | None:
    return db.session.scalar(select(PromotionCode.code).where(
        PromotionCode.promotion_id == promotion.id, PromotionCode.single_use.is_(False)))


def single_use_count(promotion: Promotion) -> tuple[int, int]:
    """(codes, codes already used) of a promotion's single-use batch (one query)."""
    total, used = db.session.execute(
        select(func.count(PromotionCode.id), func.count(PromotionCode.used_at))
        .where(PromotionCode.promotion_id == promotion.id, PromotionCode.single_use.is_(True))
    ).one()
    return int(total), int(used)


def has_codes(promotion: Promotion) -> bool:
    return db.session.scalar(
        select(PromotionCode.id).where(PromotionCode.promotion_id == promotion.id)) is not None


def code_taken(code: str, promotion_id=None) -> bool:
    """Whether another promotion (any, without `promotion_id`) already has this code."""
    stmt = select(PromotionCode.id).where(PromotionCode.code == code)
    if promotion_id is not None:
        stmt = stmt.where(PromotionCode.promotion_id != promotion_id)
    return db.session.scalar(stmt) is not None


def normalize_prefix(raw) -> str:
    prefix = (raw or "").strip().upper().rstrip("-") if isinstance(raw, str) else ""
    if prefix and not PREFIX_RE.match(prefix):
        raise PromotionError(_("Awalan kode 1–12 huruf atau angka, tanpa spasi."), "batch_prefix")
    return prefix


def _random_code(prefix: str) -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{prefix}-{body}" if prefix else body


def add_batch(promotion: Promotion, count: int, prefix: str = "") -> list[str]:
    """Add `count` new single-use codes, none taken before (the caller commits)."""
    if not isinstance(count, int) or not 1 <= count <= MAX_BATCH:
        raise PromotionError(_("Jumlah kode antara 1 dan %(n)s.", n=MAX_BATCH), "batch_count")
    prefix = normalize_prefix(prefix)
    made: set[str] = set()
    while len(made) < count:
        wanted = {_random_code(prefix) for _ in range(count - len(made))} - made
        taken = set(db.session.scalars(
            select(PromotionCode.code).where(PromotionCode.code.in_(wanted))))
        made |= wanted - taken
    codes = sorted(made)
    assert all(CODE_RE.match(code) for code in codes)
    db.session.add_all(PromotionCode(promotion_id=promotion.id, code=code, single_use=True)
                       for code in codes)
    db.session.flush()
    return codes


def generate_codes(promotion: Promotion, actor, count: int, prefix: str = "") -> list[str]:
    """Add `count` random single-use codes (unambiguous alphabet, optional prefix)."""
    if promotion.redemption != "code":
        raise PromotionError(_("Promo otomatis tidak memakai kode."), "batch_count")
    if shared_code_of(promotion) is not None:
        raise PromotionError(_("Promo ini memakai satu kode bersama; kode sekali pakai tidak "
                             "bisa ditambahkan."), "batch_count")
    if promotion.ends_at <= utcnow():
        raise PromotionError(_("Promo ini sudah berakhir."), "batch_count")
    try:
        codes = add_batch(promotion, count, prefix)
        record("promotion.codes_generated", actor=actor, subject=promotion.slug, amount=count)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return codes
