"""One User model for every role: customers, facility staff, partners and the Kanwil admins."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from shop.core.time import utcnow
from shop.extensions import db

ROLES = ("customer", "facility_staff", "partner", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "role IN ('customer', 'facility_staff', 'partner', 'admin')", name="role_known"
        ),
        CheckConstraint(
            "(role = 'facility_staff') = (facility_id IS NOT NULL)", name="staff_has_facility"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(256))
    name: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    role: Mapped[str] = mapped_column(String(20), nullable=False, default="customer")
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_organization.id"), index=True
    )
    is_active_account: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Bumped on password change: sessions carrying an older value are signed out.
    session_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # The last delivery address, offered at the next checkout (JSON text).
    saved_address: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Wrong passwords in a row; at SIGNIN_MAX_FAILURES the account is locked for a while
    # (and its owner mailed), whatever address the attempts come from.
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, default=0,
                                               server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    # Set when the owner opened the verification link sent to this address; cleared when the
    # address changes. Only a verified account sees the orders placed as a guest with it.
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime)

    facility: Mapped["Facility | None"] = relationship("Facility")  # noqa: F821

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self):  # Flask-Login: deactivated accounts cannot sign in
        return self.is_active_account

    # The server-side session this object was loaded for (set by shop.accounts.sessions).
    session_id = None

    def get_id(self):
        """What Flask-Login keeps in the session and the remember cookie: the account, its
        password generation and the server-side session, which sign-out revokes."""
        return f"{self.id}:{self.session_version}:{self.session_id or ''}"


class UserSession(db.Model):
    """A signed-in session, server-side: sign-out revokes it, so a replayed cookie opens
    nothing; it expires on its own (PERMANENT_SESSION_LIFETIME, or REMEMBER_COOKIE_DURATION
    with "remember me"); a remembered session is replaced by a new one each time the cookie
    signs the user in again."""

    __tablename__ = "user_session"

    # sha256 of the random session id the cookie carries
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    remember: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class ApiToken(db.Model):
    """A staff member's API token. Only its sha256 is stored; it is shown once when issued."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()
