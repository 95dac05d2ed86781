"""Reading referrals: one agency's referral by UUID, a case's referrals, and what waits on whom (overdue first).

"Overdue" is one SQL condition: a referral waiting for the supervisor's
decision, or for the receiver's answer, longer than the agency's
``referral_due_days``.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from casework.access.gate import admit_case
from casework.cases.models import Case
from casework.core.lookup import agency_record
from casework.core.types import utcnow
from casework.extensions import db
from casework.referrals.models import DestinationKind, Referral, ReferralStatus

# What a referral page or list shows with each referral.
LOADED = (
    joinedload(Referral.case).joinedload(Case.client),
    joinedload(Referral.to_unit),
    joinedload(Referral.to_region),
    joinedload(Referral.proposed_by),
    selectinload(Referral.services),
)


def readable_referral(user, referral_uuid):
    """The referral ``referral_uuid`` of ``user``'s agency; another agency's is missing to us.

    The receiving unit reads it (to answer it); anyone else only if they may read its case (``admit_case``).
    """
    referral = agency_record(Referral, user.agency_id, referral_uuid, _("Rujukan tidak ditemukan."), LOADED)
    if referral.to_unit_id is None or referral.to_unit_id != user.unit_id:
        admit_case(user, referral.case)
    return referral


def waiting_since():
    """The SQL expression of when a referral started waiting: its proposal, or its approval."""
    return sa.case((Referral.status == ReferralStatus.PROPOSED, Referral.proposed_at), else_=Referral.decided_at)


def overdue_condition(agency, now=None):
    """A referral of ``agency`` waiting for a decision or an answer longer than the agency's limit."""
    limit = (now or utcnow()) - timedelta(days=agency.referral_due_days)
    return (Referral.agency_id == agency.id) & (
        ((Referral.status == ReferralStatus.PROPOSED) & (Referral.proposed_at < limit))
        | ((Referral.status == ReferralStatus.APPROVED) & (Referral.decided_at < limit))
    )


def _listed(condition):
    """The referrals matching ``condition``, longest waiting first, with what a list shows."""
    return db.session.scalars(
        sa.select(Referral).where(condition).options(*LOADED).order_by(waiting_since(), Referral.id)
    ).all()


def case_referrals(case):
    """The case's referrals, latest first."""
    return db.session.scalars(
        sa.select(Referral)
        .where(Referral.case_id == case.id)
        .options(*LOADED)
        .order_by(Referral.proposed_at.desc(), Referral.id.desc())
    ).all()


def waiting_for_decision(agency):
    """The agency's referrals waiting for a supervisor's decision, oldest first."""
    return _listed((Referral.agency_id == agency.id) & (Referral.status == ReferralStatus.PROPOSED))


def overdue(agency, now=None):
    """The agency's overdue referrals, oldest first."""
    return _listed(overdue_condition(agency, now))


def waiting_for_answer(user):
    """Approved referrals ``user`` answers: to their unit, or to an outside receiver on a case they hold."""
    to_unit = (Referral.destination_kind == DestinationKind.UNIT) & (Referral.to_unit_id == user.unit_id)
    outside = (Referral.destination_kind != DestinationKind.UNIT) & Referral.case_id.in_(
        sa.select(Case.id).where(Case.caseworker_id == user.id)
    )
    return _listed(
        (Referral.agency_id == user.agency_id) & (Referral.status == ReferralStatus.APPROVED) & (to_unit | outside)
    )


def overdue_ids(agency, referral_ids, now=None):
    """The ids among ``referral_ids`` that are overdue (one query)."""
    if not referral_ids:
        return set()
    condition = overdue_condition(agency, now) & Referral.id.in_(referral_ids)
    return set(db.session.scalars(sa.select(Referral.id).where(condition)))
