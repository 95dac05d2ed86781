"""Reading the triage queue: what waits for a decision, one report with what helps decide it, and response times.

A supervisor's queue holds the pending reports of their unit and of the
units directly under it; an administrator's those of the whole agency. Emergencies come first, then
the longest waiting. Beside a report the supervisor sees the clients it
may be about (the registry's duplicate-aware matcher) with their open
cases, and the other reports of the last 14 days about the same village
or a person of a similar name.
"""

from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import format_timedelta
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from casework.auth.models import Role
from casework.cases.models import Case
from casework.cases.queries import open_cases
from casework.clients.matching import MIN_NAME_SCORE, Probe, likely_duplicates, name_score, normalise_name
from casework.core.lookup import agency_record
from casework.core.pagination import COUNT_BOUND, bounded_count
from casework.core.permissions import can
from casework.core.types import utcnow
from casework.extensions import db
from casework.findings.models import PENDING, Report, ReportEvent, ReportPhoto, ReportUrgency
from casework.findings.triage import received_on
from casework.org.models import Unit

# Other reports about the same place or person are looked for this far back.
RELATED_DAYS = 14
# Recent reports naming someone, read to compare names with: bounds the work in a busy agency.
RELATED_POOL = 200
RELATED_SHOWN = 10

# What the queue and the report page show with each report.
LOADED = (
    joinedload(Report.region),
    joinedload(Report.category),
    joinedload(Report.unit),
    joinedload(Report.reported_by),
)
DETAIL_LOADED = (*LOADED, joinedload(Report.case), joinedload(Report.decided_by), selectinload(Report.photos))

_URGENCY_RANK = sa.case(
    (Report.urgency == ReportUrgency.EMERGENCY, 0), (Report.urgency == ReportUrgency.SOON, 1), else_=2
)


def agency_report(agency_id, report_uuid):
    """The report ``report_uuid`` of agency ``agency_id``, with what its page shows; another agency's is missing."""
    return agency_record(Report, agency_id, report_uuid, _("Laporan tidak ditemukan."), DETAIL_LOADED)


def queue_condition(user):
    """The pending reports ``user`` triages: an administrator the agency's, a supervisor their units'.

    A supervisor's units are their own and those directly under it: a
    division's supervisor covers its district units, which often have none.
    """
    condition = (Report.agency_id == user.agency_id) & Report.status.in_(PENDING)
    if user.role == Role.SUPERVISOR:
        supervised = sa.select(Unit.id).where((Unit.id == user.unit_id) | (Unit.parent_id == user.unit_id))
        condition &= Report.unit_id.in_(supervised)
    return condition


def queue_select(user):
    """The user's queue: emergencies first, then soon, then routine; within each the oldest first."""
    return (
        sa.select(Report)
        .where(queue_condition(user))
        .options(*LOADED)
        .order_by(_URGENCY_RANK, Report.received_at, Report.id)
    )


def queue_counts(user):
    """(waiting, emergencies among them) in the user's queue, each counted up to COUNT_BOUND + 1."""
    waiting = sa.select(Report.id).where(queue_condition(user))
    emergencies = waiting.where(Report.urgency == ReportUrgency.EMERGENCY)
    row = db.session.execute(
        sa.select(bounded_count(waiting, COUNT_BOUND), bounded_count(emergencies, COUNT_BOUND))
    ).one()
    return tuple(row)


def photo_counts(report_ids):
    """{report id: photos} for the reports of a page, in one GROUP BY (reports without photos are absent)."""
    if not report_ids:
        return {}
    rows = db.session.execute(
        sa.select(ReportPhoto.report_id, sa.func.count())
        .where(ReportPhoto.report_id.in_(report_ids))
        .group_by(ReportPhoto.report_id)
    )
    return dict(rows.all())


def age_text(report, now=None):
    """How long ago the report came in, in words of the user's language ("3 jam yang lalu")."""
    return format_timedelta(-((now or utcnow()) - report.received_at), granularity="minute", add_direction=True)


def history(report):
    """The report's steps, oldest first, with who took each."""
    return db.session.scalars(
        sa.select(ReportEvent)
        .where(ReportEvent.report_id == report.id)
        .options(joinedload(ReportEvent.actor))
        .order_by(ReportEvent.at, ReportEvent.id)
    ).all()


def response_times(report):
    """Hours from receipt to the decision and days from receipt to the first visit; None until they happen."""
    hours = None
    if report.decided_at is not None:
        hours = round((report.decided_at - report.received_at).total_seconds() / 3600, 1)
    days = (report.first_visit_on - received_on(report)).days if report.first_visit_on is not None else None
    return {"hours_to_decision": hours, "days_to_first_visit": days}


def probe(report):
    """What the report says of the person, as the matcher's probe; None when it names nobody.

    The village is where the person was found, not where they come from, so it is not offered as an origin.
    """
    if not report.person_name:
        return None
    birth_year = report.observed_on.year - report.person_age if report.person_age is not None else None
    return Probe(
        full_name=report.person_name,
        sex=report.person_sex,
        birth_year=birth_year,
        birth_year_estimated=birth_year is not None,
    )


def likely_clients(report):
    """[(match, open cases)]: the agency's clients the report may be about, best first, with their open cases."""
    person = probe(report)
    matches = likely_duplicates(report.agency_id, person) if person else []
    if not matches:
        return []
    cases = db.session.scalars(
        sa.select(Case)
        .where(Case.client_id.in_([match.client.id for match in matches]), open_cases())
        .order_by(Case.intake_date.desc(), Case.id.desc())
    ).all()
    by_client = {}
    for case in cases:
        by_client.setdefault(case.client_id, []).append(case)
    return [(match, by_client.get(match.client.id, [])) for match in matches]


def related_reports(report):
    """The agency's other reports of the 14 days before and after this one about the same village or a similar name.

    Reports naming someone are read up to RELATED_POOL (the newest) and their
    names compared as the matcher compares them.
    """
    window = timedelta(days=RELATED_DAYS)
    recent = (
        (Report.agency_id == report.agency_id)
        & (Report.id != report.id)
        & Report.received_at.between(report.received_at - window, report.received_at + window)
    )
    same_place = Report.region_code == report.region_code
    named = Report.person_name.is_not(None) if report.person_name else sa.false()
    candidates = db.session.scalars(
        sa.select(Report)
        .where(recent & (same_place | named))
        .options(joinedload(Report.region))
        .order_by(Report.received_at.desc(), Report.id.desc())
        .limit(RELATED_POOL)
    ).all()
    ours = [normalise_name(report.person_name)] if report.person_name else []
    related = []
    for other in candidates:
        similar = bool(ours) and other.person_name and _name_similarity(ours, other.person_name) >= MIN_NAME_SCORE
        if other.region_code == report.region_code or similar:
            related.append(
                SimpleNamespace(report=other, same_place=other.region_code == report.region_code, similar=similar)
            )
    return related[:RELATED_SHOWN]


def _name_similarity(names, other_name):
    """The matcher's name similarity (0–100) between ``names`` (normalised) and another report's person."""
    return name_score(names, SimpleNamespace(full_name=other_name, aliases=None))


# Reports the desk shows at once; the queue page has the rest.
DESK_SHOWN = 5


def desk_section(user):
    """The desk's triage section: the first reports of the user's queue and how many wait; None when none does."""
    if not can(user, "findings.triage"):
        return None
    reports = db.session.scalars(queue_select(user).limit(DESK_SHOWN)).all()
    if not reports:
        return None
    waiting, emergencies = queue_counts(user)
    context = {
        "reports": reports,
        "photos": photo_counts([report.id for report in reports]),
        "waiting": waiting,
        "emergencies": emergencies,
    }
    return "findings/triage/_desk_section.html", context
