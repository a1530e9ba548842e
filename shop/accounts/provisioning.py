"""Provisioning: the accounts the Kanwil makes (admins, facility staff, partner users) and the
first-password invitation. Facilities are passed in; this layer does not look them up."""

import secrets

from flask_babel import gettext as _

from shop.accounts.models import User
from shop.accounts.services import make_reset_token, normalize_email, user_by_email
from shop.core.audit import record
from shop.core.i18n import lazy_gettext as _l
from shop.core.urls import external_url
from shop.extensions import db
from shop.mail.services import queue_email


class AccountError(ValueError):
    pass


def _new_user(email, role, name="", facility=None) -> User:
    normalized = normalize_email(email)
    if normalized is None:
        raise AccountError(_("Alamat surel tidak valid."))
    if user_by_email(normalized) is not None:
        raise AccountError(_("Surel %(email)s sudah terdaftar.", email=normalized))
    user = User(email=normalized, role=role, name=name or normalized.split("@")[0],
                facility_id=facility.id if facility else None)
    db.session.add(user)
    db.session.flush()
    return user


def create_admin(email: str, password: str, name: str = "") -> User:
    if len(password) < 10:
        raise AccountError(_("Kata sandi minimal 10 karakter."))
    user = _new_user(email, "admin", name)
    user.set_password(password)
    record("account.created", subject=user.email, to_value="admin")
    db.session.commit()
    return user


def create_staff(email: str, facility, name: str = "", password: str | None = None,
                 invite=True) -> User:
    """A staff member of `facility` (a Facility row). Without a password, they set one from
    an emailed link."""
    user = _new_user(email, "facility_staff", name, facility)
    if password:
        user.set_password(password)
    record("account.created", subject=user.email, to_value="facility_staff",
           facility_id=facility.id)
    if invite and not password:
        link = external_url("accounts.reset_password", token=make_reset_token(user))
        queue_email(user.email, _l("Akun petugas %(facility)s di Etalase Binaan",
                                   facility=facility.name),
                    "staff_invite", user=user, facility=facility, link=link)
    db.session.commit()
    return user


def create_partner_user(email: str, name: str = "", password: str | None = None) -> User:
    user = _new_user(email, "partner", name)
    if password:
        user.set_password(password)
    record("account.created", subject=user.email, to_value="partner")
    db.session.commit()
    return user


def demo_password(configured: str | None) -> str:
    return configured or secrets.token_urlsafe(9)
