"""Partner organisations (city government, labour office, companies, communities) that fund
promotions: the table, and the verbs that create them and attach partner users to them."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, DateTime, String, select
from sqlalchemy.orm import Mapped, mapped_column

from shop.accounts.models import User
from shop.core.audit import record
from shop.core.slugs import unique_slug
from shop.core.time import utcnow
from shop.extensions import db

PARTNER_KINDS = ("government", "company", "community")


class PartnerOrganization(db.Model):
    __tablename__ = "partner_organization"
    __table_args__ = (
        CheckConstraint("kind IN ('government', 'company', 'community')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(160), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="government")
    contact_name: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    contact_email: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    contact_phone: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class PartnerError(ValueError):
    pass


def partner_by_slug(slug: str) -> PartnerOrganization | None:
    return db.session.scalar(select(PartnerOrganization).where(PartnerOrganization.slug == slug))


def create_partner(name: str, kind: str = "government", *, slug: str | None = None,
                   contact_name: str = "", contact_email: str = "",
                   contact_phone: str = "", actor=None) -> PartnerOrganization:
    """A partner organisation (the caller commits)."""
    name = (name or "").strip()
    if not name:
        raise PartnerError(_("Nama organisasi mitra wajib diisi."))
    if kind not in PARTNER_KINDS:
        raise PartnerError(_("Jenis mitra tidak dikenal."))

    def taken(candidate):
        return partner_by_slug(candidate) is not None

    partner = PartnerOrganization(
        slug=slug or unique_slug(name, taken), name=name, kind=kind,
        contact_name=contact_name, contact_email=contact_email, contact_phone=contact_phone,
    )
    db.session.add(partner)
    db.session.flush()
    record("partner.created", actor=actor, subject=partner.slug, to_value=kind)
    return partner


def link_user(user: User, partner: PartnerOrganization, actor=None) -> None:
    """Attach a partner user to their organisation (the caller commits)."""
    if user.role != "partner":
        raise PartnerError(_("Hanya akun mitra yang bisa dihubungkan ke organisasi mitra."))
    if user.partner_id == partner.id:
        return
    previous = user.partner_id
    user.partner_id = partner.id
    record("partner.user_linked", actor=actor, subject=user.email,
           from_value=str(previous) if previous else None, to_value=partner.slug)
