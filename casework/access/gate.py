"""Applying the rules where records are fetched: refuse a restricted one, audit each view, mask list rows.

``admit_case`` and ``admit`` run at the choke points (``casework.cases.queries.readable_case``,
``casework.clients.queries.readable_client``, and the records reached by their own
UUID: referrals, transfers, files): a case outside the user's
work scope (``scope``) is an ``OutOfScope`` refusal, a sensitive record the user
may not read a ``Restricted`` one, for reads and writes alike; a read of a
sensitive record they may read writes a ``case.viewed`` / ``client.viewed`` audit
row, which ``commit_views`` commits after the response (GET views commit nothing else).
"""

from flask import g, has_request_context, request
from flask_babel import gettext as _

from casework.access import rules, scope
from casework.audit.services import record
from casework.core.errors import OutOfScope, Restricted
from casework.core.masking import hide_identities
from casework.extensions import db

READS = frozenset({"GET", "HEAD"})


def restricted_message():
    """What a user is told about a sensitive record they may not read."""
    return _(
        "Kasus ini bersifat rahasia. Hanya pekerja sosial yang menangani, supervisor unitnya dan peran yang "
        "ditunjuk yang dapat membacanya. Dalam keadaan darurat, minta akses darurat dengan alasan yang jelas."
    )


def out_of_scope_message():
    """What a user is told about a case of their agency outside their work scope."""
    return _(
        "Kasus ini ditangani unit atau wilayah lain, di luar cakupan kerja Anda. Minta supervisor untuk "
        "menugaskan atau merujuknya ke unit Anda; dalam keadaan darurat, minta akses darurat dengan alasan yang jelas."
    )


def admit_case(user, case):
    """Lets ``user`` go on with ``case``, or raises ``OutOfScope`` / ``Restricted``; returns ``admit``'s answer."""
    if not scope.in_scope(user, case):
        raise OutOfScope(out_of_scope_message(), record=case)
    return admit(user, case.client_id, case, assigned=case.caseworker_id == user.id)


def refusal(user, case):
    """The refusal ``user`` gets for ``case`` (``OutOfScope`` or ``Restricted``), or None when they may read it."""
    try:
        admit_case(user, case)
    except Restricted as error:
        return error
    return None


def admit(user, client_id, obj, assigned=False):
    """Lets ``user`` go on with ``obj`` (a client, or a case of client ``client_id``), or raises ``Restricted``.

    ``assigned``: ``obj`` is a case ``user`` holds (``rules.access``). Returns why they may read it (a
    ``rules.Via``), or None when it is not sensitive.
    """
    is_sensitive, via = rules.access(user, client_id, known=getattr(obj, "sensitive_today", None), assigned=assigned)
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
