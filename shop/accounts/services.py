"""Customer accounts: registering, signing in, password reset and change, the profile.
(The guest cart joins the account's cart through Flask-Login's `user_logged_in` signal, to
which the cart area listens; the order history is the customer area's.)

Every write commits here; views only parse input, call one of these and render or redirect.
"""

from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from shop.accounts.models import User
from shop.accounts.sessions import end_everything
from shop.core.audit import record
from shop.core.time import utcnow
from shop.core.urls import external_url
from shop.extensions import db
from shop.mail.services import queue_email

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 200
RESET_SALT = "password-reset"
RESET_MAX_AGE = 3600  # seconds: a reset link is valid for one hour

# Checked when the e-mail is unknown, so that a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = None


class AccountError(ValueError):
    """The request cannot be done; the message (Indonesian) says why."""


class EmailTaken(AccountError):
    pass


def normalize_email(raw: str | None) -> str | None:
    """The canonical, lower-case form of an e-mail address, or None when it is not valid."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 254:
        return None
    try:
        return validate_email(raw, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def user_by_email(email: str | None) -> User | None:
    normalized = normalize_email(email)
    if normalized is None:
        return None
    return db.session.scalar(select(User).where(User.email == normalized))


# ------------------------------------------------------------------ registering and signing in

def register_customer(name: str, email: str, password: str) -> User:
    """A new customer account. Raises EmailTaken when the address is already registered."""
    normalized = normalize_email(email)
    if normalized is None:
        raise AccountError(_("Alamat surel tidak valid."))
    if db.session.scalar(select(User.id).where(User.email == normalized)) is not None:
        raise EmailTaken(_("Surel ini sudah terdaftar."))
    user = User(email=normalized, name=name.strip(), role="customer", is_active_account=True,
                session_version=1)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # registered by a parallel request a moment ago
        db.session.rollback()
        raise EmailTaken(_("Surel ini sudah terdaftar.")) from None
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user with this e-mail and password, or None. Deactivated accounts are returned too:
    Flask-Login's login_user refuses them (is_active). A locked account answers None, even to
    the right password, until the lock ends."""
    global _DUMMY_HASH
    user = user_by_email(email)
    if user is None or not user.password_hash:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = generate_password_hash("not-a-real-password")
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    right = user.check_password(password or "")
    if user.locked_until is not None and user.locked_until > utcnow():
        return None
    return user if right else None


def record_login(user: User) -> None:
    """After a successful sign-in: remember when; the failure count starts again."""
    user.last_login_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    db.session.commit()


# ------------------------------------------------------------------ passwords

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=RESET_SALT)


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"id": user.id, "v": user.session_version})


def user_for_reset_token(token: str) -> User | None:
    """The user a reset link was made for, if it is under an hour old and unused (setting the
    password bumps session_version, which the token carries)."""
    if not token or len(token) > 500:
        return None
    try:
        data = _serializer().loads(token, max_age=RESET_MAX_AGE)
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None
    if not isinstance(data, dict):
        return None
    user_id, version = data.get("id"), data.get("v")
    if not isinstance(user_id, int) or not isinstance(version, int):
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version or not user.is_active:
        return None
    return user


def request_password_reset(email: str) -> None:
    """Queue a reset link when an active account has this e-mail; say nothing otherwise."""
    user = user_by_email(email)
    if user is None or not user.is_active:
        return
    link = external_url("accounts.reset_password", token=make_reset_token(user))
    queue_email(user.email, _("Atur ulang kata sandi Etalase Binaan"), "password_reset",
                user=user, link=link, valid_minutes=RESET_MAX_AGE // 60)
    db.session.commit()


def _set_new_password(user: User, password: str) -> None:
    user.set_password(password)
    # Signs the account out everywhere, ends its API tokens and makes every earlier reset
    # link useless (the link carries the version).
    end_everything(user)


def reset_password(user: User, password: str) -> None:
    _set_new_password(user, password)
    user.last_login_at = utcnow()  # the view signs the user in right after
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Raises AccountError when the current password is wrong."""
    if not user.check_password(current_password or ""):
        raise AccountError(_("Kata sandi saat ini salah."))
    _set_new_password(user, new_password)
    db.session.commit()


# ------------------------------------------------------------------ profile and orders

def commit() -> None:
    """For views whose service queued something without committing (a mail)."""
    db.session.commit()


def update_profile(user: User, name: str, phone: str | None) -> None:
    """`phone` is already normalized (+62...) or empty/None to remove it."""
    user.name = name.strip()
    user.phone = phone or ""
    db.session.commit()


def record_failed_login(email: str | None) -> None:
    """Sign-in failures go to the audit log (the e-mail as typed, never the password) and
    count against the account: at SIGNIN_MAX_FAILURES in a row it is locked for
    SIGNIN_LOCK_MINUTES and its owner is told (once per lock)."""
    record("signin.failed", subject=(email or "")[:120], note=request.remote_addr or "")
    user = user_by_email(email)
    if user is not None:
        _count_failure(user)
    db.session.commit()


def _count_failure(user: User) -> None:
    config = current_app.config
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        return  # already locked: the owner has been told
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= config["SIGNIN_MAX_FAILURES"]:
        minutes = config["SIGNIN_LOCK_MINUTES"]
        user.locked_until = now + timedelta(minutes=minutes)
        user.failed_logins = 0
        record("signin.locked", subject=user.email, note=request.remote_addr or "")
        queue_email(user.email, _("Akun Etalase Binaan Anda dikunci sementara"),
                    "account_locked", user=user, minutes=minutes,
                    reset_link=external_url("accounts.forgot_password"))
