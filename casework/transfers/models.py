"""Transfers of a case to another agency, and returns of a client to their place of origin (pemulangan).

A transfer is proposed by the sending agency's staff, approved by a
supervisor of the sending agency (never the proposer), then accepted by the
receiving agency: the case, with its history, moves there. The row stays with
both agencies: the sender keeps it as its read-only record, with the facts of
the case as they were at hand-over (``snapshot``).

A return plan takes the client from where they are now (or the arrival port)
to their village of origin; departure and arrival are recorded on it.
"""

import uuid as uuid_module
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.auth.models import User
from casework.cases.models import Case
from casework.cases.proposals import Proposal, four_eyes
from casework.core.types import UTCDateTime, enum_column, in_values, utcnow
from casework.extensions import db
from casework.org.models import Agency
from casework.reference.models import Region


class TransferStatus(StrEnum):
    """Where a transfer is: waiting for the sender's supervisor, then for the receiver, then decided."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACCEPTED = "accepted"
    DECLINED = "declined"


PENDING_TRANSFER = (TransferStatus.PROPOSED, TransferStatus.APPROVED)


class CaseTransfer(Proposal, db.Model):
    """A case handed (or proposed to be handed) from one agency of this deployment to another."""

    __tablename__ = "case_transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid_module.uuid4)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    from_agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    to_agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    status: Mapped[TransferStatus] = mapped_column(
        enum_column(TransferStatus, "transfer_status"), default=TransferStatus.PROPOSED
    )
    reason: Mapped[str] = mapped_column(sa.Text)
    # What goes with the case: documents, belongings, reports.
    handover_items: Mapped[str | None] = mapped_column(sa.Text)
    # The case number in the sending agency; the case gets a new one from the receiver on acceptance.
    from_case_number: Mapped[str] = mapped_column(sa.String(20))
    to_case_number: Mapped[str | None] = mapped_column(sa.String(20))
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer_note: Mapped[str | None] = mapped_column(sa.Text)
    # The facts of the case as they were at hand-over, for the sender's read-only record.
    snapshot: Mapped[dict | None] = mapped_column(sa.JSON)
    version: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship()
    from_agency: Mapped[Agency] = relationship(foreign_keys=[from_agency_id])
    to_agency: Mapped[Agency] = relationship(foreign_keys=[to_agency_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # A case has at most one transfer under way.
        sa.Index(
            "uq_case_transfer_one_pending",
            "case_id",
            unique=True,
            sqlite_where=sa.text(in_values("status", PENDING_TRANSFER)),
            postgresql_where=sa.text(in_values("status", PENDING_TRANSFER)),
        ),
        # Each agency's lists: outgoing and incoming, by status.
        sa.Index("ix_case_transfer_from", "from_agency_id", "status"),
        sa.Index("ix_case_transfer_to", "to_agency_id", "status"),
        sa.CheckConstraint("from_agency_id <> to_agency_id", name="to_another_agency"),
        sa.CheckConstraint(
            "(status = 'proposed') = (decided_by_id IS NULL AND decided_at IS NULL)", name="decided_iff_past_proposal"
        ),
        sa.CheckConstraint(
            f"({in_values('status', (TransferStatus.ACCEPTED, TransferStatus.DECLINED))})"
            " = (answered_by_id IS NOT NULL AND answered_at IS NOT NULL)",
            name="answered_iff_answered",
        ),
        sa.CheckConstraint(
            "(status = 'accepted') = (to_case_number IS NOT NULL AND snapshot IS NOT NULL)",
            name="handed_over_iff_accepted",
        ),
        four_eyes(),
    )

    @property
    def is_pending(self):
        """True while the transfer waits for a decision or an answer."""
        return self.status in PENDING_TRANSFER


class TravelMode(StrEnum):
    """How the client travels home."""

    BUS = "bus"
    TRAIN = "train"
    SHIP = "ship"
    PLANE = "plane"
    AGENCY_VEHICLE = "agency_vehicle"
    OTHER = "other"


class Handover(StrEnum):
    """Who receives the client at the place of origin."""

    FAMILY = "family"
    ORIGIN_AGENCY = "origin_agency"


class ReturnStatus(StrEnum):
    """A return plan: planned, on the way, arrived."""

    PLANNED = "planned"
    DEPARTED = "departed"
    ARRIVED = "arrived"


class ReturnPlan(db.Model):
    """Taking a client from where they are (or the arrival port) back to their village of origin."""

    __tablename__ = "return_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid_module.uuid4)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    status: Mapped[ReturnStatus] = mapped_column(
        enum_column(ReturnStatus, "return_status"), default=ReturnStatus.PLANNED
    )
    # Where the journey starts: the current place or the arrival port, and its region when known.
    from_place: Mapped[str] = mapped_column(sa.String(300))
    from_region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("region.code"))
    # The village of origin (a level-4 region) and the address there.
    to_region_code: Mapped[str] = mapped_column(sa.ForeignKey("region.code"))
    to_address: Mapped[str | None] = mapped_column(sa.String(300))
    travel_date: Mapped[date]
    travel_mode: Mapped[TravelMode] = mapped_column(enum_column(TravelMode, "travel_mode"))
    # The escort: a staff user, or someone named (a volunteer, a relative, a police officer).
    escort_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    escort_name: Mapped[str | None] = mapped_column(sa.String(200))
    handover: Mapped[Handover] = mapped_column(enum_column(Handover, "return_handover"))
    family_name: Mapped[str | None] = mapped_column(sa.String(200))
    family_relationship: Mapped[str | None] = mapped_column(sa.String(100))
    # The origin agency: one of this deployment, or named.
    origin_agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"))
    origin_agency_name: Mapped[str | None] = mapped_column(sa.String(200))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    planned_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    departed_on: Mapped[date | None]
    arrived_on: Mapped[date | None]
    # Who received the client on arrival (a family member, an officer of the origin agency).
    received_by: Mapped[str | None] = mapped_column(sa.String(200))
    arrival_notes: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship()
    from_region: Mapped[Region | None] = relationship(foreign_keys=[from_region_code])
    to_region: Mapped[Region] = relationship(foreign_keys=[to_region_code])
    escort_user: Mapped[User | None] = relationship(foreign_keys=[escort_user_id])
    origin_agency: Mapped[Agency | None] = relationship()
    planned_by: Mapped[User] = relationship(foreign_keys=[planned_by_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # One return under way per case.
        sa.Index(
            "uq_return_plan_one_open",
            "case_id",
            unique=True,
            sqlite_where=sa.text("status <> 'arrived'"),
            postgresql_where=sa.text("status <> 'arrived'"),
        ),
        sa.CheckConstraint("escort_user_id IS NOT NULL OR escort_name IS NOT NULL", name="has_escort"),
        sa.CheckConstraint("handover <> 'family' OR family_name IS NOT NULL", name="family_handover_named"),
        sa.CheckConstraint(
            "handover <> 'origin_agency' OR origin_agency_id IS NOT NULL OR origin_agency_name IS NOT NULL",
            name="agency_handover_named",
        ),
        sa.CheckConstraint("(status = 'planned') = (departed_on IS NULL)", name="departed_iff_past_planned"),
        sa.CheckConstraint(
            "(status = 'arrived') = (arrived_on IS NOT NULL AND received_by IS NOT NULL)", name="arrived_iff_received"
        ),
        sa.CheckConstraint("arrived_on IS NULL OR arrived_on >= departed_on", name="arrived_after_departed"),
    )
