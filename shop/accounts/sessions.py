"""Server-side sessions: every sign-in opens one, sign-out and a new password end them."""

from flask import current_app
from sqlalchemy import select, update

from shop.accounts.models import ApiToken, User, UserSession
from shop.core.time import utcnow
from shop.core.tokens import hash_token, new_token
from shop.extensions import db


def open_session(user: User, remember: bool = False) -> str:
    """A new session for `user` (the caller commits); sets user.session_id and returns it."""
    config = current_app.config
    lifetime = config["REMEMBER_COOKIE_DURATION"] if remember else \
        config["PERMANENT_SESSION_LIFETIME"]
    raw = new_token(24)
    db.session.add(UserSession(id_hash=hash_token(raw), user_id=user.id, remember=remember,
                               expires_at=utcnow() + lifetime))
    user.session_id = raw
    return raw


def user_for_session(user_id: int, version: str, raw: str) -> User | None:
    """The active user of a live session, or None (revoked, expired, another password)."""
    if not raw:
        return None
    row = db.session.execute(
        select(User, UserSession.expires_at)
        .join(UserSession, UserSession.user_id == User.id)
        .where(User.id == user_id, UserSession.id_hash == hash_token(raw),
               UserSession.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    user, expires_at = row
    if expires_at <= utcnow() or str(user.session_version) != version or not user.is_active:
        return None
    user.session_id = raw
    return user


def close_session(raw: str | None) -> None:
    """Sign-out: this session opens nothing any more, whoever replays its cookie (commits)."""
    if raw:
        db.session.execute(update(UserSession).where(UserSession.id_hash == hash_token(raw))
                           .values(revoked_at=utcnow()))
        db.session.commit()


def end_everything(user: User) -> None:
    """A new password: every session and every API token of the account ends (the caller
    commits)."""
    now = utcnow()
    db.session.execute(update(UserSession)
                       .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
                       .values(revoked_at=now))
    db.session.execute(update(ApiToken)
                       .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now))
    user.session_version = (user.session_version or 1) + 1
