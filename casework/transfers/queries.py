"""Reading transfers: an agency's outgoing and incoming lists, and what waits for a supervisor."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from casework.cases.models import Case
from casework.transfers.models import CaseTransfer, TransferStatus

# What the receiving agency sees: transfers its sender's supervisor approved, and their outcome.
RECEIVER_STATUSES = (TransferStatus.APPROVED, TransferStatus.ACCEPTED, TransferStatus.DECLINED)


def _with_people(select):
    """``select`` of transfers loading what the lists show, in one query."""
    return select.options(
        joinedload(CaseTransfer.case).joinedload(Case.client),
        joinedload(CaseTransfer.from_agency),
        joinedload(CaseTransfer.to_agency),
        joinedload(CaseTransfer.proposed_by),
    ).order_by(CaseTransfer.proposed_at.desc(), CaseTransfer.id.desc())


def outgoing(agency_id, status=None):
    """A select of the transfers agency ``agency_id`` proposed, latest first, of ``status`` when given."""
    select = sa.select(CaseTransfer).where(CaseTransfer.from_agency_id == agency_id)
    if status:
        select = select.where(CaseTransfer.status == TransferStatus(status))
    return _with_people(select)


def incoming(agency_id, status=None):
    """A select of the approved transfers to agency ``agency_id``, latest first, of ``status`` when given."""
    select = sa.select(CaseTransfer).where(
        CaseTransfer.to_agency_id == agency_id, CaseTransfer.status.in_(RECEIVER_STATUSES)
    )
    if status:
        select = select.where(CaseTransfer.status == TransferStatus(status))
    return _with_people(select)


def awaiting_approval(user):
    """A select of the agency's proposed transfers ``user`` may decide (not their own proposals)."""
    return outgoing(user.agency_id, TransferStatus.PROPOSED).where(CaseTransfer.proposed_by_id != user.id)


def awaiting_acceptance(user):
    """A select of the approved transfers waiting for ``user``'s agency to answer."""
    return incoming(user.agency_id, TransferStatus.APPROVED)
