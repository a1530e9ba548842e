"""Proving an account's e-mail: registration (and a new address) sends a signed link; only
the account's owner, signed in, can use it, so neither someone who registered with another
person's address nor someone who only reads the mailbox can make the account verified
alone. A verified account sees the orders placed as a guest with its address (the customer
area reads `email_verified_at`).

Registering with an address that already has an account answers exactly like a new
registration; the owner gets a mail instead ("someone tried to register: sign in or reset")."""

import hashlib

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from shop.accounts.models import User
from shop.accounts.services import (
    AccountError,
    EmailTaken,
    normalize_email,
    register_customer,
)
from shop.core.audit import record
from shop.core.time import utcnow
from shop.core.urls import external_url
from shop.extensions import db
from shop.mail.services import queue_email

VERIFY_SALT = "email-verify"
VERIFY_DAYS = 7


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=VERIFY_SALT)


def _digest(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def make_verify_token(user: User) -> str:
    return _serializer().dumps({"id": user.id, "e": _digest(user.email)})


def send_verification(user: User) -> None:
    """Queue the verification mail for the account's current address (the caller commits)."""
    queue_email(user.email, _("Konfirmasi surel akun Etalase Binaan"), "verify_email",
                user=user, link=external_url("accounts.verify_email",
                                             token=make_verify_token(user)),
                valid_days=VERIFY_DAYS)


def register(name: str, email: str, password: str) -> None:
    """A new customer account with a verification mail, or, when the address already has an
    account, a mail to its owner and no change: the caller answers both the same. Raises
    AccountError for an invalid address. Commits."""
    try:
        user = register_customer(name, email, password)
    except EmailTaken:
        generate_password_hash(password or "")  # as long as a new registration takes
        owner = db.session.scalar(select(User).where(User.email == normalize_email(email)))
        if owner is not None and owner.is_active:
            queue_email(owner.email, _("Ada yang mencoba mendaftar dengan surel Anda"),
                        "registration_attempt", user=owner,
                        login_link=external_url("accounts.login"),
                        reset_link=external_url("accounts.forgot_password"))
            db.session.commit()
        return
    send_verification(user)
    db.session.commit()


def verify(user: User, token: str) -> bool:
    """Mark the signed-in `user`'s address verified when `token` was made for this account and
    this very address, under VERIFY_DAYS ago. Commits."""
    if not token or len(token) > 500:
        return False
    try:
        data = _serializer().loads(token, max_age=VERIFY_DAYS * 86400)
    except BadSignature:
        return False
    if not isinstance(data, dict) or data.get("id") != user.id or \
            data.get("e") != _digest(user.email):
        return False
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        record("account.email_verified", actor=user, subject=user.email)
        db.session.commit()
    return True


def change_email(user: User, new_email: str, password: str) -> None:
    """A new address for the account: unverified until its link is opened (the earlier guest
    orders of the old address leave the history until then). An address that belongs to
    another account is not taken; its owner is told, and the answer is the same. Raises
    AccountError for a wrong password or an invalid address. Commits."""
    if not user.check_password(password or ""):
        raise AccountError(_("Kata sandi salah."))
    normalized = normalize_email(new_email)
    if normalized is None:
        raise AccountError(_("Alamat surel tidak valid."))
    if normalized == user.email:
        return
    owner = db.session.scalar(select(User).where(User.email == normalized))
    if owner is not None:
        if owner.is_active:
            queue_email(owner.email, _("Ada yang mencoba memakai surel Anda"),
                        "registration_attempt", user=owner,
                        login_link=external_url("accounts.login"),
                        reset_link=external_url("accounts.forgot_password"))
        db.session.commit()
        return
    queue_email(user.email, _("Surel akun Etalase Binaan Anda diganti"), "email_changed",
                user=user, new_email=normalized)
    record("account.email_changed", actor=user, subject=normalized, from_value=user.email)
    user.email = normalized
    user.email_verified_at = None
    send_verification(user)
    db.session.commit()
