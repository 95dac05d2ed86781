"""Family tracing (penelusuran keluarga) and reunification (reunifikasi) with its follow-up visits.

A tracing request looks for one family member of a case's client: leads are
followed until the request ends found or not found. A reunification returns
the client to a family member, only on the caseworker's assessment that the
home is safe, and schedules follow-up visits at the agency's day offsets
from the reunification date; each visit is recorded against its slot. The
CHECK constraints below hold the same rules as the operations in
``casework.tracing.services``.
"""

import uuid as uuid_module
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.auth.models import User
from casework.cases.models import Case
from casework.core.types import UTCDateTime, enum_column, utcnow
from casework.extensions import db
from casework.reference.models import Region


class Kinship(StrEnum):
    """How the family member sought or reunified with is related to the client."""

    FATHER = "father"
    MOTHER = "mother"
    SPOUSE = "spouse"
    CHILD = "child"
    SIBLING = "sibling"
    GRANDPARENT = "grandparent"
    UNCLE_AUNT = "uncle_aunt"
    OTHER_RELATIVE = "other_relative"
    GUARDIAN = "guardian"


class TracingStatus(StrEnum):
    """Where a tracing request stands."""

    OPEN = "open"
    FOUND = "found"
    NOT_FOUND = "not_found"


class LeadMethod(StrEnum):
    """What was done to follow a lead."""

    VISIT = "visit"
    PHONE = "phone"
    VILLAGE_HEAD_LETTER = "village_head_letter"
    SOCIAL_MEDIA = "social_media"
    OTHER_AGENCY = "other_agency"
    OTHER = "other"


class TracingRequest(db.Model):
    """A search for one family member of a case's client, from its opening to found / not found."""

    __tablename__ = "tracing_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid_module.uuid4)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    sought_name: Mapped[str] = mapped_column(sa.String(200))
    kinship: Mapped[Kinship] = mapped_column(enum_column(Kinship, "kinship"))
    last_known_place: Mapped[str] = mapped_column(sa.String(300))
    last_known_region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("region.code"))
    opened_on: Mapped[date]
    status: Mapped[TracingStatus] = mapped_column(
        enum_column(TracingStatus, "tracing_status"), default=TracingStatus.OPEN
    )
    closed_on: Mapped[date | None]
    result_notes: Mapped[str | None] = mapped_column(sa.Text)
    opened_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    last_known_region: Mapped[Region | None] = relationship()
    leads: Mapped[list["TracingLead"]] = relationship(
        back_populates="request", order_by="(TracingLead.followed_on, TracingLead.id)"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("(status = 'open') = (closed_on IS NULL)", name="closed_iff_not_open"),
        sa.CheckConstraint("closed_on IS NULL OR closed_on >= opened_on", name="closed_after_opened"),
    )

    @property
    def is_open(self):
        """True until the request ends found or not found."""
        return self.status == TracingStatus.OPEN


class TracingLead(db.Model):
    """A lead followed for a tracing request: when, what was done, and what came of it."""

    __tablename__ = "tracing_lead"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid_module.uuid4)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("tracing_request.id"), index=True)
    followed_on: Mapped[date]
    method: Mapped[LeadMethod] = mapped_column(enum_column(LeadMethod, "lead_method"))
    action: Mapped[str | None] = mapped_column(sa.String(300))
    result: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[TracingRequest] = relationship(back_populates="leads")
    recorded_by: Mapped[User] = relationship()


class Reunification(db.Model):
    """A client's return to a family member found safe to live with; one per case."""

    __tablename__ = "reunification"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid_module.uuid4)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), unique=True)
    member_name: Mapped[str] = mapped_column(sa.String(200))
    kinship: Mapped[Kinship] = mapped_column(enum_column(Kinship, "kinship"))
    # The tracing request that found this family member, when one did.
    tracing_request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tracing_request.id"))
    address: Mapped[str] = mapped_column(sa.String(300))
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("region.code"))
    reunified_on: Mapped[date]
    # The caseworker's assessment of the home: a reunification is recorded only when it is safe.
    home_safe: Mapped[bool]
    safety_note: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()
    region: Mapped[Region] = relationship()
    tracing_request: Mapped[TracingRequest | None] = relationship()
    visits: Mapped[list["FollowupVisit"]] = relationship(
        back_populates="reunification", order_by="FollowupVisit.day_offset"
    )

    __table_args__ = (sa.CheckConstraint("home_safe", name="home_assessed_safe"),)


class FollowupVisit(db.Model):
    """A follow-up visit scheduled ``day_offset`` days after the reunification, and what it found once made."""

    __tablename__ = "followup_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    reunification_id: Mapped[int] = mapped_column(sa.ForeignKey("reunification.id"))
    day_offset: Mapped[int]
    due_on: Mapped[date]
    visited_on: Mapped[date | None]
    finding: Mapped[str | None] = mapped_column(sa.Text)
    client_well: Mapped[bool | None]
    notes: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(default=1)

    reunification: Mapped[Reunification] = relationship(back_populates="visits")
    recorded_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("reunification_id", "day_offset"),
        # The overdue query reads visits not made yet by the day they were due.
        sa.Index(
            "ix_followup_visit_due_open",
            "due_on",
            sqlite_where=sa.text("visited_on IS NULL"),
            postgresql_where=sa.text("visited_on IS NULL"),
        ),
        sa.CheckConstraint("day_offset > 0", name="day_offset_positive"),
        # A recorded visit has its date, finding, verdict and recorder; a visit still ahead has none of them.
        sa.CheckConstraint(
            "(visited_on IS NULL) = (client_well IS NULL)"
            " AND (visited_on IS NULL) = (finding IS NULL)"
            " AND (visited_on IS NULL) = (recorded_by_id IS NULL)",
            name="recorded_all_or_nothing",
        ),
    )

    def overdue(self, today):
        """True when the visit's day has passed and it was not recorded."""
        return self.visited_on is None and self.due_on < today
