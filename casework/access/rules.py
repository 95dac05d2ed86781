"""The rule for sensitive records, as SQL: one query for one record, one query for a page of rows.

A client is sensitive while it holds a sensitive category (``until`` empty or
not passed); its cases are sensitive with it. A user reads a sensitive
client, and its cases, when they are the caseworker of one of its cases, a
supervisor of the unit of one of its cases, hold ``records.sensitive``, or
hold an unexpired break-glass grant for the client. Until its first case
is opened, the staff member who registered the client reads it too (else
nobody could open that first case).
"""

from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import with_expression

from casework.access.models import BreakGlassGrant
from casework.auth.models import Role
from casework.cases.models import Case
from casework.clients.models import Client, ClientCategory
from casework.core.localtime import local_today
from casework.core.permissions import can
from casework.core.types import utcnow
from casework.extensions import db
from casework.reference.models import Category

PERMISSION = "records.sensitive"


class Via(StrEnum):
    """Why a user may read a sensitive record (kept in the view's audit row)."""

    ASSIGNED = "assigned"
    SUPERVISOR = "supervisor"
    REGISTERED = "registered"
    ROLE = "role"
    BREAK_GLASS = "break_glass"


def sensitive(client_id, today=None):
    """SQL: the client ``client_id`` (a value or a column) holds a sensitive category today."""
    today = today or local_today()
    return sa.exists().where(
        ClientCategory.client_id == client_id,
        ClientCategory.category_id == Category.id,
        Category.sensitive.is_(True),
        sa.or_(ClientCategory.until.is_(None), ClientCategory.until >= today),
    )


def with_sensitive_today(model, client_id):
    """The loader option filling ``model.sensitive_today`` (a case's or a client's) with its query."""
    return with_expression(model.sensitive_today, sensitive(client_id))


def _reasons(user, client_id, now=None):
    """{Via: SQL condition} of the reasons ``user`` may read the client ``client_id`` (a query of ``Client``)."""
    now = now or utcnow()
    supervised = sa.false()
    if user.role == Role.SUPERVISOR and user.unit_id:
        supervised = sa.exists().where(Case.client_id == client_id, Case.unit_id == user.unit_id)
    return {
        Via.ASSIGNED: sa.exists().where(Case.client_id == client_id, Case.caseworker_id == user.id),
        Via.SUPERVISOR: supervised,
        Via.REGISTERED: sa.and_(Client.created_by_id == user.id, ~sa.exists().where(Case.client_id == client_id)),
        Via.BREAK_GLASS: sa.exists().where(
            BreakGlassGrant.user_id == user.id,
            BreakGlassGrant.client_id == client_id,
            BreakGlassGrant.expires_at > now,
        ),
    }


def access(user, client_id, now=None, today=None, known=None, assigned=False):
    """(is the client sensitive, why ``user`` may read it or None).

    ``known``: whether the client is sensitive today, when it was loaded with
    the record (``sensitive_today``); else one small query finds out. For a
    client that is not sensitive (most are) the reason is None and means
    nothing; for one that is, a second query finds why it may be read, unless
    ``assigned`` says the record is a case of the client that ``user`` holds:
    then the first reason is known without asking.
    """
    if not (known if known is not None else db.session.scalar(sa.select(sensitive(client_id, today)))):
        return False, None
    if assigned:
        return True, Via.ASSIGNED
    reasons = _reasons(user, Client.id, now)
    row = db.session.execute(sa.select(*reasons.values()).where(Client.id == client_id)).one()
    held = [via for via, granted in zip(reasons, row, strict=True) if granted]
    if can(user, PERMISSION):
        # Break glass is the last resort: a named role reads without it.
        held = [via for via in held if via != Via.BREAK_GLASS] + [Via.ROLE]
    return True, held[0] if held else None


def hidden(user, client_ids, now=None, today=None):
    """The ids among ``client_ids`` of sensitive clients ``user`` may not read, in one query for the whole page."""
    client_ids = set(client_ids)
    if not client_ids or can(user, PERMISSION):
        return set()
    select = sa.select(Client.id).where(Client.id.in_(client_ids), hidden_condition(user, Client.id, now, today))
    return set(db.session.scalars(select))


def hidden_condition(user, client_id, now=None, today=None):
    """SQL: the client ``client_id`` (a column) is sensitive and ``user`` may not read it (for exports)."""
    if can(user, PERMISSION):
        return sa.false()
    return sa.and_(sensitive(client_id, today), ~sa.or_(*_reasons(user, client_id, now).values()))
