"""Staff API tokens: issued once (only a hash is stored), revocable, expiring."""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from shop.accounts.models import ApiToken, User
from shop.core.audit import record
from shop.core.time import utcnow
from shop.core.tokens import hash_token, new_token
from shop.extensions import db

TOKEN_DAYS = 180
API_ROLES = ("facility_staff", "admin")


class TokenError(ValueError):
    pass


def issue_api_token(user: User, name: str = "", days: int = TOKEN_DAYS) -> str:
    """Create a token for a staff member or an admin and return it (the only time it is
    visible)."""
    if user.role not in API_ROLES:
        raise TokenError(_("Token API hanya untuk petugas Lapas/Rutan dan admin Kanwil."))
    raw = "eb_" + new_token(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(raw), name=name[:80],
                            expires_at=utcnow() + timedelta(days=days)))
    record("api_token.issued", actor=user, facility_id=user.facility_id, note=name[:80])
    db.session.commit()
    return raw


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    ))


def revoke_api_token(user: User, token_id: int) -> bool:
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if token is None or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    record("api_token.revoked", actor=user, facility_id=user.facility_id, note=token.name)
    db.session.commit()
    return True


def user_for_api_token(raw: str) -> User | None:
    """The active user a valid (known, unrevoked, unexpired) token belongs to, or None.
    Records when the token was last used (commits)."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    now = utcnow()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    if not token.user.is_active:
        return None
    token.last_used_at = now
    db.session.commit()
    return token.user
