"""The retention sweep: only eligible clients are anonymised, their files go, a second run changes nothing."""

from datetime import date

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.cases.attachments import add_attachment
from casework.cases.models import CaseEvent, CaseNote, Stage
from casework.cases.notes import add_note
from casework.clients.merging import merge_clients
from casework.clients.models import Client, ClientMerge, ClientNameToken, Sex
from casework.clients.photos import set_client_photo
from casework.closure.services import propose_closure, reject_closure
from casework.core.localtime import local_today
from casework.extensions import db
from casework.files import storage
from casework.files.models import StoredFile
from casework.privacy.anonymise import MARKER
from casework.privacy.consent import record_consent
from casework.privacy.models import ClientAnonymisation, ClientConsent, RetentionKind, RetentionSetting
from casework.privacy.sweep import sweep_agency
from casework.scheduling import load_jobs, run_job
from casework.tracing.models import TracingRequest
from casework.tracing.services import open_request
from tests.clients.conftest import VALID_NIK
from tests.files.samples import PDF, image_bytes
from tests.privacy.conftest import TODAY
from tests.referrals import conftest as referrals

shelter, receiver, referral_values, proposed, service = (
    referrals.shelter,
    referrals.receiver,
    referrals.referral_values,
    referrals.proposed,
    referrals.service,
)

PERSONAL = ("full_name", "aliases", "nik", "phone", "address", "mother_name", "place_of_birth", "birth_date")


def _rich_client(new_client, new_case, close_case, caseworker, supervisor, terminated_on):
    """A client with a photo, a note, an attachment, a tracing request, a consent note and a rejected closure."""
    person = new_client(
        full_name="Dewi Lestari",
        aliases="Dewi",
        sex="female",
        birth_date="1990-05-17",
        nik=VALID_NIK,
        phone="08123456789",
        address="Jl. Melati 7",
        mother_name="Sri Wahyuni",
        place_of_birth="Bekasi",
    )
    set_client_photo(person, person.version, image_bytes(), caseworker)
    case = new_case(client=person, intake_date=date(terminated_on.year - 1, 1, 2))
    add_note(case, caseworker, {"body": "Dewi tinggal bersama bibinya di Jl. Melati."})
    add_attachment(case, caseworker, PDF, {"caption": "KTP Dewi"}, filename="ktp-dewi.pdf")
    open_request(
        case,
        caseworker,
        {
            "sought_name": "Bapak Slamet",
            "kinship": "father",
            "last_known_place": "Pasar Baru",
            "opened_on": "2014-02-01",
        },
        today=TODAY,
    )
    answer = {"purpose": "photos", "given": "yes", "method": "guardian", "note": "Wali: Ibu Sri"}
    record_consent(person, caseworker, {**answer, "recorded_on": local_today()})
    closure, _created = propose_closure(
        case,
        caseworker,
        case.version,
        {"outcome": "reunified", "terminated_on": terminated_on.isoformat()},
        today=TODAY,
    )
    reject_closure(closure, supervisor, closure.version, {"reason": "Keluarga Pak Slamet belum ditemui"})
    close_case(case, today=TODAY, outcome="reunified", terminated_on=terminated_on.isoformat())
    return person, case


def _snapshot(client):
    """The client row's values, read from the database."""
    table = Client.__table__
    return dict(db.session.execute(sa.select(table).where(table.c.id == client.id)).mappings().one())


def test_only_eligible_clients_are_anonymised(
    app, agency, new_client, new_case, ended_case, close_case, caseworker, supervisor
):
    person, case = _rich_client(new_client, new_case, close_case, caseworker, supervisor, date(2015, 6, 30))
    keys = [stored.storage_key for stored in db.session.scalars(sa.select(StoredFile))]
    assert len(keys) == 2 and all(storage.path_of(key).is_file() for key in keys)
    recent = ended_case(date(2020, 6, 30)).client
    still_open = new_case(client=new_client(full_name="Agus Salim"), intake_date=date(2014, 1, 2)).client
    mixed = ended_case(date(2014, 6, 30), client=new_client(full_name="Rudi Hartono"))
    new_case(client=mixed.client, intake_date=date(2025, 1, 2))
    others = [_snapshot(other) for other in (recent, still_open, mixed.client)]
    db.session.commit()

    assert sweep_agency(agency, today=TODAY, dry_run=True) == {"clients": 1, "reports": 0, "import_files": 0}
    assert _snapshot(person)["full_name"] == "Dewi Lestari"
    assert sweep_agency(agency, today=TODAY) == {"clients": 1, "reports": 0, "import_files": 0}

    after = _snapshot(person)
    assert after["full_name"] == f"Anonim-{person.id}"
    assert all(after[name] is None for name in PERSONAL[1:]) and after["photo_id"] is None
    assert (after["sex"], after["birth_year"]) == (Sex.FEMALE, 1990)
    assert not db.session.scalars(sa.select(ClientNameToken).where(ClientNameToken.client_id == person.id)).all()
    assert not db.session.scalars(sa.select(CaseNote).where(CaseNote.case_id == case.id)).all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0
    assert not any(storage.path_of(key).exists() for key in keys)
    tracing = db.session.scalar(sa.select(TracingRequest).where(TracingRequest.case_id == case.id))
    assert (tracing.sought_name, tracing.last_known_place) == (MARKER, MARKER)
    assert db.session.scalar(sa.select(ClientConsent.note).where(ClientConsent.client_id == person.id)) is None
    details = db.session.scalars(sa.select(CaseEvent.details).where(CaseEvent.case_id == case.id)).all()
    assert "Slamet" not in str(details)
    # What the figures count stays.
    case_row = db.session.execute(sa.select(case.__table__).where(case.__table__.c.id == case.id)).mappings().one()
    assert (case_row["terminated_on"], case_row["outcome"].value) == (date(2015, 6, 30), "reunified")
    audit = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "privacy.client_anonymised")).all()
    assert [(row.object_type, row.object_id, row.details) for row in audit] == [("client", str(person.id), {})]
    # The audit trail never held the rejection's reason.
    assert "Slamet" not in str(db.session.scalars(sa.select(AuditEvent.details)).all())
    assert [_snapshot(other) for other in (recent, still_open, mixed.client)] == others

    # A second run changes nothing.
    assert sweep_agency(agency, today=TODAY) == {"clients": 0, "reports": 0, "import_files": 0}
    assert _snapshot(person) == after
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientAnonymisation)) == 1


def test_the_agencys_retention_decides(agency, ended_case, caseworker):
    person = ended_case(date(2020, 6, 30)).client
    assert sweep_agency(agency, today=TODAY, dry_run=True)["clients"] == 0
    db.session.add(
        RetentionSetting(agency_id=agency.id, kind=RetentionKind.CLOSED_CASES, period=5, updated_by_id=caseworker.id)
    )
    db.session.flush()
    assert sweep_agency(agency, today=TODAY, batch=1) == {"clients": 1, "reports": 0, "import_files": 0}
    assert db.session.get(Client, person.id).full_name == f"Anonim-{person.id}"


def test_the_daily_job(app, ended_case):
    registered = load_jobs()["privacy.anonymise"]
    assert registered.cron == {"hour": 2, "minute": 30}
    person = ended_case(date(2015, 6, 30)).client
    db.session.commit()
    assert run_job(app, "privacy.anonymise") == "done"
    assert db.session.get(Client, person.id).full_name == f"Anonim-{person.id}"


def test_a_pending_referral_or_an_aftercare_case(agency, new_case, new_client, close_case, proposed, ended_case):
    referred = new_case(client=new_client(full_name="Agus Salim"), intake_date=date(2014, 1, 2))
    proposed(case=referred)
    close_case(referred, today=TODAY, outcome="reunified", terminated_on="2015-06-30")
    watched = ended_case(date(2015, 6, 30), aftercare_months=12)
    assert watched.stage == Stage.AFTERCARE
    db.session.commit()
    assert sweep_agency(agency, today=TODAY)["clients"] == 1
    assert db.session.get(Client, referred.client_id).full_name == "Agus Salim"
    assert db.session.get(Client, watched.client_id).full_name == f"Anonim-{watched.client_id}"


def test_a_record_merged_into_an_eligible_client_goes_with_it(agency, new_client, ended_case, supervisor):
    survivor = ended_case(date(2015, 6, 30)).client
    twin = new_client(full_name="Siti Aminah Binti Ahmad", phone="08129999999")
    merge_clients(survivor, twin, supervisor, "Orang yang sama: Siti dari Jl. Mawar", (survivor.version, twin.version))
    db.session.commit()
    assert sweep_agency(agency, today=TODAY)["clients"] == 1
    for person in (survivor, twin):
        row = _snapshot(person)
        assert (row["full_name"], row["phone"]) == (f"Anonim-{person.id}", None)
    assert db.session.scalar(sa.select(ClientMerge.reason)) == MARKER
    assert sweep_agency(agency, today=TODAY)["clients"] == 0
