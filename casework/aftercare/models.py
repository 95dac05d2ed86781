"""Exit assessment, graduation and aftercare visits after a case ends.

At termination a scored exit assessment measures the client's self-reliance
against the agency's variables (name, weight, maximum score); with the case
outcome, its decision gives the graduation type (``graduation``). Aftercare
visits are slots at the agency's month offsets after termination, recorded
by a caseworker or a volunteer; a visit may find the person fallen back. A
reminder row per visit, stage and person keeps the daily reminder job from
telling anyone twice.
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


class ExitDecision(StrEnum):
    """The assessor's verdict at exit: whether the client has become self-reliant."""

    SELF_RELIANT = "self_reliant"
    NOT_SELF_RELIANT = "not_self_reliant"


class GraduationType(StrEnum):
    """How a client left: natural (*alamiah*), self-reliant (*mandiri*), removed (*paksa*)."""

    NATURAL = "natural"
    SELF_RELIANT = "self_reliant"
    REMOVED = "removed"


class VisitResult(StrEnum):
    """What an aftercare visit found."""

    STABLE = "stable"
    FALLEN_BACK = "fallen_back"
    NOT_MET = "not_met"


class ReminderStage(StrEnum):
    """Why a visit is brought to someone's attention: coming up soon, or past its day unrecorded."""

    DUE = "due"
    OVERDUE = "overdue"


class SelfRelianceVariable(db.Model):
    """One scored variable of the agency's self-reliance index: its weight and maximum score."""

    __tablename__ = "self_reliance_variable"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    code: Mapped[str] = mapped_column(sa.String(30))
    name: Mapped[str] = mapped_column(sa.String(120))
    weight: Mapped[int] = mapped_column(sa.SmallInteger)
    max_score: Mapped[int] = mapped_column(sa.SmallInteger)
    ordinal: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "code"),
        sa.CheckConstraint("weight > 0 AND max_score > 0", name="weight_and_max_positive"),
    )


class ExitAssessment(db.Model):
    """The scored self-reliance assessment of a case at its termination, and the graduation decision; one per case.

    The index is kept as its exact numerator Σ(score × weight) and denominator
    Σ(max × weight), so it reads the same whatever the variables become later.
    """

    __tablename__ = "exit_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid_module.uuid4)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), unique=True)
    assessed_on: Mapped[date]
    decision: Mapped[ExitDecision] = mapped_column(enum_column(ExitDecision, "exit_decision"))
    score_total: Mapped[int]
    score_max: Mapped[int]
    assessed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship()
    assessed_by: Mapped[User] = relationship()
    scores: Mapped[list["ExitScore"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="ExitScore.ordinal"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("score_max > 0 AND score_total >= 0 AND score_total <= score_max", name="index_in_range"),
    )


class ExitScore(db.Model):
    """One variable's score in an exit assessment, with the weight and maximum it was scored against."""

    __tablename__ = "exit_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("exit_assessment.id", ondelete="CASCADE"))
    variable_id: Mapped[int] = mapped_column(sa.ForeignKey("self_reliance_variable.id"))
    ordinal: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    score: Mapped[int] = mapped_column(sa.SmallInteger)
    weight: Mapped[int] = mapped_column(sa.SmallInteger)
    max_score: Mapped[int] = mapped_column(sa.SmallInteger)

    assessment: Mapped[ExitAssessment] = relationship(back_populates="scores")
    variable: Mapped[SelfRelianceVariable] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "variable_id"),
        sa.CheckConstraint("score >= 0 AND score <= max_score AND weight > 0", name="score_in_range"),
    )


class AftercareVisit(db.Model):
    """An aftercare visit due ``month_offset`` months after the case ended, and what it found once made."""

    __tablename__ = "aftercare_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"))
    month_offset: Mapped[int] = mapped_column(sa.SmallInteger)
    due_on: Mapped[date]
    visited_on: Mapped[date | None]
    result: Mapped[VisitResult | None] = mapped_column(enum_column(VisitResult, "aftercare_visit_result"))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("case_id", "month_offset"),
        # The reminder job and the lists read visits not made yet by their day.
        sa.Index(
            "ix_aftercare_visit_due_open",
            "due_on",
            sqlite_where=sa.text("visited_on IS NULL"),
            postgresql_where=sa.text("visited_on IS NULL"),
        ),
        sa.CheckConstraint("month_offset > 0", name="month_offset_positive"),
        # A recorded visit has its date, result and recorder; a visit still ahead has none of them.
        sa.CheckConstraint(
            "(visited_on IS NULL) = (result IS NULL) AND (visited_on IS NULL) = (recorded_by_id IS NULL)",
            name="recorded_all_or_nothing",
        ),
    )


class AftercareReminder(db.Model):
    """An in-app reminder to one person of one visit coming due or overdue; unread until ``read_at``."""

    __tablename__ = "aftercare_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("aftercare_visit.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    stage: Mapped[ReminderStage] = mapped_column(enum_column(ReminderStage, "aftercare_reminder_stage"))
    created_on: Mapped[date]
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    visit: Mapped[AftercareVisit] = relationship()

    # One reminder per visit, stage and person: the daily job run twice adds nothing.
    __table_args__ = (sa.UniqueConstraint("visit_id", "stage", "user_id"),)
