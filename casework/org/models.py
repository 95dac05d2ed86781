"""The agency running this deployment, and its units and partner organisations."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.types import UTCDateTime, enum_column, utcnow
from casework.extensions import db
from casework.reference.models import GovLevel, Region


class UnitKind(StrEnum):
    """What a unit is. Partners are outside the agency but receive referrals."""

    DIVISION = "division"
    BRANCH_OFFICE = "branch_office"
    DISTRICT_UNIT = "district_unit"
    PANTI = "panti"
    RUMAH_SINGGAH = "rumah_singgah"
    SHELTER = "shelter"
    PARTNER = "partner"


RESIDENTIAL_KINDS = (UnitKind.PANTI, UnitKind.RUMAH_SINGGAH, UnitKind.SHELTER)


class PartnerType(StrEnum):
    """The kinds of partner organisation referrals go to."""

    HOSPITAL = "hospital"
    PUSKESMAS = "puskesmas"
    PSYCHIATRIC_HOSPITAL = "psychiatric_hospital"
    CIVIL_REGISTRY = "civil_registry"
    PANTI = "panti"
    LKS = "lks"
    NARCOTICS_AGENCY = "narcotics_agency"
    CHILD_PROTECTION = "child_protection"
    SOCIAL_AGENCY = "social_agency"
    POLICE = "police"
    PUBLIC_ORDER = "public_order"
    EDUCATION = "education"
    MIGRANT_WORKER_AGENCY = "migrant_worker_agency"
    OTHER = "other"


class Agency(db.Model):
    """A Dinas Sosial. One per deployment today; the schema lets several share a database."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(30), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    level: Mapped[GovLevel] = mapped_column(enum_column(GovLevel, "gov_level"))
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("region.code"))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    # Case deadlines set by local rules: days a shelter or rumah singgah stay may last,
    # days from intake to a finished assessment, days from the plan to the first service.
    stay_limit_days: Mapped[int] = mapped_column(default=7, server_default="7")
    assessment_due_days: Mapped[int] = mapped_column(default=7, server_default="7")
    service_due_days: Mapped[int] = mapped_column(default=14, server_default="14")
    # Days a referral may wait for the supervisor's decision, then for the receiver's answer, before it is overdue.
    referral_due_days: Mapped[int] = mapped_column(default=3, server_default="3")
    # The head of the agency, who signs its letters (the referral letter's signature block).
    head_name: Mapped[str | None] = mapped_column(sa.String(200))
    # Follow-up visits after a reunification: days after it, comma-separated ("7,30,90"); see casework.tracing.
    followup_visit_days: Mapped[str] = mapped_column(sa.String(60), default="7,30,90", server_default="7,30,90")
    # Aftercare visits after a termination: months after it, comma-separated; see casework.aftercare.
    aftercare_visit_months: Mapped[str] = mapped_column(
        sa.String(60), default="6,12,18,24,36", server_default="6,12,18,24,36"
    )
    # The SPM index: weights (percent, summing to 100) of the recipients and quality achievements; see casework.figures.
    spm_weight_recipients: Mapped[int] = mapped_column(default=80, server_default="80")
    spm_weight_quality: Mapped[int] = mapped_column(default=20, server_default="20")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    units: Mapped[list["Unit"]] = relationship(back_populates="agency", order_by="Unit.name")

    __table_args__ = (
        sa.CheckConstraint(
            "stay_limit_days > 0 AND assessment_due_days > 0 AND service_due_days > 0", name="case_deadlines_positive"
        ),
        sa.CheckConstraint("referral_due_days > 0", name="referral_due_days_positive"),
        sa.CheckConstraint(
            "spm_weight_recipients >= 0 AND spm_weight_quality >= 0"
            " AND spm_weight_recipients + spm_weight_quality = 100",
            name="spm_weights_sum_100",
        ),
    )


class Unit(db.Model):
    """A division, branch office, district unit, panti, shelter, or partner organisation."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"))
    code: Mapped[str] = mapped_column(sa.String(30))
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind, "unit_kind"))
    partner_type: Mapped[PartnerType | None] = mapped_column(enum_column(PartnerType, "partner_type"))
    capacity: Mapped[int | None]
    region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("region.code"))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    agency: Mapped[Agency] = relationship(back_populates="units")
    parent: Mapped["Unit | None"] = relationship(remote_side=[id])
    region: Mapped[Region | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "code"),
        # Only partner organisations have a partner type, and they must have one.
        sa.CheckConstraint(
            "(kind = 'partner') = (partner_type IS NOT NULL)",
            name="partner_type_iff_partner",
        ),
        # Residential units have a capacity; nothing else does.
        sa.CheckConstraint(
            "(kind IN ('panti', 'rumah_singgah', 'shelter')) = (capacity IS NOT NULL)",
            name="capacity_iff_residential",
        ),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    @property
    def is_partner(self):
        """True for organisations outside the agency."""
        return self.kind == UnitKind.PARTNER
