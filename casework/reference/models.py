"""Reference data: PPKS categories, PSKS types, SPM service types, services, regions."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.types import UTCDateTime, enum_column, utcnow
from casework.extensions import db


class CountingUnit(StrEnum):
    """What one count of a category stands for."""

    PERSON = "person"
    HOUSEHOLD = "household"


class SpmGroup(StrEnum):
    """The target groups of the SPM social-service types (PP 2/2018 art. 10)."""

    DISABILITY = "disability"
    CHILD = "child"
    ELDERLY = "elderly"
    HOMELESS_BEGGAR = "homeless_beggar"
    DISASTER = "disaster"


class GovLevel(StrEnum):
    """Level of government: a province or a city/regency."""

    PROVINCE = "province"
    CITY = "city"


class SpmSetting(StrEnum):
    """Where an SPM service type is delivered."""

    IN_PANTI = "in_panti"
    OUTSIDE_PANTI = "outside_panti"
    DISASTER = "disaster"


class Category(db.Model):
    """A PPKS category: the 26 national ones in national order, plus those agencies use in practice."""

    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    national_ordinal: Mapped[int | None] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    counting_unit: Mapped[CountingUnit] = mapped_column(enum_column(CountingUnit, "counting_unit"))
    spm_group: Mapped[SpmGroup | None] = mapped_column(enum_column(SpmGroup, "spm_group"))
    # Sensitive categories (violence, trafficking, HIV, drugs, ABH, ODGJ) get
    # restricted access in the permission layer.
    sensitive: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    local_codes: Mapped[list["LocalCode"]] = relationship(back_populates="category")

    __table_args__ = (sa.CheckConstraint("national_ordinal BETWEEN 1 AND 26", name="national_ordinal_range"),)


class LocalCode(db.Model):
    """An agency's own category code (e.g. a city's F1–F24) mapped onto a category."""

    __tablename__ = "local_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_set: Mapped[str] = mapped_column(sa.String(40))
    code: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(160))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"))

    category: Mapped[Category] = relationship(back_populates="local_codes")

    __table_args__ = (sa.UniqueConstraint("code_set", "code"),)


class PsksType(db.Model):
    """One of the 12 types of community welfare resources (PSKS)."""

    __tablename__ = "psks_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    ordinal: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120))


class Service(db.Model):
    """A service a case can record, with its budget sub-activity code where one exists."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    name_en: Mapped[str] = mapped_column(sa.String(160))
    budget_code: Mapped[str | None] = mapped_column(sa.String(30))
    # The unit a delivery is counted in, e.g. "hari" for meals, "unit" for devices.
    default_unit: Mapped[str] = mapped_column(sa.String(20))
    # Most services can be given any number of times; meals outside panti are capped.
    max_days: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (sa.CheckConstraint("max_days IS NULL OR max_days > 0", name="max_days_positive"),)


class SpmServiceType(db.Model):
    """An SPM social-service type of one level of government, with its service package."""

    __tablename__ = "spm_service_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(30), unique=True)
    level: Mapped[GovLevel] = mapped_column(enum_column(GovLevel, "gov_level"))
    ordinal: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    setting: Mapped[SpmSetting] = mapped_column(enum_column(SpmSetting, "spm_setting"))
    target_group: Mapped[SpmGroup] = mapped_column(enum_column(SpmGroup, "spm_group"))

    package: Mapped[list["SpmPackageItem"]] = relationship(
        order_by="SpmPackageItem.ordinal", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("level", "ordinal"),
        sa.CheckConstraint("ordinal BETWEEN 1 AND 5", name="ordinal_range"),
    )


class SpmPackageItem(db.Model):
    """A service in an SPM service type's package, in the order the standard lists them."""

    __tablename__ = "spm_package_item"

    spm_service_type_id: Mapped[int] = mapped_column(sa.ForeignKey("spm_service_type.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("service.id"), primary_key=True)
    ordinal: Mapped[int]

    service: Mapped[Service] = relationship()


class Region(db.Model):
    """A Kemendagri region: province, regency/city, district or village, by dotted code."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(sa.String(13), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(sa.ForeignKey("region.code"), index=True)
    level: Mapped[int] = mapped_column(sa.SmallInteger)
    kind: Mapped[str] = mapped_column(sa.String(12))
    name: Mapped[str] = mapped_column(sa.String(120))
    # The region with its parents, nearest first: "Bekasi Jaya, Bekasi Timur, Kota Bekasi, Jawa Barat".
    path: Mapped[str] = mapped_column(sa.String(400))
    postal_code: Mapped[str | None] = mapped_column(sa.String(5))
    # The code-table version the region was last seen in; codes change when regions split.
    table_version: Mapped[str] = mapped_column(sa.String(60))
    retired: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (sa.CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),)


class RegionNameToken(db.Model):
    """Each word of a region's name, lower-cased, for type-ahead search by word prefix.

    The token column compares bytewise (binary in SQLite, collation "C" in
    PostgreSQL) so a prefix search is an index range scan on both. Only
    active regions have tokens.
    """

    __tablename__ = "region_name_token"

    token: Mapped[str] = mapped_column(
        sa.String(60).with_variant(sa.String(60, collation="C"), "postgresql"), primary_key=True
    )
    level: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("region.code"), primary_key=True)
    # The region's whole normalised name (see services.normalise_region_name),
    # so search ranks exact names and checks a query's other words on this
    # table alone, visiting only the regions it returns.
    search_name: Mapped[str] = mapped_column(sa.String(120).with_variant(sa.String(120, collation="C"), "postgresql"))


class ReferenceDataset(db.Model):
    """Which version of each reference data file was loaded, and when."""

    __tablename__ = "reference_dataset"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    version: Mapped[str] = mapped_column(sa.String(60))
    row_count: Mapped[int]
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
