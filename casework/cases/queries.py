"""Reading cases: one agency's case by UUID, caseload lists with filters, overdue items, the timeline.

Overdue rules are SQL conditions on indexed dates, so "what is overdue" is
one query for a whole caseload, and the same rules flag the rows of a page.
The caseload's counts stop at ``COUNT_BOUND`` (shown as "10.000+"): a
count then reads at most that many index entries, however large the agency.
"""

import re
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from casework.access.gate import admit_case
from casework.access.rules import with_sensitive_today
from casework.access.scope import case_arms, case_condition, covers_unit
from casework.cases.models import (
    ASSESSING_PREDICATE,
    OPEN_PREDICATE,
    OPEN_STAY_PREDICATE,
    SHELTERED_PREDICATE,
    UNSERVED_PREDICATE,
    Case,
    CaseAttachment,
    CaseEvent,
    CaseNeed,
    CaseNote,
    CaseStay,
    ServiceDelivery,
    Stage,
)
from casework.clients.matching import candidate_ids, name_tokens
from casework.clients.models import Client
from casework.core.lookup import agency_record
from casework.core.pagination import COUNT_BOUND, bounded_count
from casework.extensions import db

# "KS-2026-000123", or a part of it from the start ("KS-2026-0001").
_CASE_NUMBER = re.compile(r"KS-\d{1,4}(-\d{0,6})?", re.IGNORECASE)
_DIGITS = re.compile(r"[\d\s.\-]{4,}")

OVERDUE_KINDS = ("assessment", "stay", "services")


def agency_case(agency_id, case_uuid, *options):
    """The case ``case_uuid`` of agency ``agency_id``, loaded with ``options``; another agency's is missing to us."""
    return agency_record(Case, agency_id, case_uuid, _("Kasus tidak ditemukan."), options)


def readable_case(user, case_uuid, *options):
    """The case ``case_uuid`` of ``user``'s agency, if they may read it (``casework.access``), with ``options``.

    Another agency's case is a 404; a case outside their work scope, or a
    sensitive case they may not read, is a ``Restricted`` 403, for reads and
    writes alike; a read of a sensitive case is audited.
    """
    case = agency_case(user.agency_id, case_uuid, with_sensitive_today(Case, Case.client_id), *options)
    admit_case(user, case)
    return case


def overdue_conditions(agency, today):
    """SQL conditions by kind: assessment not finished in time, a stay past its limit, a plan without services.

    The stage conditions are the partial indexes' predicates, written as they
    state them (see ``open_cases``), so both databases read those indexes.
    A stay limit applies only in a shelter, and a case staying in one has the
    shelter setting (``stays.admit``), so only the few sheltered cases' open
    stays are looked at, not every open case's.
    """
    assessment_by = today - timedelta(days=agency.assessment_due_days)
    services_by = today - timedelta(days=agency.service_due_days)
    stay_over = sa.exists().where(
        CaseStay.case_id == Case.id, sa.text(OPEN_STAY_PREDICATE), CaseStay.last_allowed_day < today
    )
    return {
        "assessment": sa.and_(sa.text(ASSESSING_PREDICATE), Case.intake_date < assessment_by),
        "stay": sa.and_(sa.text(SHELTERED_PREDICATE), stay_over),
        "services": sa.and_(sa.text(UNSERVED_PREDICATE), Case.planned_on < services_by),
    }


def _search(q, agency_id):
    """The condition for ``q``: a case number (or its start), a NIK prefix, or the client's name."""
    if _CASE_NUMBER.fullmatch(q):
        return Case.number.startswith(q.upper())
    if _DIGITS.fullmatch(q):
        digits = re.sub(r"\D", "", q)
        return Case.client_id.in_(
            sa.select(Client.id).where(Client.agency_id == agency_id, Client.nik.startswith(digits))
        )
    return Case.client_id.in_(candidate_ids(agency_id, name_tokens(q)) or [0])


def open_cases():
    """The condition "the case is open", written exactly as the caseload's partial indexes state it.

    A bound parameter list would hide the stages from the planners, which
    then could not prove the partial index applies.
    """
    return sa.text(OPEN_PREDICATE)


def _needs_scope(user, caseworker_id=None, unit_id=None):
    """Whether a caseload of the holder or unit is limited by ``user``'s scope.

    A tab of one's own cases, or of a unit one's scope covers whole, is in
    scope already; the condition would only keep the database from counting
    the tab from its index.
    """
    return user is not None and caseworker_id != user.id and not (unit_id and covers_unit(user, unit_id))


def scope_arms(user, caseworker_id=None, unit_id=None):
    """The arms of ``user``'s scope (``scope.case_arms``) a caseload of the holder or unit is limited by, or None."""
    return case_arms(user) if _needs_scope(user, caseworker_id, unit_id) else None


def _held(agency, caseworker_id=None, unit_id=None, user=None):
    """The conditions "the agency's case", held by the caseworker, in the unit, and in ``user``'s scope when given."""
    conditions = [Case.agency_id == agency.id]
    if caseworker_id:
        conditions.append(Case.caseworker_id == caseworker_id)
    if unit_id:
        conditions.append(Case.unit_id == unit_id)
    within = case_condition(user) if _needs_scope(user, caseworker_id, unit_id) else None
    if within is not None:
        conditions.append(within)
    return conditions


def caseload(agency, caseworker_id=None, unit_id=None, stage=None, overdue=None, q=None, today=None, user=None):
    """The agency's cases, newest intake first, narrowed by holder, unit, stage, overdue kind and a search.

    ``stage`` is a Stage value, or "open" for every stage before termination;
    ``user`` limits the cases to their work scope (``casework.access.scope``).
    """
    today = today or date.today()
    select = (
        sa.select(Case)
        .where(*_held(agency, caseworker_id, unit_id, user))
        .options(joinedload(Case.client), joinedload(Case.caseworker), selectinload(Case.stays))
        .order_by(Case.intake_date.desc(), Case.id.desc())
    )
    if stage == "open":
        select = select.where(open_cases())
    elif stage:
        select = select.where(Case.stage == Stage(stage))
    if overdue:
        select = select.where(overdue_conditions(agency, today)[overdue])
    q = (q or "").strip()
    if q:
        select = select.where(_search(q, agency.id))
    return select


def caseload_parts(agency, caseworker_id=None, unit_id=None, user=None, **filters):
    """Selects whose rows add up to ``caseload``'s, one per arm of the scope, for counting; None when it has none.

    Each reads its arm's cases from an index (the caseload itself states the
    scope as one OR, which no index serves).
    """
    arms = scope_arms(user, caseworker_id, unit_id)
    if not arms:
        return None
    unscoped = caseload(agency, caseworker_id, unit_id, **filters)
    return [unscoped.where(arm) for arm in arms]


def overdue_flags(agency, case_ids, today=None):
    """{case id: [overdue kinds]} for the given cases, in one query on those cases only."""
    today = today or date.today()
    flags = {case_id: [] for case_id in case_ids}
    if not case_ids:
        return flags
    conditions = overdue_conditions(agency, today)
    rows = db.session.execute(
        sa.select(Case.id, *(sa.case((condition, 1), else_=0) for condition in conditions.values())).where(
            Case.id.in_(case_ids)
        )
    )
    for case_id, *overdue in rows:
        flags[case_id] = [kind for kind, flagged in zip(conditions, overdue, strict=True) if flagged]
    return flags


def held_counts(agency, conditions, caseworker_id=None, unit_id=None, user=None):
    """{key: how many of the agency's (the caseworker's, the unit's, in ``user``'s scope) cases meet the condition}.

    One query; each count stops at ``COUNT_BOUND`` + 1, and reads an index (see ``Case``'s indexes): a scope
    is counted arm by arm (``scope_arms``) and added up.
    """
    held = sa.select(Case.id).where(*_held(agency, caseworker_id, unit_id))
    arms = scope_arms(user, caseworker_id, unit_id) or [sa.true()]
    counted = (bounded_count(held.where(arm, cond), COUNT_BOUND) for cond in conditions.values() for arm in arms)
    row = db.session.execute(sa.select(*counted)).one()
    sums = (min(sum(row[start : start + len(arms)]), COUNT_BOUND + 1) for start in range(0, len(row), len(arms)))
    return dict(zip(conditions, sums, strict=True))


def overdue_counts(agency, caseworker_id=None, unit_id=None, today=None):
    """{overdue kind: cases} of a caseworker, a unit or the agency, each up to ``COUNT_BOUND`` + 1."""
    return held_counts(agency, overdue_conditions(agency, today or date.today()), caseworker_id, unit_id)


def caseload_counts(agency, caseworker_id=None, unit_id=None, today=None, user=None):
    """({stage: cases}, {overdue kind: cases}) of a caseworker, a unit or the agency, in one query.

    Each count stops at ``COUNT_BOUND`` + 1; ``user`` limits the cases to their scope.
    """
    overdue = overdue_conditions(agency, today or date.today())
    conditions = {stage: Case.stage == stage for stage in Stage}
    counts = held_counts(
        agency, {**conditions, **{("overdue", kind): c for kind, c in overdue.items()}}, caseworker_id, unit_id, user
    )
    return {stage: counts[stage] for stage in Stage}, {kind: counts["overdue", kind] for kind in overdue}


def deliveries_select(case):
    """A select of the case's service deliveries, latest first, with their services and providers."""
    return (
        sa.select(ServiceDelivery)
        .where(ServiceDelivery.case_id == case.id)
        .options(joinedload(ServiceDelivery.service), joinedload(ServiceDelivery.provider_unit))
        .order_by(ServiceDelivery.delivered_on.desc(), ServiceDelivery.id.desc())
    )


def deliveries(case):
    """The case's service deliveries, latest first."""
    return db.session.scalars(deliveries_select(case)).all()


def delivered_totals(case):
    """{service_id: quantity delivered so far} for the case."""
    rows = db.session.execute(
        sa.select(ServiceDelivery.service_id, sa.func.sum(ServiceDelivery.quantity))
        .where(ServiceDelivery.case_id == case.id)
        .group_by(ServiceDelivery.service_id)
    )
    return {service_id: int(total) for service_id, total in rows}


def needs(case):
    """The case's needs with their services loaded."""
    return db.session.scalars(
        sa.select(CaseNeed)
        .where(CaseNeed.case_id == case.id)
        .options(joinedload(CaseNeed.service))
        .order_by(CaseNeed.id)
    ).all()


def timeline_select(case):
    """A select of the case's events, latest first, with who did each."""
    return (
        sa.select(CaseEvent)
        .where(CaseEvent.case_id == case.id)
        .options(joinedload(CaseEvent.actor))
        .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
    )


def timeline(case):
    """The case's events, latest first, with who did each."""
    return db.session.scalars(timeline_select(case)).all()


def notes(case):
    """The case's notes, latest first."""
    return db.session.scalars(
        sa.select(CaseNote)
        .where(CaseNote.case_id == case.id)
        .options(joinedload(CaseNote.author))
        .order_by(CaseNote.created_at.desc(), CaseNote.id.desc())
    ).all()


def attachments(case):
    """The case's attachments with their stored files, latest first."""
    return db.session.scalars(
        sa.select(CaseAttachment)
        .where(CaseAttachment.case_id == case.id)
        .options(joinedload(CaseAttachment.file), joinedload(CaseAttachment.added_by))
        .order_by(CaseAttachment.created_at.desc(), CaseAttachment.id.desc())
    ).all()


def client_cases(client):
    """Every case of a client, latest intake first."""
    return db.session.scalars(
        sa.select(Case).where(Case.client_id == client.id).order_by(Case.intake_date.desc(), Case.id.desc())
    ).all()
