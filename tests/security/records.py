"""One agency with a record of every kind a URL can name, built through the services, for the authorisation matrix.

``build_agency`` is called once per agency (A in scope, B out of scope, the same shape); it returns
``Records``: the users by role, a bearer token per role, and ``keys``, the value of every URL variable.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from casework.aftercare.models import AftercareVisit
from casework.aftercare.services import record_exit_assessment
from casework.aftercare.variables import DEFAULT_VARIABLES
from casework.auth.models import Role, ScopeKind
from casework.auth.services import issue_token
from casework.cases.attachments import add_attachment
from casework.cases.intake import open_case
from casework.cases.models import CaseEvent
from casework.clients.identity import compose_nik
from casework.clients.merging import merge_clients
from casework.clients.models import Sex
from casework.clients.services import register_client
from casework.closure.services import approve_closure, propose_closure
from casework.core.localtime import local_today
from casework.disasters.events import create_event
from casework.disasters.models import AffectedPerson
from casework.disasters.registration import register_household
from casework.disasters.sites import add_site
from casework.extensions import db
from casework.figures import population
from casework.figures.close import close_month, previous_month
from casework.figures.csv_import import store_pending
from casework.findings.services import submit_complaint, submit_finding
from casework.imports import services as imports
from casework.notifications.models import Notification
from casework.org.models import Agency, UnitKind
from casework.privacy.consent import record_consent
from casework.reference.models import Service
from casework.referrals import services as referrals
from casework.sync.models import PendingUpload
from casework.tracing import services as tracing
from casework.transfers import returns
from casework.transfers.services import propose_transfer
from tests.factories import Factories
from tests.files.samples import PDF
from tests.security.matrix import CASE_RECORDS

TODAY = date.today()
DISTRICT = "32.75.07"  # Bantargebang, Kota Bekasi: the volunteer's scope and where the clients live
VILLAGE = "32.75.07.1004"


@dataclass
class Records:
    """What one agency holds: users and tokens by role, and the key of each record by URL variable name."""

    agency_id: int
    users: dict = field(default_factory=dict)  # Role → user id
    tokens: dict = field(default_factory=dict)  # Role → bearer token
    keys: dict = field(default_factory=dict)  # record name → URL value; per-role ones are {Role: value}


def _day(offset):
    """The ISO date ``offset`` days from today."""
    return (TODAY + timedelta(days=offset)).isoformat()


def _users(make, records, agency):
    """An office, a shelter and a district unit; one user per role (the volunteer scoped to the district)."""
    office = make.unit(agency=agency, name="Bidang Rehsos")
    shelter = make.unit(agency=agency, name="Rumah Singgah", kind=UnitKind.RUMAH_SINGGAH, capacity=20)
    district = make.unit(
        agency=agency, name="Satpel Bantargebang", kind=UnitKind.DISTRICT_UNIT, region_code=DISTRICT, parent=office
    )
    users = {}
    for role in Role:
        if role == Role.VOLUNTEER:
            users[role] = make.user(role=role, unit=district, scope_kind=ScopeKind.DISTRICTS, regions=[DISTRICT])
        else:
            users[role] = make.user(role=role, unit=office)
    records.users = {role: user.id for role, user in users.items()}
    records.keys["unit"] = office.id
    records.keys["user"] = users[Role.CASEWORKER].id
    return users, shelter


def _tokens(records, users):
    """A bearer token per role (also the token each may revoke), and the caseworker's for the admin's page."""
    ids = {}
    for role, user in users.items():
        token_row, token = issue_token(user, "Matriks uji")
        records.tokens[role] = token
        ids[role] = token_row.id
    records.keys["own_token"] = ids
    records.keys["user_token"] = ids[Role.CASEWORKER]


def _client(agency, actor, name, serial):
    """Registers a client living in the volunteer's district."""
    data = {
        "full_name": name,
        "sex": "male",
        "nik": compose_nik(DISTRICT, date(1980, 1, 2), Sex.MALE, serial),
        "domicile_region_code": VILLAGE,
    }
    client, _created = register_client(agency, actor, data, confirm_new=True)
    return client


def _case(agency, actor, client, intake_days_ago=20):
    """Opens a case for ``client``."""
    data = {"intake_channel": "outreach", "intake_date": _day(-intake_days_ago)}
    case, _created = open_case(agency, actor, client, data)
    return case


def _cases(records, agency, users, shelter, receiver_id, serial):
    """Cases with a note, an attachment, a pending closure, a referral, a transfer, tracing, a return, a reunion."""
    worker, boss = users[Role.CASEWORKER], users[Role.SUPERVISOR]
    client = _client(agency, worker, "Budi Santoso", serial)
    case = _case(agency, worker, client)
    attachment, _ = add_attachment(case, worker, PDF, {}, filename="surat.pdf")
    request, _ = tracing.open_request(
        case,
        worker,
        {
            "sought_name": "Siti Aminah",
            "kinship": "mother",
            "last_known_place": "Kampung Cibeureum",
            "last_known_region_code": DISTRICT,
            "opened_on": _day(-19),
        },
    )
    plan, _ = returns.plan_return(
        case,
        worker,
        {
            "from_place": "Terminal Bekasi",
            "to_region_code": "32.73.01.1001",
            "travel_date": _day(5),
            "travel_mode": "bus",
            "escort_name": "Pak Joko",
            "handover": "family",
            "family_name": "Ibu Sumarni",
            "family_relationship": "ibu kandung",
        },
    )
    referral, _ = referrals.propose(
        case,
        worker,
        {
            "destination_kind": "unit",
            "to_unit_id": shelter.id,
            "service_ids": [db.session.scalar(sa.select(Service.id).where(Service.slug == "permakanan"))],
            "reason": "Klien perlu tempat tinggal sementara yang aman.",
            "urgency": "urgent",
            "consent_given": True,
        },
    )
    closure, _ = propose_closure(case, worker, case.version, {"outcome": "refused", "terminated_on": _day(-1)})
    moving = _case(agency, worker, _client(agency, worker, "Joko Susilo", serial + 1))
    transfer, _ = propose_transfer(moving, worker, {"to_agency_id": receiver_id, "reason": "Klien berasal dari luar."})
    records.keys.update(
        client=str(client.uuid),
        case=str(case.uuid),
        file=str(attachment.file.uuid),
        tracing_request=str(request.uuid),
        return_plan=str(plan.uuid),
        referral=str(referral.uuid),
        closure=str(closure.uuid),
        transfer=str(transfer.uuid),
    )
    _reunion(records, agency, worker, serial + 2)
    _aftercare(records, agency, worker, boss, serial + 3)
    _notifications(records, users, case)
    consent, _ = record_consent(
        client, worker, {"purpose": "referral", "given": "yes", "recorded_on": local_today(), "method": "signed_form"}
    )
    records.keys["consent"] = consent.id


def _reunion(records, agency, worker, serial):
    """A case whose client went home after a tracing request found the family: its first follow-up visit."""
    case = _case(agency, worker, _client(agency, worker, "Agus Salim", serial))
    request, _ = tracing.open_request(
        case, worker, {"sought_name": "Ani", "kinship": "mother", "last_known_place": "Kampung", "opened_on": _day(-19)}
    )
    tracing.close_request(case, request, worker, request.version, {"status": "found", "closed_on": _day(-15)})
    reunion, _ = tracing.reunify(
        case,
        worker,
        {
            "member_name": "Ani",
            "kinship": "mother",
            "address": "Jl. Melati 5",
            "region_code": DISTRICT,
            "home_safe": "yes",
            "safety_note": "Rumah layak.",
            "tracing_request": str(request.uuid),
            "reunified_on": _day(-10),
        },
    )
    records.keys["followup_visit"] = reunion.visits[0].id
    records.keys["reunion_case"] = str(case.uuid)


def _aftercare(records, agency, worker, boss, serial):
    """A case closed as reunified with an exit assessment: its first aftercare visit (in the volunteer's scope)."""
    case = _case(agency, worker, _client(agency, worker, "Dedi Kurnia", serial), intake_days_ago=60)
    closure, _ = propose_closure(case, worker, case.version, {"outcome": "reunified", "terminated_on": _day(-5)})
    approve_closure(closure, boss, closure.version)
    scores = {code: 4 for code, _name, _weight, _top in DEFAULT_VARIABLES}
    record_exit_assessment(case, worker, None, {"assessed_on": _day(-5), "decision": "self_reliant", "scores": scores})
    db.session.flush()
    visit = db.session.scalars(
        sa.select(AftercareVisit).where(AftercareVisit.case_id == case.id).order_by(AftercareVisit.due_on)
    ).first()
    records.keys["aftercare_visit"] = visit.id
    records.keys["aftercare_case"] = str(case.uuid)


def _uploads(records, users):
    """One resumable upload begun by every user (each may resume only their own)."""
    rows = {}
    for role, user in users.items():
        upload = PendingUpload(
            uuid=uuid.uuid4(),
            agency_id=user.agency_id,
            user_id=user.id,
            size=10,
            content_type="image/jpeg",
            sha256="0" * 64,
            received=0,
        )
        db.session.add(upload)
        rows[role] = str(upload.uuid)
    db.session.flush()
    records.keys["own_upload"] = rows


def _notifications(records, users, case):
    """One notification of the case's first event for every user (each may open only their own)."""
    event_id = db.session.scalar(sa.select(sa.func.min(CaseEvent.id)).where(CaseEvent.case_id == case.id))
    rows = {}
    for role, user in users.items():
        row = db.session.scalar(sa.select(Notification).filter_by(user_id=user.id, event_id=event_id))
        if row is None:
            row = Notification(user_id=user.id, event_id=event_id, case_id=case.id)
            db.session.add(row)
            db.session.flush()
        rows[role] = row.id
    records.keys["own_notification"] = rows


def _registry_extras(records, agency, users, serial):
    """A client merge, a finding (the volunteer's), a complaint, an import job and a pending figures upload."""
    boss, worker = users[Role.SUPERVISOR], users[Role.CASEWORKER]
    survivor = _client(agency, worker, "Rina Wati", serial)
    merged = _client(agency, worker, "Rina Wati Dua", serial + 1)
    merge = merge_clients(survivor, merged, boss, "Orang yang sama", (survivor.version, merged.version))
    seen = {
        "region_code": VILLAGE,
        "place": "Depan pasar",
        "description": "Seorang lansia tidur di emperan toko.",
        "urgency": "soon",
        "consent_given": True,
        "person_name": "Mbah Karto",
        "person_sex": "male",
        "person_age": "72",
        "observed_on": _day(-1),
    }
    finding, _ = submit_finding(agency, users[Role.VOLUNTEER], seen)
    complaint, _ = submit_complaint(
        agency,
        worker,
        {**seen, "source": "call_centre", "reporter_name": "Ibu Warsini", "reporter_contact": "0812-1111-2222"},
    )
    job = imports.upload(agency, users[Role.DATA_OFFICER], "clients", b"nama\nBudi\n", "klien.csv")
    pending = store_pending(population.IMPORT, agency, b"year,region_code,category_code,count\n", "p.csv", boss)
    records.keys.update(merge=merge.id, finding=str(finding.uuid), complaint=str(complaint.uuid), job=str(job.uuid))
    records.keys["pending"] = str(pending.uuid)


def _disaster(records, agency, users, serial):
    """A flood with a site and a registered household of one person."""
    boss = users[Role.SUPERVISOR]
    event, _ = create_event(
        agency, boss, {"kind": "flood", "name": "Banjir", "occurred_on": _day(-3), "villages": [VILLAGE]}
    )
    site, _ = add_site(
        event, boss, {"name": "Masjid", "region_code": VILLAGE, "capacity": "100", "opened_on": _day(-3)}
    )
    household, _ = register_household(
        event,
        users[Role.CASEWORKER],
        {
            "region_code": VILLAGE,
            "site_uuid": str(site.uuid),
            "members": [{"name": "Budi", "sex": "male", "age_years": 30}],
        },
    )
    person = db.session.scalar(sa.select(AffectedPerson).where(AffectedPerson.household_id == household.id))
    records.keys.update(event=str(event.uuid), site=str(site.uuid), household=str(household.uuid))
    records.keys["person"] = str(person.uuid)


def other_unit_records(records, receiver_id, serial):
    """``records`` with its case records replaced by the same kinds held by another unit of the agency."""
    make = Factories()
    agency = db.session.get(Agency, records.agency_id)
    unit = make.unit(agency=agency, name="Bidang Linjamsos")
    shelter = make.unit(agency=agency, name="Shelter Linjamsos", kind=UnitKind.SHELTER, capacity=10)
    users = {role: make.user(role=role, unit=unit) for role in (Role.CASEWORKER, Role.SUPERVISOR)}
    theirs = Records(agency_id=agency.id)
    _cases(theirs, agency, users, shelter, receiver_id, serial)
    keys = {**records.keys, **{key: value for key, value in theirs.keys.items() if key in CASE_RECORDS}}
    return Records(agency_id=agency.id, users=records.users, tokens=records.tokens, keys=keys)


def build_agency(receiver_id, serial):
    """Builds one agency and all its records (``serial`` keeps NIKs apart); returns its ``Records``."""
    make = Factories()
    agency = make.agency(region_code="32.75")
    records = Records(agency_id=agency.id)
    users, shelter = _users(make, records, agency)
    _tokens(records, users)
    _uploads(records, users)
    _cases(records, agency, users, shelter, receiver_id, serial)
    _registry_extras(records, agency, users, serial + 10)
    _disaster(records, agency, users, serial)
    close_month(agency, *previous_month(TODAY), actor=users[Role.ADMIN])
    return records
