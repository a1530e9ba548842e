"""Writes of the account screens: invitations (staff, partner users, admins), deactivation
and password links. Accounts are made by shop.accounts.provisioning; each verb here audits
the admin's act and commits, or raises `ManageError`."""

from flask_babel import gettext as _

from shop.accounts.models import User
from shop.accounts.provisioning import AccountError, _new_user, create_partner_user, create_staff
from shop.accounts.services import RESET_MAX_AGE, make_reset_token
from shop.admin.manage.support import ManageError, commit
from shop.core.audit import record
from shop.core.urls import external_url
from shop.extensions import db
from shop.mail.services import queue_email
from shop.promotions.partners import link_user


def _set_password_link(user):
    return external_url("accounts.reset_password", token=make_reset_token(user))


def invite_staff(actor, email, name, facility) -> User:
    """A facility staff account; they set their password from the emailed link."""
    if facility is None:
        raise ManageError(_("Pilih Lapas/Rutan tempat petugas bekerja."))
    try:
        user = create_staff(email, facility, name)  # commits, queues the invitation
    except AccountError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    record("account.invited", actor=actor, facility_id=facility.id, subject=user.email,
           to_value="facility_staff")
    commit()
    return user


def invite_partner_user(actor, email, name, partner) -> User:
    """A partner user of one partner organisation; they set their password from the link."""
    if partner is None:
        raise ManageError(_("Pilih organisasi mitra."))
    try:
        user = create_partner_user(email, name)  # commits
    except AccountError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    try:
        link_user(user, partner, actor)
        queue_email(user.email, _("Akun mitra %(org)s di Etalase Binaan", org=partner.name),
                    "admin_invite", user=user, link=_set_password_link(user),
                    role_label=_("mitra"), organisation=partner.name,
                    valid_minutes=RESET_MAX_AGE // 60)
        record("account.invited", actor=actor, subject=user.email, to_value="partner",
               note=partner.slug)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return user


def invite_admin(actor, email, name) -> User:
    """Another Kanwil admin, without a password: they set one from the emailed link."""
    try:
        user = _new_user(email, "admin", name)
        record("account.created", actor=actor, subject=user.email, to_value="admin")
        queue_email(user.email, _("Akun admin Kanwil di Etalase Binaan"), "admin_invite",
                    user=user, link=_set_password_link(user), role_label=_("admin Kanwil"),
                    organisation=_("Kanwil Ditjenpas Maluku Utara"),
                    valid_minutes=RESET_MAX_AGE // 60)
        record("account.invited", actor=actor, subject=user.email, to_value="admin")
        db.session.commit()
    except AccountError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    except Exception:
        db.session.rollback()
        raise
    return user


def set_user_active(user, actor, active: bool) -> User:
    """Deactivate (the account can no longer sign in, and the bumped session version ends its
    open sessions and unused links) or reactivate an account. Nobody deactivates themself."""
    if not active and user.id == actor.id:
        raise ManageError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if user.is_active_account == active:
        return user
    user.is_active_account = active
    if not active:
        user.session_version = (user.session_version or 1) + 1
    record("account.activated" if active else "account.deactivated", actor=actor,
           facility_id=user.facility_id, subject=user.email,
           from_value="inactive" if active else "active",
           to_value="active" if active else "inactive")
    commit()
    return user


def send_password_reset(user, actor) -> None:
    """E-mail the account a link to set a new password (also a fresh invitation link)."""
    if not user.is_active:
        raise ManageError(_("Akun ini nonaktif. Aktifkan dulu sebelum mengirim tautan."))
    try:
        queue_email(user.email, _("Atur ulang kata sandi Etalase Binaan"), "password_reset",
                    user=user, link=_set_password_link(user), valid_minutes=RESET_MAX_AGE // 60)
        record("account.reset_sent", actor=actor, facility_id=user.facility_id,
               subject=user.email)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
