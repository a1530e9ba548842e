"""Partner organisations (city government, labour office, companies, communities)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

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
