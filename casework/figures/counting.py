"""One SQL query per indicator ``measure``: the facts it counts, one row per counted client or record.

Every measure returns a select with the same labelled columns, so one
aggregation (``casework.figures.achievement``) counts them and one drill-down
lists them — the list of a number is the very rows that made it:

``item_id``      the client (person measures) or the record counted;
``on``           the fact's date, which picks a person's latest fact;
``ref_id``       the fact's own row, breaking ties between facts of one day;
``case_id``      the case the fact belongs to (NULL for complaints without one and quality entries);
``unit_id``      the unit the fact is attributed to (the case's unit; a stay's panti);
``region_code``  where it happened (the case's intake region; a complaint's village);
``numerator``    what the fact adds to the realisation (1 or 0; a quality entry's items met);
``denominator``  what it adds to the measure's own denominator (1; a quality entry's items checked).

A person measure counts each client once in the window: their latest fact
is kept (and says where they are counted), and they count as met when any of
their facts does (``distinct_facts``).
"""

from datetime import timedelta
from typing import NamedTuple

import sqlalchemy as sa

from casework.cases.models import Case, CaseStay, IntakeChannel, ServiceDelivery
from casework.core.localtime import local_midnight, local_today
from casework.disasters.figures import victims
from casework.disasters.models import DisasterEvent
from casework.figures.models import SpmQualityEntry
from casework.findings.models import Report, ReportKind
from casework.org.models import Unit, UnitKind
from casework.reference.models import Service
from casework.referrals.models import Referral, ReferralStatus
from casework.tracing.models import Reunification
from casework.transfers.models import ReturnPlan, ReturnStatus

# The documents service of the SPM package: "Fasilitasi pembuatan NIK, akta kelahiran, surat nikah, KIA".
DOCUMENTS_SERVICE = "fasilitasi-dokumen-kependudukan"
OUTREACH_CHANNELS = (IntakeChannel.OUTREACH, IntakeChannel.JOINT_RAID)
# Referrals a supervisor approved, whatever the receiver did next.
APPROVED_REFERRALS = (
    ReferralStatus.APPROVED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.COMPLETED,
)


class Window(NamedTuple):
    """The days a figure counts (``start`` to ``end``, both included) for one agency, in ``year``."""

    agency_id: int
    year: int
    start: object
    end: object
    # The SPM indicators' service type.
    spm_service_type_id: int | None = None

    def instants(self):
        """The window as timestamps: local midnight of ``start`` and of the day after ``end`` (exclusive)."""
        return local_midnight(self.start), local_midnight(self.end + timedelta(days=1))

    @property
    def last_quarter(self):
        """The quarter ``end`` falls in."""
        return (self.end.month - 1) // 3 + 1


def _typed_null(type_):
    """A NULL of ``type_``: PostgreSQL must know a column's type to compare or join it."""
    return sa.cast(sa.null(), type_)


def _facts(item_id, on, ref_id, case_id, unit_id, region_code, numerator=1, denominator=1):
    """The select of a measure's columns, labelled as the module docstring lists them."""
    return sa.select(
        item_id.label("item_id"),
        on.label("on"),
        ref_id.label("ref_id"),
        case_id.label("case_id"),
        unit_id.label("unit_id"),
        region_code.label("region_code"),
        sa.literal(numerator).label("numerator") if isinstance(numerator, int) else numerator.label("numerator"),
        sa.literal(denominator).label("denominator")
        if isinstance(denominator, int)
        else denominator.label("denominator"),
    )


def _case_facts(on, ref_id=Case.id, unit_id=Case.unit_id, numerator=1):
    """A person measure's columns from its case (the client counted, where the case was taken in)."""
    return _facts(Case.client_id, on, ref_id, Case.id, unit_id, Case.intake_region_code, numerator)


def _in_window(column, window):
    """``column`` (a date) lies in the window."""
    return column.between(window.start, window.end)


def _at_in_window(column, window):
    """``column`` (a timestamp) lies in the window's local days."""
    start, end = window.instants()
    return sa.and_(column >= start, column < end)


def spm_recipients(window):
    """Persons who needed the SPM type's service (assessed in the window) and, of them, whose needs were met in it."""
    met = sa.case((_in_window(Case.needs_met_on, window), 1), else_=0)
    return _case_facts(Case.assessed_on, numerator=met).where(
        Case.agency_id == window.agency_id,
        Case.spm_service_type_id == window.spm_service_type_id,
        _in_window(Case.assessed_on, window),
    )


def spm_quality(window):
    """The data officer's quality checklist results of the SPM type, for the year's quarters up to the window's end."""
    return _facts(
        SpmQualityEntry.id,
        SpmQualityEntry.quarter,
        SpmQualityEntry.id,
        _typed_null(sa.Integer),
        _typed_null(sa.Integer),
        _typed_null(sa.String),
        SpmQualityEntry.met,
        SpmQualityEntry.total,
    ).where(
        SpmQualityEntry.agency_id == window.agency_id,
        SpmQualityEntry.spm_service_type_id == window.spm_service_type_id,
        SpmQualityEntry.year == window.year,
        SpmQualityEntry.quarter <= window.last_quarter,
    )


def outreach_reached(window):
    """Persons whose case came in by outreach or a joint raid in the window."""
    return _case_facts(Case.intake_date).where(
        Case.agency_id == window.agency_id,
        Case.intake_channel.in_(OUTREACH_CHANNELS),
        _in_window(Case.intake_date, window),
    )


def returned_home(window):
    """Persons whose return to their area of origin arrived in the window."""
    return (
        _case_facts(ReturnPlan.arrived_on, ref_id=ReturnPlan.id)
        .join(Case, Case.id == ReturnPlan.case_id)
        .where(
            Case.agency_id == window.agency_id,
            ReturnPlan.status == ReturnStatus.ARRIVED,
            _in_window(ReturnPlan.arrived_on, window),
        )
    )


def panti_residents(window):
    """Persons who stayed in one of the agency's panti on any day of the window, counted in their latest panti."""
    return (
        _case_facts(CaseStay.admitted_on, ref_id=CaseStay.id, unit_id=CaseStay.unit_id)
        .join(Case, Case.id == CaseStay.case_id)
        .join(Unit, Unit.id == CaseStay.unit_id)
        .where(
            Case.agency_id == window.agency_id,
            Unit.kind == UnitKind.PANTI,
            CaseStay.admitted_on <= window.end,
            sa.or_(CaseStay.discharged_on.is_(None), CaseStay.discharged_on >= window.start),
        )
    )


def _referrals(window, statuses, at):
    """Referrals in ``statuses`` whose step stamped ``at`` happened in the window; each referral counts."""
    return (
        _facts(Referral.id, at, Referral.id, Case.id, Case.unit_id, Case.intake_region_code)
        .join(Case, Case.id == Referral.case_id)
        .where(Referral.agency_id == window.agency_id, Referral.status.in_(statuses), _at_in_window(at, window))
    )


def referrals_approved(window):
    """Referrals a supervisor approved in the window."""
    return _referrals(window, APPROVED_REFERRALS, Referral.decided_at)


def referrals_completed(window):
    """Referrals completed in the window."""
    return _referrals(window, (ReferralStatus.COMPLETED,), Referral.completed_at)


def reunifications(window):
    """Persons reunified with their family in the window."""
    return (
        _case_facts(Reunification.reunified_on, ref_id=Reunification.id)
        .join(Case, Case.id == Reunification.case_id)
        .where(Case.agency_id == window.agency_id, _in_window(Reunification.reunified_on, window))
    )


def documents_obtained(window):
    """Deliveries of the civil documents service (NIK, birth certificate, marriage certificate, KIA) in the window."""
    documents = sa.select(Service.id).where(Service.slug == DOCUMENTS_SERVICE).scalar_subquery()
    return (
        _facts(
            ServiceDelivery.id,
            ServiceDelivery.delivered_on,
            ServiceDelivery.id,
            Case.id,
            Case.unit_id,
            Case.intake_region_code,
        )
        .join(Case, Case.id == ServiceDelivery.case_id)
        .where(
            ServiceDelivery.service_id == documents,
            _in_window(ServiceDelivery.delivered_on, window),
            Case.agency_id == window.agency_id,
        )
    )


def complaint_response(window):
    """Complaints received in the window and, of them, those decided by its end."""
    _start, end = window.instants()
    decided = sa.case((sa.and_(Report.decided_at.is_not(None), Report.decided_at < end), 1), else_=0)
    return _facts(
        Report.id, Report.received_at, Report.id, Report.case_id, Report.unit_id, Report.region_code, decided
    ).where(
        Report.agency_id == window.agency_id,
        Report.kind == ReportKind.COMPLAINT,
        _at_in_window(Report.received_at, window),
    )


def ppks_handled(window):
    """Persons with a case open on any day of the window (taken in by its end, not terminated before its start)."""
    return _case_facts(Case.intake_date).where(
        Case.agency_id == window.agency_id,
        Case.intake_date <= window.end,
        sa.or_(Case.terminated_on.is_(None), Case.terminated_on >= window.start),
    )


def disaster_victims(window):
    """People registered in the agency's disaster events of the window, met when every basic need owed was met.

    SPM type 5; the rule is ``casework.disasters.figures``'s. Needs are judged
    by the window's end (today at the latest: meals of days to come are not owed yet).
    """
    in_scope = (DisasterEvent.agency_id == window.agency_id, _in_window(DisasterEvent.occurred_on, window))
    rows = victims(min(window.end, local_today()), *in_scope).subquery("victims")
    return _facts(
        rows.c.person_id,
        rows.c.occurred_on,
        rows.c.person_id,
        rows.c.case_id,
        _typed_null(sa.Integer),
        rows.c.region_code,
        rows.c.met,
    )


class Measure(NamedTuple):
    """A counting query, what its ``item_id`` names, and whether each item counts once (persons)."""

    facts: object
    item: str
    per_person: bool


CLIENT, REFERRAL, DELIVERY, COMPLAINT, QUALITY_ENTRY = "client", "referral", "delivery", "complaint", "quality_entry"
AFFECTED_PERSON = "affected_person"

MEASURES = {
    "spm_recipients": Measure(spm_recipients, CLIENT, True),
    "spm_quality": Measure(spm_quality, QUALITY_ENTRY, False),
    "outreach_reached": Measure(outreach_reached, CLIENT, True),
    "returned_home": Measure(returned_home, CLIENT, True),
    "panti_residents": Measure(panti_residents, CLIENT, True),
    "referrals_approved": Measure(referrals_approved, REFERRAL, False),
    "referrals_completed": Measure(referrals_completed, REFERRAL, False),
    "reunifications": Measure(reunifications, CLIENT, True),
    "documents_obtained": Measure(documents_obtained, DELIVERY, False),
    "complaint_response": Measure(complaint_response, COMPLAINT, False),
    "ppks_handled": Measure(ppks_handled, CLIENT, True),
    # Each person registered in a disaster event counts once in the year.
    "disaster_victims": Measure(disaster_victims, AFFECTED_PERSON, True),
}

FACT_COLUMNS = ("item_id", "on", "ref_id", "case_id", "unit_id", "region_code", "numerator", "denominator")


def distinct_facts(measure, window):
    """The measure's facts as a subquery; a person measure keeps one row per client (see the module docstring)."""
    facts = measure.facts(window).subquery("raw_facts")
    if not measure.per_person:
        return facts
    person = facts.c.item_id
    ranked = sa.select(
        *(facts.c[name] for name in FACT_COLUMNS if name != "numerator"),
        sa.func.max(facts.c.numerator).over(partition_by=person).label("numerator"),
        sa.func.row_number()
        .over(partition_by=person, order_by=(facts.c.on.desc(), facts.c.ref_id.desc()))
        .label("latest"),
    ).subquery("ranked_facts")
    return sa.select(*(ranked.c[name] for name in FACT_COLUMNS)).where(ranked.c.latest == 1).subquery("facts")
