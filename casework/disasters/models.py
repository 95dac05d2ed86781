"""Disaster response: events, evacuation sites, affected households and people, and the assistance they got.

An agency registers people by the hundreds in a day at an evacuation site,
usually by household. A person of an event may be linked to a client of the
registry (the duplicate-aware matcher suggests them) and may become a case;
SPM service type 5 (protection of disaster victims) is counted from these
rows, not from cases. The CHECK constraints hold what the operations in
``casework.disasters`` guarantee.
"""

import uuid as uuid_module
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.clients.models import Sex
from casework.core.types import UTCDateTime, enum_column, utcnow
from casework.extensions import db
from casework.reference.models import Region, Service


class DisasterKind(StrEnum):
    """The disasters agencies report every year."""

    FLOOD = "flood"
    TIDAL_FLOOD = "tidal_flood"
    FIRE = "fire"
    HOUSE_COLLAPSE = "house_collapse"
    WHIRLWIND = "whirlwind"
    LANDSLIDE = "landslide"
    EARTHQUAKE = "earthquake"
    OTHER = "other"


class EventStatus(StrEnum):
    """emergency response (*tanggap darurat*) → recovery (*pemulihan*) → closed."""

    EMERGENCY = "emergency"
    RECOVERY = "recovery"
    CLOSED = "closed"


class Relation(StrEnum):
    """A member's relation to the head of the household (as on the KK)."""

    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    OTHER_RELATIVE = "other_relative"
    OTHER = "other"


class AssistanceKind(StrEnum):
    """What disaster victims are owed (domain reference §5), plus other catalogue items."""

    MEALS = "meals"
    CLOTHING = "clothing"
    SHELTER = "shelter"
    SPECIAL_HANDLING = "special_handling"
    PSYCHOSOCIAL = "psychosocial"
    OTHER = "other"


class DisasterNumberCounter(db.Model):
    """The last event number an agency gave in a year ("BCN-2026-0003"); taken under a row lock."""

    __tablename__ = "disaster_number_counter"

    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), primary_key=True)
    year: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class DisasterEvent(db.Model):
    """One disaster the agency responds to, with its affected villages and emergency-response period."""

    __tablename__ = "disaster_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid_module.uuid4)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    number: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[DisasterKind] = mapped_column(enum_column(DisasterKind, "disaster_kind"))
    name: Mapped[str] = mapped_column(sa.String(200))
    occurred_on: Mapped[date]
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus, "disaster_event_status"), default=EventStatus.EMERGENCY
    )
    # The agency's emergency-response period (status tanggap darurat): meals are owed on each of its days.
    emergency_from: Mapped[date]
    emergency_until: Mapped[date | None]
    closed_on: Mapped[date | None]
    description: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    villages: Mapped[list["DisasterEventVillage"]] = relationship(cascade="all, delete-orphan")
    sites: Mapped[list["EvacuationSite"]] = relationship(back_populates="event", order_by="EvacuationSite.name")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "number"),
        sa.Index("ix_disaster_event_agency", "agency_id", "occurred_on"),
        sa.CheckConstraint("emergency_from >= occurred_on", name="emergency_after_event"),
        sa.CheckConstraint("emergency_until IS NULL OR emergency_until >= emergency_from", name="emergency_ordered"),
        sa.CheckConstraint("(status = 'closed') = (closed_on IS NOT NULL)", name="closed_has_date"),
        sa.CheckConstraint("status = 'emergency' OR emergency_until IS NOT NULL", name="emergency_ended"),
    )


class DisasterEventVillage(db.Model):
    """A village (region level 4) affected by an event."""

    __tablename__ = "disaster_event_village"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("disaster_event.id", ondelete="CASCADE"), primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("region.code"), primary_key=True)

    region: Mapped[Region] = relationship()


class EvacuationSite(db.Model):
    """A *tempat pengungsian*: where people of an event stay, from its opening to its closing."""

    __tablename__ = "evacuation_site"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid_module.uuid4)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("disaster_event.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("region.code"))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    capacity: Mapped[int] = mapped_column(sa.Integer)
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    event: Mapped[DisasterEvent] = relationship(back_populates="sites")
    region: Mapped[Region] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("event_id", "name"),
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("closed_on IS NULL OR closed_on >= opened_on", name="site_dates_ordered"),
    )


class AffectedHousehold(db.Model):
    """A household registered in an event: its KK number when known, its village and (if displaced) its site."""

    __tablename__ = "affected_household"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid_module.uuid4)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("disaster_event.id"))
    kk_number: Mapped[str | None] = mapped_column(sa.String(16))
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("region.code"))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("evacuation_site.id"))
    registered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    region: Mapped[Region] = relationship()
    site: Mapped[EvacuationSite | None] = relationship()
    members: Mapped[list["AffectedPerson"]] = relationship(back_populates="household", order_by="AffectedPerson.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # One KK registered once in an event (NULLs, no KK, are distinct).
        sa.UniqueConstraint("event_id", "kk_number"),
        sa.Index("ix_affected_household_site", "event_id", "site_id"),
    )


class AffectedPerson(db.Model):
    """A person affected by an event: who they are, their vulnerable groups, where they stay, and any case."""

    __tablename__ = "affected_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid_module.uuid4)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("disaster_event.id"))
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("affected_household.id"), index=True)
    relation: Mapped[Relation] = mapped_column(enum_column(Relation, "household_relation"))
    name: Mapped[str] = mapped_column(sa.String(200))
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex, "sex"))
    birth_date: Mapped[date | None]
    # Age in years when registered, typed or computed from the birth date (elderly/toddler flags use it).
    age_years: Mapped[int | None] = mapped_column(sa.SmallInteger)
    nik: Mapped[str | None] = mapped_column(sa.String(16))
    # Vulnerable groups needing special handling (domain reference §5).
    elderly: Mapped[bool] = mapped_column(default=False)
    pregnant_or_nursing: Mapped[bool] = mapped_column(default=False)
    under_five: Mapped[bool] = mapped_column(default=False)
    disability: Mapped[bool] = mapped_column(default=False)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("region.code"))
    # Where they stay now (NULL: not displaced or staying with relatives) and since when; left_on when they left.
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("evacuation_site.id"))
    arrived_on: Mapped[date | None]
    left_on: Mapped[date | None]
    # The registry's record of the same person (matcher or NIK), and the case opened for ongoing work.
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("client.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_file.id"))
    registered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    household: Mapped[AffectedHousehold] = relationship(back_populates="members")
    site: Mapped[EvacuationSite | None] = relationship()
    region: Mapped[Region] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # One person registered once in an event (NULLs, no NIK, are distinct).
        sa.UniqueConstraint("event_id", "nik"),
        # One head per household.
        sa.Index(
            "uq_affected_person_head",
            "household_id",
            unique=True,
            sqlite_where=sa.text("relation = 'head'"),
            postgresql_where=sa.text("relation = 'head'"),
        ),
        # The situation page and SPM type 5 read an event's people by site.
        sa.Index("ix_affected_person_event_site", "event_id", "site_id", "id"),
        sa.CheckConstraint("age_years IS NULL OR age_years BETWEEN 0 AND 130", name="age_range"),
        sa.CheckConstraint("birth_date IS NOT NULL OR age_years IS NOT NULL", name="age_known"),
        sa.CheckConstraint("site_id IS NULL OR arrived_on IS NOT NULL", name="stay_has_arrival"),
        sa.CheckConstraint("left_on IS NULL OR arrived_on IS NULL OR left_on >= arrived_on", name="stay_ordered"),
    )


class DisasterAssistance(db.Model):
    """Assistance given to a person (or a whole household) on a day: meals (how many), clothing, shelter.

    Meals are recorded per person, day and site, so people × days are counted;
    ticking a person off a site's distribution list writes one of these.
    """

    __tablename__ = "disaster_assistance"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid_module.uuid4)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("disaster_event.id"))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("affected_person.id"))
    household_id: Mapped[int | None] = mapped_column(sa.ForeignKey("affected_household.id"))
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("evacuation_site.id"))
    kind: Mapped[AssistanceKind] = mapped_column(enum_column(AssistanceKind, "disaster_assistance_kind"))
    # "Other items from the catalogue": the catalogue's service (kind other).
    service_id: Mapped[int | None] = mapped_column(sa.ForeignKey("service.id"))
    given_on: Mapped[date]
    # Meals: how many of the three that day; other kinds: items or sessions.
    quantity: Mapped[int] = mapped_column(sa.Integer, default=1)
    unit: Mapped[str | None] = mapped_column(sa.String(40))
    note: Mapped[str | None] = mapped_column(sa.String(500))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    service: Mapped[Service | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("(person_id IS NULL) <> (household_id IS NULL)", name="person_or_household"),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("kind <> 'meals' OR quantity <= 3", name="meals_at_most_three"),
        sa.CheckConstraint("(kind = 'other') = (service_id IS NOT NULL)", name="other_names_service"),
        # A person's (or household's) record of a kind (or catalogue item) on a day is one row: ticking twice
        # changes nothing.
        *(
            sa.Index(
                f"uq_disaster_assistance_{owner}_{what}",
                f"{owner}_id",
                what,
                "given_on",
                unique=True,
                sqlite_where=sa.text(f"service_id IS {condition}"),
                postgresql_where=sa.text(f"service_id IS {condition}"),
            )
            for owner in ("person", "household")
            for what, condition in (("kind", "NULL"), ("service_id", "NOT NULL"))
        ),
        # The situation page: an event's assistance per day and site.
        sa.Index("ix_disaster_assistance_day", "event_id", "given_on", "site_id", "kind"),
    )
