"""Anonymising clients whose cases all ended longer ago than the agency's retention, in place.

What the official figures count stays: sex, birth year, categories with their
dates, region codes, case dates, stages and outcomes, needs, stays and
service deliveries. What names or describes the person goes: the client's
name (``Anonim-<id>``), aliases, NIK, KK, phone, address, mother's name, place
and day of birth, photo and name tokens; the free text of every row that
``PersonScope`` finds for them (notes, tracing, reunification, return plans,
referrals, transfers, findings, disaster registrations…), their case notes,
and their attachments with the stored files.

A client is eligible when they have at least one case, every case was
terminated (aftercare included) on a day before the cut-off, and no referral
or transfer of theirs is still pending; a client merged into another follows
the survivor. A ``ClientAnonymisation`` row marks each one, so a second run
changes nothing.
"""

import sqlalchemy as sa

from casework.audit.services import record
from casework.cases.models import CLOSED_STAGES, Case
from casework.clients.models import Client
from casework.extensions import db
from casework.files.storage import path_of
from casework.privacy.models import ClientAnonymisation
from casework.privacy.scope import CLIENT_TABLE, PersonScope
from casework.referrals.models import Referral, ReferralStatus
from casework.transfers.models import PENDING_TRANSFER, CaseTransfer

# Written over removed text where the column must keep a value (NOT NULL, or a CHECK needs one).
MARKER = "[dihapus]"
# The free-text columns of the person's rows in each table (``client`` is handled on its own).
SCRUBBED = {
    "client_consent": ("note",),
    "client_merge": ("reason", "undo_reason"),
    "affected_person": ("name", "nik"),
    "aftercare_visit": ("notes",),
    "case_closure": ("termination_notes", "decision_reason"),
    "case_file": ("intake_place", "circumstances", "condition", "plan_goals", "termination_notes"),
    "case_transfer": ("reason", "handover_items", "decision_note", "answer_note"),
    "referral": ("reason", "consent_notes", "decision_note", "answer_note", "result"),
    "report": (
        "reporter_name",
        "reporter_contact",
        "description",
        "place",
        "person_name",
        "person_details",
        "decision_note",
    ),
    "report_event": ("note",),
    "return_plan": (
        "from_place",
        "to_address",
        "escort_name",
        "family_name",
        "family_relationship",
        "notes",
        "received_by",
        "arrival_notes",
    ),
    "service_delivery": ("notes",),
    "tracing_request": ("sought_name", "last_known_place", "result_notes"),
    "tracing_lead": ("action", "result"),
    "reunification": ("member_name", "address", "safety_note"),
    "followup_visit": ("finding", "notes"),
    "disaster_assistance": ("note",),
    # Why someone opened a restricted record: may name the person; who, when and which client stay.
    "break_glass_grant": ("reason",),
}
# Text columns of the person's tables that hold no personal data: codes, numbers, ids, names of agencies and
# units. A test fails on any text column of a table holding a person that is in neither list.
KEPT = {
    "client": ("domicile_region_code", "origin_region_code"),
    "case_file": ("number", "intake_region_code"),
    "client_merge": ("moved", "left"),
    "affected_person": ("region_code",),
    "case_event": ("kind",),
    "case_transfer": ("from_case_number", "to_case_number"),
    "referral": ("number", "to_agency_name", "to_region_code"),
    "report": ("number", "region_code", "forwarded_to_name"),
    "report_event": ("kind", "data"),
    "return_plan": ("from_region_code", "to_region_code", "origin_agency_name"),
    "service_delivery": ("unit_label", "provider_name"),
    "tracing_request": ("last_known_region_code",),
    "disaster_assistance": ("unit",),
    "reunification": ("region_code",),
}
# JSON columns whose named keys are free text or identity: {table: (column, keys)}.
JSON_KEYS = {
    "case_event": ("details", ("reason",)),
    "case_transfer": ("snapshot", ("client_name", "client_nik", "condition", "plan_goals")),
}
CLIENT_CLEARED = ("aliases", "nik", "kk_number", "phone", "address", "mother_name", "place_of_birth", "birth_date")
# Rows removed outright: the words of the name, the notes, and the rows pointing at removed files.
DELETED = ("client_name_token", "case_note", "case_attachment", "report_photo")
PENDING_REFERRAL = (ReferralStatus.PROPOSED, ReferralStatus.APPROVED, ReferralStatus.ACCEPTED)


def eligible_clients(agency_id, before):
    """A select of the ids of the agency's clients eligible when cases must have ended before ``before``."""
    own = Case.client_id == Client.id
    # Aftercare lasts 36 months at most, less than the shortest retention allowed: such a case has ended.
    unfinished = sa.or_(Case.stage.not_in(CLOSED_STAGES), Case.terminated_on >= before)
    pending_referral = sa.select(Referral.id).join(Case, Referral.case_id == Case.id)
    pending_transfer = sa.select(CaseTransfer.id).join(Case, CaseTransfer.case_id == Case.id)
    return (
        sa.select(Client.id)
        .where(
            Client.agency_id == agency_id,
            Client.merged_into_id.is_(None),
            sa.exists(sa.select(Case.id).where(own)),
            ~sa.exists(sa.select(Case.id).where(own, unfinished)),
            ~sa.exists(pending_referral.where(own, Referral.status.in_(PENDING_REFERRAL))),
            ~sa.exists(pending_transfer.where(own, CaseTransfer.status.in_(PENDING_TRANSFER))),
            ~sa.exists(sa.select(ClientAnonymisation.client_id).where(ClientAnonymisation.client_id == Client.id)),
        )
        .order_by(Client.id)
    )


def cleared_value(table, name):
    """What a removed text becomes: NULL where the column allows it and no CHECK names it, else ``MARKER``."""
    column = table.c[name]
    checked = any(
        isinstance(constraint, sa.CheckConstraint) and name in str(constraint.sqltext)
        for constraint in table.constraints
    )
    if column.nullable and not checked:
        return None
    return sa.case((column.is_(None), sa.null()), else_=sa.literal(MARKER))


def scrub(table, condition):
    """Removes the free text of ``table``'s rows meeting ``condition``."""
    values = {name: cleared_value(table, name) for name in SCRUBBED[table.name]}
    db.session.execute(sa.update(table).where(condition).values(values).execution_options(synchronize_session=False))


def _scrub_json(scope):
    """Removes the free-text and identity keys (``JSON_KEYS``) from the person's timeline events and transfers."""
    for name, (column_name, keys) in JSON_KEYS.items():
        table = db.metadata.tables[name]
        column = table.c[column_name]
        rows = db.session.execute(sa.select(table.c.id, column).where(scope.condition(table))).all()
        for row_id, value in rows:
            if value and any(value.get(key) for key in keys):
                kept = {**value, **{key: MARKER for key in keys if value.get(key)}}
                db.session.execute(sa.update(table).where(table.c.id == row_id).values({column_name: kept}))


def remove_files(scope):
    """Deletes the person's stored-file rows (photo, attachments, report photos); returns their storage keys.

    The bytes are deleted by ``delete_stored`` once the transaction commits.
    """
    files = db.metadata.tables["stored_file"]
    found = db.session.execute(sa.select(files.c.id, files.c.storage_key).where(scope.condition(files))).all()
    for table, column in scope.file_links():
        if table.name not in DELETED:
            db.session.execute(
                sa.update(table)
                .where(scope.condition(table))
                .values({column.name: None})
                .execution_options(synchronize_session=False)
            )
    for name in DELETED:
        table = db.metadata.tables[name]
        db.session.execute(sa.delete(table).where(scope.condition(table)).execution_options(synchronize_session=False))
    if found:
        db.session.execute(sa.delete(files).where(files.c.id.in_([file_id for file_id, _key in found])))
    return [key for _id, key in found]


def delete_stored(keys):
    """Deletes stored files' bytes from disk (after the commit that removed their rows)."""
    for key in keys:
        path_of(key).unlink(missing_ok=True)


def anonymise_clients(client_ids, actor=None):
    """Anonymises the clients ``client_ids`` (and the records merged into them); returns storage keys to delete."""
    done = sa.select(ClientAnonymisation.client_id).where(ClientAnonymisation.client_id == Client.id)
    merged_into = sa.select(Client.id).where(Client.merged_into_id.in_(client_ids), ~sa.exists(done))
    merged = db.session.scalars(merged_into).all()
    people = db.session.scalars(sa.select(Client).where(Client.id.in_([*client_ids, *merged]))).all()
    scope = PersonScope([person.id for person in people])
    _scrub_json(scope)
    # Every other table before ``client``: a disaster registration is found by the NIK about to be cleared.
    for table in scope.tables:
        if table.name in SCRUBBED:
            scrub(table, scope.condition(table))
    keys = remove_files(scope)
    client = db.metadata.tables[CLIENT_TABLE]
    values = dict.fromkeys(CLIENT_CLEARED)
    values.update(
        full_name=sa.literal("Anonim-") + sa.cast(client.c.id, sa.String),
        version=client.c.version + 1,
    )
    db.session.execute(
        sa.update(client).where(scope.condition(client)).values(values).execution_options(synchronize_session=False)
    )
    for person in people:
        db.session.add(ClientAnonymisation(client_id=person.id))
        record("privacy.client_anonymised", person, actor=actor)
    db.session.flush()
    db.session.expire_all()
    return keys
