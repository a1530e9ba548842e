"""Writes of the partner-organisation screens (organisations live in
shop.promotions.partners). Each audits naming the admin and commits, or raises `ManageError`."""

from flask_babel import gettext as _

from shop.admin.manage.support import ManageError, commit, short
from shop.core.audit import AuditEntry, record
from shop.extensions import db
from shop.promotions.partners import (
    PARTNER_KINDS,
    PartnerError,
    PartnerOrganization,
    create_partner,
)

PARTNER_FIELDS = ("name", "kind", "contact_name", "contact_email", "contact_phone")


def _check_partner(fields):
    if set(fields) - set(PARTNER_FIELDS):
        raise ManageError(_("Kolom tidak dikenal."))
    if not (fields.get("name") or "").strip():
        raise ManageError(_("Nama organisasi mitra wajib diisi."))
    if fields.get("kind") not in PARTNER_KINDS:
        raise ManageError(_("Jenis mitra tidak dikenal."))


def add_partner(actor, **fields) -> PartnerOrganization:
    _check_partner(fields)
    try:
        partner = create_partner(fields.pop("name"), fields.pop("kind"), **fields)
        # create_partner records "partner.created" without an actor: name the admin.
        for entry in db.session.new:
            if (isinstance(entry, AuditEntry) and entry.kind == "partner.created"
                    and entry.subject == partner.slug):
                entry.actor_id, entry.actor_label = actor.id, actor.email
        db.session.commit()
    except PartnerError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    except Exception:
        db.session.rollback()
        raise
    return partner


def update_partner(partner, actor, **fields) -> PartnerOrganization:
    _check_partner(fields)
    changes = []
    for name, value in fields.items():
        if getattr(partner, name) != value:
            changes.append(f"{name}: {short(getattr(partner, name))} → {short(value)}")
            setattr(partner, name, value)
    if changes:
        record("partner.updated", actor=actor, subject=partner.slug, note="; ".join(changes))
    commit()
    return partner
