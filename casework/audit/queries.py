"""Searching the audit trail: one agency's entries, newest first, narrowed by the page's filters."""

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from casework.audit.models import AuditEvent
from casework.auth.models import User
from casework.core.localtime import local_midnight


def audit_select(
    agency_id,
    username=None,
    action=None,
    object_type=None,
    object_id=None,
    date_from=None,
    date_to=None,
    address=None,
):
    """Entries written by the agency's users, with their actor loaded, narrowed by each given filter.

    ``action`` and ``address`` match a prefix ("case." finds every case
    operation, "10.0." a subnet); the dates are local (Asia/Jakarta) days,
    both included.
    """
    select = (
        sa.select(AuditEvent)
        .join(User, User.id == AuditEvent.actor_id)
        .where(User.agency_id == agency_id)
        .options(contains_eager(AuditEvent.actor))
    )
    if username:
        select = select.where(User.username == username)
    if action:
        select = select.where(AuditEvent.action.startswith(action, autoescape=True))
    if object_type:
        select = select.where(AuditEvent.object_type == object_type)
    if object_id:
        select = select.where(AuditEvent.object_id == object_id)
    if address:
        select = select.where(AuditEvent.address.startswith(address, autoescape=True))
    if date_from:
        select = select.where(AuditEvent.at >= local_midnight(date_from))
    if date_to:
        select = select.where(AuditEvent.at < local_midnight(date_to + timedelta(days=1)))
    return select
