"""Helpers shared by the reference-data tests."""

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.extensions import db


def by_slug(model, slug):
    """The row of ``model`` with ``slug``."""
    return db.session.scalar(sa.select(model).where(model.slug == slug))


def audit_rows(action):
    """The audit rows recorded for ``action``, oldest first."""
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()
