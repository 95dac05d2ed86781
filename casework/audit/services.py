"""Recording audit events."""

from flask import has_request_context, request
from flask_login import current_user

from casework.audit.models import AuditEvent
from casework.core.rows import append_row
from casework.extensions import db


def client_address():
    """The caller's address, or None outside a request."""
    return request.remote_addr if has_request_context() else None


def record(action, obj=None, actor=None, **details):
    """Adds an audit row for ``action`` on ``obj`` to the current transaction.

    The actor defaults to the signed-in user. The row is inserted at once
    (``append_row``), in the session's transaction: the caller commits, so the
    row lands together with the change it describes, or not at all.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        object_type=obj.__tablename__ if obj is not None else None,
        object_id=str(_primary_key(obj)) if obj is not None else None,
        address=client_address(),
        details=details,
    )
    return append_row(event)


def _primary_key(obj):
    """The object's primary key, flushing first if it has none yet."""
    identity = db.inspect(obj).identity
    if identity is None:
        db.session.flush()
        identity = db.inspect(obj).identity
    return identity[0] if len(identity) == 1 else "/".join(str(part) for part in identity)
