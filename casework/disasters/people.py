"""An affected person and the registry: likely clients, linking one, and opening a case with one action.

Likely clients are looked for when the household page is shown, never while
registering (registration stays fast); a person with a NIK was linked to its
holder when registered. A case is opened for a person whose situation needs
ongoing work (an unaccompanied child, a neglected elderly person): the person
becomes a client if not linked yet (the registry's duplicate check applies,
and may be confirmed), a case is opened with intake channel "emergency" at
the site's village (or the household's), the person keeps the case, and the
case's timeline names the disaster event. Client, case and link are one
savepoint: a refusal leaves nothing behind.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.audit.services import record
from casework.cases.intake import open_case
from casework.cases.models import Case, IntakeChannel
from casework.cases.timeline import log_event
from casework.clients.matching import Probe, likely_duplicates
from casework.clients.models import Client
from casework.clients.services import register_client
from casework.core.errors import Conflict, NotFound, ValidationFailed, check_version, flush_versioned
from casework.core.localtime import local_today
from casework.core.lookup import agency_record
from casework.core.validation import flag
from casework.disasters.events import stale_message
from casework.disasters.models import AffectedPerson, DisasterEvent
from casework.extensions import db
from casework.org.models import Agency


def event_of(person):
    """The person's disaster event."""
    return db.session.get(DisasterEvent, person.event_id)


def probe(person):
    """What the matcher compares of ``person``: name, sex, birth date or estimated year, village."""
    birth_year = None
    if person.birth_date is None and person.age_years is not None:
        birth_year = person.registered_at.year - person.age_years
    return Probe(
        full_name=person.name,
        sex=person.sex,
        birth_date=person.birth_date,
        birth_year=birth_year,
        birth_year_estimated=birth_year is not None,
        origin_region_code=person.region_code,
    )


def likely_clients(agency_id, people, limit=3):
    """{person id: [Match]} of the agency's clients each unlinked person may be, best first."""
    return {
        person.id: likely_duplicates(agency_id, probe(person), limit=limit)
        for person in people
        if person.client_id is None and person.name
    }


def _client(agency_id, value):
    """The agency's unmerged client with UUID ``value``; a 422 on ``client_uuid`` otherwise."""
    missing = _("Klien tidak ditemukan.")
    try:
        client = agency_record(Client, agency_id, value, missing)
    except NotFound:
        client = None
    if client is None or client.merged_into_id is not None:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields={"client_uuid": [missing]})
    return client


def _refuse_client_of_another(person, client):
    """One client is one person of an event: refuses a client already linked to someone else there."""
    other = db.session.scalar(
        sa.select(AffectedPerson.name).where(
            AffectedPerson.event_id == person.event_id,
            AffectedPerson.client_id == client.id,
            AffectedPerson.id != person.id,
        )
    )
    if other is not None:
        raise ValidationFailed(
            _("Periksa kembali isian yang ditandai."),
            fields={"client_uuid": [_("Klien ini sudah terhubung dengan %(name)s di bencana ini.", name=other)]},
        )


def link_client(person, actor, version, client_uuid):
    """Links ``person`` to the agency's client with ``client_uuid`` ("Sama dengan klien …") at ``version``."""
    check_version(person, version, stale_message())
    if person.client_id is not None:
        raise Conflict(_("Orang ini sudah terhubung dengan klien."))
    client = _client(event_of(person).agency_id, client_uuid)
    _refuse_client_of_another(person, client)
    person.client_id = client.id
    flush_versioned(stale_message)
    record("disaster.person_linked", person, actor=actor, client=client.id)
    db.session.flush()
    return person


def _new_client_values(person):
    """A new client's values from what was registered of the person."""
    values = {
        "full_name": person.name,
        "sex": person.sex.value if person.sex else None,
        "birth_date": person.birth_date,
        "nik": person.nik,
        "kk_number": person.household.kk_number,
        "address": person.household.address,
        "domicile_region_code": person.region_code,
    }
    if person.birth_date is None and person.age_years is not None:
        values["birth_year"] = person.registered_at.year - person.age_years
        values["birth_year_estimated"] = True
    return values


def case_from_person(person, actor, version, data, today=None):
    """Opens a case for ``person`` with one action; returns the case.

    ``data`` may hold ``client_uuid`` (a client to link first, when the
    person is not linked), ``confirm_new`` (register a new client although
    it looks like one already registered), ``circumstances``, and the case's
    ``unit_id``/``caseworker_id``; ``uuid`` makes a retry return the case.
    """
    today = today or local_today()
    event = event_of(person)
    agency = db.session.get(Agency, event.agency_id)
    if person.case_id is not None:
        number = db.session.get(Case, person.case_id).number
        raise Conflict(_("Orang ini sudah punya kasus %(number)s.", number=number))
    check_version(person, version, stale_message())
    with db.session.begin_nested():
        if person.client_id is not None:
            client = db.session.get(Client, person.client_id)
        elif data.get("client_uuid"):
            client = _client(event.agency_id, data["client_uuid"])
            _refuse_client_of_another(person, client)
        else:
            client, _created = register_client(
                agency, actor, _new_client_values(person), confirm_new=flag(data.get("confirm_new")), today=today
            )
        intake = _intake(person, event, data, today)
        case, _created = open_case(agency, actor, client, intake, uuid=data.get("uuid"), today=today)
        log_event(case, "disaster_linked", actor, disaster=str(event.uuid), disaster_number=event.number)
        person.client_id, person.case_id = client.id, case.id
        flush_versioned(stale_message)
    record("disaster.person_case_opened", person, actor=actor, case=case.id, client=client.id)
    db.session.flush()
    return case


def _intake(person, event, data, today):
    """The case's intake: emergency, today, at the site's village (else the household's), the site as the place."""
    site = person.site
    default = _("Korban bencana %(number)s (%(name)s).", number=event.number, name=event.name)
    return {
        "intake_channel": IntakeChannel.EMERGENCY.value,
        "intake_date": today,
        "intake_region_code": site.region_code if site else person.region_code,
        "intake_place": site.name if site else person.household.address,
        "circumstances": (data.get("circumstances") or "").strip() or default,
        "unit_id": data.get("unit_id"),
        "caseworker_id": data.get("caseworker_id"),
    }
