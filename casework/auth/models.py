"""User accounts, their region scope, API tokens and login attempts."""

import secrets
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.types import UTCDateTime, enum_column, utcnow
from casework.extensions import db
from casework.org.models import Agency, Unit


class Role(StrEnum):
    """What a user does in the agency; permissions follow from it."""

    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    CASEWORKER = "caseworker"
    VOLUNTEER = "volunteer"
    DATA_OFFICER = "data_officer"
    VIEWER = "viewer"


class ScopeKind(StrEnum):
    """How far a user's region scope reaches."""

    AGENCY = "agency"
    DISTRICTS = "districts"
    VILLAGES = "villages"


def new_session_nonce():
    """A random value; changing it ends every session of the account."""
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    """A person who signs in: staff, volunteer or agency head."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    # Stored lower-case, so "Budi" and "budi" are one account.
    username: Mapped[str] = mapped_column(sa.String(40), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    scope_kind: Mapped[ScopeKind] = mapped_column(enum_column(ScopeKind, "scope_kind"), default=ScopeKind.AGENCY)
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    session_nonce: Mapped[str] = mapped_column(sa.String(32), default=new_session_nonce)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    agency: Mapped[Agency] = relationship()
    unit: Mapped[Unit] = relationship()
    region_scope: Mapped[list["UserRegionScope"]] = relationship(
        cascade="all, delete-orphan", order_by="UserRegionScope.region_code"
    )

    # The version moves only when someone edits the account (see
    # ``bump_version``), not when signing in records ``last_login_at``: an
    # administrator's edit must not conflict with the user merely signing in.
    # Every UPDATE still checks the version it read.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    def bump_version(self):
        """Marks an edit of the account, so editors holding an older copy get a conflict."""
        self.version += 1

    def get_id(self):
        """Session id: the account plus its nonce, so a reset nonce logs every session out."""
        return f"{self.id}:{self.session_nonce}"

    @property
    def is_active(self):
        """Deactivated accounts cannot sign in or keep a session."""
        return self.active

    @property
    def region_codes(self):
        """Codes of the districts or villages the user is limited to (empty: the whole agency)."""
        return [s.region_code for s in self.region_scope]


class UserRegionScope(db.Model):
    """A district or village a user's work is limited to."""

    __tablename__ = "user_region_scope"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("region.code"), primary_key=True)


class ApiToken(db.Model):
    """A bearer token for a tablet or another API client. Only its hash is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The first characters of the token, shown so a user can tell tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_usable(self, now):
        """Neither revoked nor expired at ``now``."""
        return self.revoked_at is None and self.expires_at > now


class LoginAttempt(db.Model):
    """One sign-in attempt. Failures in a recent window throttle further attempts.

    Kept in the database, not in process memory, so that every app process
    behind the load balancer sees the same count.
    """

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40))
    address: Mapped[str] = mapped_column(sa.String(45))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    success: Mapped[bool]

    __table_args__ = (
        sa.Index("ix_login_attempt_username_at", "username", "at"),
        sa.Index("ix_login_attempt_address_at", "address", "at"),
    )


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.CASEWORKER: _l("Pekerja sosial / pendamping"),
    Role.VOLUNTEER: _l("Relawan (TKSK / PSM)"),
    Role.DATA_OFFICER: _l("Petugas data"),
    Role.VIEWER: _l("Pimpinan (lihat saja)"),
}

SCOPE_LABELS = {
    ScopeKind.AGENCY: _l("Seluruh wilayah dinas"),
    ScopeKind.DISTRICTS: _l("Kecamatan tertentu"),
    ScopeKind.VILLAGES: _l("Kelurahan/desa tertentu"),
}
