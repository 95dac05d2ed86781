"""The caseload feed: a full download, or the delta since a cursor (``download``).

A delta holds, for the caseload as it is now:

- the records that joined it since the cursor (a case newly assigned, or
  reopened, comes with all its records and its client);
- the records of the kept members changed since the cursor's position, as
  the ``sync_change`` feed (filled by triggers) lists them;
- under ``removed``, what the device holds and must delete: the cases,
  clients and findings that left (with the cases' records), and records
  deleted meanwhile.

Removals come from comparing the cursor's membership with today's, not from
the feed, so a case that leaves by the passing of time (its last aftercare
visit made) leaves too, and a delta costs a few bytes per change, never a
list of everything held.
"""

import uuid as uuid_module
from collections import defaultdict

import sqlalchemy as sa
from flask import current_app

from casework.access import gate, rules
from casework.cases.models import Case
from casework.clients.models import Client
from casework.extensions import db
from casework.findings.models import Report
from casework.sync import caseload
from casework.sync.cursor import Cursor, decode, encode, position
from casework.sync.models import SyncChange
from casework.sync.reference import digest, reference


def _changes(cursor, now):
    """{kind: {row id: (case id, uuid)}} of the feed rows after the cursor that touch what the device holds."""
    cases = now.case_ids | cursor.case_ids
    select = (
        sa.select(SyncChange.kind, SyncChange.row_id, SyncChange.case_id, SyncChange.uuid)
        .where(
            cursor.position.after(),
            sa.or_(
                SyncChange.case_id.in_(cases),
                sa.and_(SyncChange.kind == "clients", SyncChange.row_id.in_(now.client_ids | cursor.client_ids)),
                sa.and_(SyncChange.kind == "findings", SyncChange.row_id.in_(now.report_ids | cursor.report_ids)),
            ),
        )
        .distinct()
    )
    changed = defaultdict(dict)
    for kind, row_id, case_id, row_uuid in db.session.execute(select):
        # A child row (a need, a lead) names its parent without a uuid: keep the parent's own when one is seen.
        _case_id, known_uuid = changed[kind].get(row_id, (case_id, None))
        changed[kind][row_id] = (case_id, row_uuid or known_uuid)
    return changed


def _wanted(held, now, changed, kind):
    """The ids of ``kind`` to send: the members that joined, and the kept members that changed."""
    return (now - held) | (now & set(changed[kind]))


def _device_key(row_uuid, row_id, key):
    """How the device knows a deleted record: its uuid (as stored by the trigger) or, for visits, its id."""
    return row_id if key == "id" else str(uuid_module.UUID(row_uuid))


def _case_records(changed, cursor, now, case_uuids):
    """(records, removed) of the case-bound kinds for a delta."""
    joined, kept, left = now.case_ids - cursor.case_ids, now.case_ids & cursor.case_ids, cursor.case_ids - now.case_ids
    records, removed = {}, {}
    for kind, (model, _schema, key, _options) in caseload.CASE_RECORDS.items():
        rows = changed[kind]
        touched = [row_id for row_id, (case_id, _uuid) in rows.items() if case_id in kept]
        # Records only move between cases by being deleted and added again; the case condition makes sure.
        changed_here = sa.and_(model.id.in_(touched), model.case_id.in_(kept))
        records[kind] = caseload.case_records(kind, sa.or_(model.case_id.in_(joined), changed_here), case_uuids)
        held = [row_id for row_id, (case_id, _uuid) in rows.items() if case_id in cursor.case_ids]
        existing = set(db.session.scalars(sa.select(model.id).where(model.id.in_(held))))
        gone = [_device_key(rows[row_id][1], row_id, key) for row_id in held if row_id not in existing]
        column = getattr(model, key)
        leaving = db.session.scalars(sa.select(column).where(model.case_id.in_(left)))
        removed[kind] = sorted({*gone, *(value if key == "id" else str(value) for value in leaving)}, key=str)
    return records, removed


def _uuids(model, ids):
    """The uuids (as text) of the ``model`` rows ``ids``."""
    return sorted(str(value) for value in db.session.scalars(sa.select(model.uuid).where(model.id.in_(ids))))


def _note_sensitive_views(cases, clients):
    """Audits the sending of sensitive clients and cases as views by their caseworker, as the GETs audit a view."""
    client_ids = {client.id for client in clients} | {case.client_id for case in cases}
    select = sa.select(Client.id).where(Client.id.in_(client_ids), rules.sensitive(Client.id))
    sensitive = set(db.session.scalars(select))
    for record in [*clients, *cases]:
        if (record.id if isinstance(record, Client) else record.client_id) in sensitive:
            gate.note_view(record, rules.Via.ASSIGNED)


def _assemble(user, wanted):
    """The wanted cases, clients and findings, dumped; the identities of clients the user may not read masked."""
    gate.hide_unreadable(user, wanted["clients"])
    case_rows, cases = caseload.cases(user, wanted["cases"])
    client_rows, clients = caseload.clients(wanted["clients"])
    _note_sensitive_views(case_rows, client_rows)
    return {"cases": cases, "clients": clients, "findings": caseload.findings(wanted["findings"])}


def _full(user, now):
    """Every record of the caseload ``now``."""
    case_uuids = caseload.case_uuids(now.case_ids)
    wanted = {"cases": now.case_ids, "clients": now.client_ids, "findings": now.report_ids}
    records = _assemble(user, wanted)
    for kind, (model, *_rest) in caseload.CASE_RECORDS.items():
        records[kind] = caseload.case_records(kind, model.case_id.in_(now.case_ids), case_uuids)
    return records, {kind: [] for kind in caseload.KINDS}


def _delta(user, cursor, now):
    """The records joined or changed since ``cursor``, and what the device must delete."""
    changed = _changes(cursor, now)
    case_uuids = caseload.case_uuids(now.case_ids)
    wanted = {
        "cases": _wanted(cursor.case_ids, now.case_ids, changed, "cases"),
        "clients": _wanted(cursor.client_ids, now.client_ids, changed, "clients"),
        "findings": _wanted(cursor.report_ids, now.report_ids, changed, "findings"),
    }
    records = _assemble(user, wanted)
    case_records, removed = _case_records(changed, cursor, now, case_uuids)
    records.update(case_records)
    removed["cases"] = _uuids(Case, cursor.case_ids - now.case_ids)
    removed["clients"] = _uuids(Client, cursor.client_ids - now.client_ids)
    removed["findings"] = _uuids(Report, cursor.report_ids - now.report_ids)
    return records, removed


def download(user, raw_cursor=None):
    """The feed answer for ``user``: everything without a cursor, the delta since ``raw_cursor`` with one.

    The position is read before anything else, so a change committed while
    this runs is in the next delta (perhaps sent twice, never missed).
    A bad cursor is a ``BadCursor`` (400, ``bad_cursor``).
    """
    cursor = decode(user, raw_cursor) if raw_cursor is not None else None
    at = position()
    now = caseload.members(user)
    reference_data = reference(user.agency)
    fingerprint = digest(reference_data)
    records, removed = _full(user, now) if cursor is None else _delta(user, cursor, now)
    issued = encode(user, Cursor(at, now.case_ids, now.client_ids, now.report_ids, fingerprint))
    unchanged = cursor is not None and cursor.reference == fingerprint
    return {
        "cursor": issued,
        "full": cursor is None,
        "records": {kind: records[kind] for kind in caseload.KINDS},
        "removed": {kind: removed[kind] for kind in caseload.KINDS},
        "reference": None if unchanged else reference_data,
        "settings": {"offline_max_days": current_app.config["OFFLINE_MAX_DAYS"], "user": device_user(user)},
    }


def device_user(user):
    """Who the device belongs to."""
    return {"id": user.id, "username": user.username, "role": str(user.role), "full_name": user.full_name}
