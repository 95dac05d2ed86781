"""Monthly close: a month's figures frozen as numbered revisions, with the rows that made every number.

A close (``MonthClose``) of one agency and month holds, per active indicator
(``ClosedIndicator``), the achievement table's lines (``ClosedRow``: row key,
label, realisation, denominator) and the counted facts behind them
(``ClosedFact``: the drill-down rows, ids and codes only), so the report
submitted can be shown and checked again exactly. Nothing here is ever
updated or deleted: the migration adds triggers refusing UPDATE and DELETE on
both databases; a change of the live figures becomes the next revision.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.core.types import UTCDateTime, utcnow
from casework.extensions import db

# Which column of ClosedFact holds a fact's ``on`` (a measure's date, timestamp, or a quality entry's quarter).
ON_DAY, ON_AT, ON_QUARTER = "day", "at", "quarter"
# Exactly one of the three ``on`` columns is set (booleans do not add up in PostgreSQL, so CASE).
ONE_ON = " + ".join(f"CASE WHEN {name} IS NULL THEN 0 ELSE 1 END" for name in ("on_day", "on_at", "on_quarter"))
ONE_ON += " = 1"


class MonthClose(db.Model):
    """One revision of an agency's close of a month (``closed_by_id`` empty when the scheduler closed it)."""

    __tablename__ = "month_close"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    year: Mapped[int] = mapped_column(sa.SmallInteger)
    month: Mapped[int] = mapped_column(sa.SmallInteger)
    revision: Mapped[int]
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    __table_args__ = (
        sa.UniqueConstraint("agency_id", "year", "month", "revision"),
        sa.CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
        sa.CheckConstraint("revision >= 1", name="revision_positive"),
    )


class ClosedIndicator(db.Model):
    """An indicator's part of a close: how its facts' ``on`` is stored, and what changed since the last revision."""

    __tablename__ = "closed_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    close_id: Mapped[int] = mapped_column(sa.ForeignKey("month_close.id"))
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicator.id"))
    on_kind: Mapped[str] = mapped_column(sa.String(8))
    # Facts added and removed since the previous revision; items: distinct counted items among them.
    added: Mapped[int] = mapped_column(default=0)
    removed: Mapped[int] = mapped_column(default=0)
    late_items: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        sa.UniqueConstraint("close_id", "indicator_id"),
        sa.CheckConstraint("on_kind IN ('day', 'at', 'quarter')", name="on_kind_known"),
        sa.CheckConstraint("added >= 0 AND removed >= 0 AND late_items >= 0", name="changes_positive"),
    )


class ClosedRow(db.Model):
    """One line of an indicator's frozen achievement table, the total line included (``row_key`` "total")."""

    __tablename__ = "closed_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    close_id: Mapped[int] = mapped_column(sa.ForeignKey("month_close.id"))
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicator.id"))
    position: Mapped[int] = mapped_column(sa.SmallInteger)
    # The achievement row's key: a unit id, "agency", "none" or "total".
    row_key: Mapped[str] = mapped_column(sa.String(20))
    label: Mapped[str] = mapped_column(sa.String(200))
    realisation: Mapped[int] = mapped_column(sa.BigInteger)
    denominator: Mapped[int | None] = mapped_column(sa.BigInteger)

    __table_args__ = (
        sa.UniqueConstraint("close_id", "indicator_id", "position"),
        sa.UniqueConstraint("close_id", "indicator_id", "row_key"),
    )


class ClosedFact(db.Model):
    """One counted fact of an indicator in a close: the columns of ``casework.figures.counting``, and its row."""

    __tablename__ = "closed_fact"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    close_id: Mapped[int] = mapped_column(sa.ForeignKey("month_close.id"))
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicator.id"))
    # The drill-down's order (latest first), numbered when the fact was frozen.
    position: Mapped[int]
    # The reporting unit of its row; empty for the agency row and facts no unit owns.
    row_key: Mapped[int | None]
    item_id: Mapped[int]
    on_day: Mapped[date | None] = mapped_column(sa.Date)
    on_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_quarter: Mapped[int | None] = mapped_column(sa.SmallInteger)
    ref_id: Mapped[int]
    case_id: Mapped[int | None]
    unit_id: Mapped[int | None]
    region_code: Mapped[str | None] = mapped_column(sa.String(13))
    numerator: Mapped[int]
    denominator: Mapped[int]

    __table_args__ = (
        sa.Index("ix_closed_fact_position", "close_id", "indicator_id", "position", unique=True),
        sa.Index("ix_closed_fact_row", "close_id", "indicator_id", "row_key", "position"),
        sa.CheckConstraint(ONE_ON, name="one_on"),
    )
