"""Applying the rule where records are fetched: refuse a restricted one, audit each view, mask list rows.

``admit`` runs at the choke points (``casework.cases.queries.readable_case``,
``casework.clients.queries.readable_client``): a sensitive record the user may
not read is a ``Restricted`` refusal, for reads and writes alike; a read of
one they may read writes a ``case.viewed`` / ``client.viewed`` audit row, which
``commit_views`` commits after the response (GET views commit nothing else).
"""

from flask import g, has_request_context, request
from flask_babel import gettext as _

from casework.access import rules
from casework.audit.services import record
from casework.core.errors import Restricted
from casework.core.masking import hide_identities
from casework.extensions import db

READS = frozenset({"GET", "HEAD"})


def restricted_message():
    """What a user is told about a sensitive record they may not read."""
    return _(
        "Kasus ini bersifat rahasia. Hanya pekerja sosial yang menangani, supervisor unitnya dan peran yang "
        "ditunjuk yang dapat membacanya. Dalam keadaan darurat, minta akses darurat dengan alasan yang jelas."
    )


def admit(user, client_id, obj):
    """Lets ``user`` go on with ``obj`` (a client, or a case of client ``client_id``), or raises ``Restricted``.

    Returns why they may read it (a ``rules.Via``), or None when it is not sensitive.
    """
    is_sensitive, via = rules.access(user, client_id)
    if not is_sensitive:
        return None
    if via is None:
        raise Restricted(restricted_message(), record=obj)
    if has_request_context() and request.method in READS:
        note_view(obj, via)
    return via


def note_view(obj, via):
    """Audits one view of the sensitive ``obj`` (once per record and request); committed after the response."""
    viewed = g.setdefault("viewed_records", set())
    key = (obj.__tablename__, obj.id)
    if key in viewed:
        return
    viewed.add(key)
    action = "case.viewed" if obj.__tablename__ == "case_file" else "client.viewed"
    record(action, obj, via=str(via))


def commit_views(response):
    """After a successful read, commits the view audit rows it wrote (a refused or failed one rolled back)."""
    if g.get("viewed_records") and request.method in READS and response.status_code < 400:
        db.session.commit()
    return response


def hide_unreadable(user, client_ids):
    """Masks, for this request, the identity of the clients among ``client_ids`` that ``user`` may not read."""
    hide_identities(rules.hidden(user, client_ids))
