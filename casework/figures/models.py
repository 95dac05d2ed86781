"""Indicators as data: what each official figure counts, in which unit, reported by what, over which period.

The standard indicators (SPM recipients and quality per service type, outreach,
returns home, panti residents, referrals, reunifications, documents, complaint
response, PPKS handled) are rows loaded with the reference data
(``casework.figures.standard``); ``measure`` names the counting query in
``casework.figures.counting`` that produces each one's realisation (and its
denominator, where that is not an annual target or the registered population).
"""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.types import UTCDateTime, enum_column, utcnow
from casework.extensions import db
from casework.reference.models import SpmServiceType


class IndicatorUnit(StrEnum):
    """What one count of an indicator stands for."""

    PERSON = "person"
    HOUSEHOLD = "household"
    SERVICE = "service"


class ReportedBy(StrEnum):
    """The rows an indicator's achievement table has."""

    AGENCY = "agency"
    BRANCH_OFFICE = "branch_office"
    PANTI = "panti"
    DISTRICT = "district"


class PeriodRule(StrEnum):
    """Which days a period's figure counts.

    Cumulative figures count from 1 January to the end of the period (the SPM
    rule, and every "realisation ÷ annual target"); per-period figures count
    the period alone (a month's complaints).
    """

    CUMULATIVE = "cumulative"
    PER_PERIOD = "per_period"


class DenominatorKind(StrEnum):
    """What a realisation is divided by."""

    # The annual target set for the unit (casework.figures.targets).
    TARGET = "target"
    # The measure counts its own denominator (persons who needed the service, complaints received).
    MEASURE = "measure"
    # The registered PPKS population (casework.figures.population).
    POPULATION = "population"


class Indicator(db.Model):
    """One official figure the agency reports."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable code used in CSV files, the API and the CLI: "KAB-1-PENERIMA", "OUTREACH-REACHED".
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    counting_unit: Mapped[IndicatorUnit] = mapped_column(enum_column(IndicatorUnit, "indicator_unit"))
    reported_by: Mapped[ReportedBy] = mapped_column(enum_column(ReportedBy, "indicator_reported_by"))
    period_rule: Mapped[PeriodRule] = mapped_column(enum_column(PeriodRule, "indicator_period_rule"))
    denominator: Mapped[DenominatorKind] = mapped_column(enum_column(DenominatorKind, "indicator_denominator"))
    # The counting query (a key of casework.figures.counting.MEASURES).
    measure: Mapped[str] = mapped_column(sa.String(40))
    # The SPM indicators' service type; the measure counts that type's cases only.
    spm_service_type_id: Mapped[int | None] = mapped_column(sa.ForeignKey("spm_service_type.id"))
    ordinal: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    spm_service_type: Mapped[SpmServiceType | None] = relationship()


class SpmQualityEntry(db.Model):
    """A quarter's SPM quality checklist result for one service type: items that met the standard of all checked.

    Entered by the data officer (goods/services and staff against the
    standard); the ``*-MUTU`` indicators add them up over the year.
    """

    __tablename__ = "spm_quality_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    year: Mapped[int] = mapped_column(sa.SmallInteger)
    quarter: Mapped[int] = mapped_column(sa.SmallInteger)
    spm_service_type_id: Mapped[int] = mapped_column(sa.ForeignKey("spm_service_type.id"))
    met: Mapped[int]
    total: Mapped[int]
    entered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    spm_service_type: Mapped[SpmServiceType] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "year", "quarter", "spm_service_type_id"),
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
        sa.CheckConstraint("met >= 0 AND total >= 0 AND met <= total", name="met_within_total"),
    )
