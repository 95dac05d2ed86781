"""Demo findings and complaints for the demo agency, filed and decided through the operations.

Eight findings by the Bantargebang volunteer (``tksk``): two waiting, two under
review, one that opened a case, one attached to an open case of a client
living there, one closed (not found) and one forwarded. Four complaints
entered by the data officer from each channel. Each report is dated days ago
(receipt, review and decision hours apart), so the queue's ages and the
response times look lived-in. Idempotent: the first report's UUID is fixed,
and a second run finds it and changes nothing.
"""

import uuid
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases.models import OPEN_STAGES, Case, CaseEvent
from casework.clients.models import Client
from casework.core.types import utcnow
from casework.extensions import db
from casework.findings import services, triage
from casework.findings.models import Report, ReportEvent, ReportStatus
from casework.reference.models import Category

_DEMO_REPORTS = uuid.UUID("2c4e6a8b-1d3f-4a5b-8c7d-9e0f1a2b3c4d")
# Hours after receipt at which the review started and the decision was taken.
REVIEW_AFTER, DECIDED_AFTER = timedelta(hours=3), timedelta(hours=26)

# (story, days ago, village, urgency, category slug, person (name, sex, age), description, place, what happened)
FINDINGS = [
    (
        "child-night",
        0,
        "32.75.07.1003",
        "emergency",
        "anak-jalanan",
        (None, "male", 9),
        "Anak laki-laki sekitar 9 tahun mengamen sendirian di lampu merah sampai larut malam.",
        "Perempatan Jl. Narogong, depan minimarket",
        None,
    ),
    (
        "elderly-stall",
        1,
        "32.75.07.1004",
        "soon",
        "lanjut-usia-telantar",
        ("Mbah Sarmin", "male", 78),
        "Lansia tinggal sendiri di bedeng bekas warung, jarang makan, kaki bengkak.",
        "Belakang Pasar Cikiwul",
        None,
    ),
    (
        "scavenger-family",
        2,
        "32.75.07.1008",
        "routine",
        "pemulung",
        (None, None, None),
        "Keluarga pemulung dengan tiga anak tinggal di gubuk dekat TPST; anak-anak tidak sekolah.",
        "Dekat TPST Bantargebang, RT 03",
        "review",
    ),
    (
        "wandering-woman",
        5,
        "32.75.07.1007",
        "soon",
        "odgj",
        (None, "female", 35),
        "Perempuan berjalan tanpa arah dan berbicara sendiri, tidur di pos ronda.",
        "Pos ronda RW 05 Ciketingudik",
        "review",
    ),
    (
        "sick-widow",
        12,
        "32.75.07.1004",
        "soon",
        "lanjut-usia-telantar",
        ("Mak Enah", "female", 81),
        "Janda lansia sakit, tidak ada keluarga yang merawat, tetangga bergantian memberi makan.",
        "Gang Mawar, Cikiwul",
        "open-case",
    ),
    (
        "known-scavenger",
        20,
        "32.75.07.1003",
        "routine",
        "pemulung",
        (None, "male", None),
        "Pemulung yang sudah didampingi dinas terlihat sakit dan tidak bekerja seminggu.",
        "Lapak rongsok Jl. Pangkalan 2",
        "attach",
    ),
    (
        "not-there",
        25,
        "32.75.07.1008",
        "routine",
        "gelandangan",
        (None, "male", 50),
        "Laki-laki tidur di halte beberapa malam berturut-turut.",
        "Halte Sumurbatu",
        "close",
    ),
    (
        "out-of-town",
        30,
        "32.75.07.1007",
        "soon",
        "korban-perdagangan-orang",
        (None, "female", 19),
        "Perempuan muda mengaku dibawa dari luar kota untuk bekerja dan ditinggal tanpa uang.",
        "Warung dekat terminal bayangan",
        "forward",
    ),
]

# (story, days ago, source, village, description, what happened)
COMPLAINTS = [
    (
        "call",
        0,
        "call_centre",
        "32.75.01.1001",
        "Penelepon melaporkan anak-anak mengemis di depan stasiun setiap sore.",
        None,
    ),
    (
        "walk-in",
        3,
        "walk_in",
        "32.75.02.1001",
        "Warga datang melaporkan tetangga lansia yang ditelantarkan anaknya.",
        "review",
    ),
    (
        "message",
        10,
        "message",
        "32.75.05.1001",
        "Pesan WhatsApp tentang orang tidur di trotoar; ternyata pedagang.",
        "close",
    ),
    (
        "letter",
        15,
        "letter",
        "32.75.03.1001",
        "Surat RW tentang keluarga dari luar daerah tanpa tempat tinggal.",
        "forward",
    ),
]


def _uuid(kind, story):
    """The fixed UUID of one demo report."""
    return uuid.uuid5(_DEMO_REPORTS, f"{kind}-{story}")


def _user(agency, username):
    """The demo agency's user named ``username``."""
    return db.session.scalar(sa.select(User).where(User.agency_id == agency.id, User.username == username))


def _category_id(slug):
    """The id of the category ``slug``, or None when the reference data lacks it."""
    return db.session.scalar(sa.select(Category.id).where(Category.slug == slug))


def _known_case(agency):
    """An open case of a client living in Bantargebang, to attach a finding to; None when there is none."""
    return db.session.scalar(
        sa.select(Case)
        .join(Client, Client.id == Case.client_id)
        .where(
            Case.agency_id == agency.id,
            Case.stage.in_(OPEN_STAGES),
            Client.domicile_region_code.startswith("32.75.07", autoescape=True),
        )
        .order_by(Case.id)
        .limit(1)
    )


def _decide(agency, report, supervisor, outcome, today, reason="not_found"):
    """Takes the demo decision ``outcome`` on ``report`` through the triage operations (closing for ``reason``)."""
    if outcome is None:
        return
    triage.start_review(report, supervisor, report.version)
    if outcome == "open-case":
        triage.open_case_from_report(report, supervisor, report.version, {"confirm_new": True}, today=today)
    elif outcome == "attach" and (case := _known_case(agency)) is not None:
        triage.attach_to_case(report, supervisor, report.version, {"case_number": case.number})
    elif outcome in ("attach", "close"):
        triage.close_report(report, supervisor, report.version, {"reason": reason})
    elif outcome == "forward":
        triage.forward_to_agency(report, supervisor, report.version, {"name": "Dinas Sosial Provinsi Jawa Barat"})


def _backdate(report, received_at):
    """Moves the report's receipt (and its review, decision and history) to ``received_at`` and the hours after."""
    report.received_at = received_at
    if report.review_started_at is not None:
        report.review_started_at = received_at + REVIEW_AFTER
    if report.decided_at is not None:
        report.decided_at = received_at + DECIDED_AFTER
    steps = {"received": timedelta(0), "review_started": REVIEW_AFTER}
    for event in db.session.scalars(sa.select(ReportEvent).where(ReportEvent.report_id == report.id)):
        event.at = received_at + steps.get(event.kind, DECIDED_AFTER)
    if report.status == ReportStatus.CASE_OPENED:
        # The case opened by the decision starts on its timeline when the decision was taken.
        db.session.execute(sa.update(CaseEvent).where(CaseEvent.case_id == report.case_id).values(at=report.decided_at))
    db.session.flush()


def _file(agency, operation, reporter, kind, story, days_ago, data, today):
    """Files one demo report observed ``days_ago`` and received that morning (Jakarta time)."""
    observed = today - timedelta(days=days_ago)
    report, _created = operation(
        agency, reporter, {**data, "observed_on": observed}, uuid=_uuid(kind, story), today=today
    )
    # Received that morning, or now for a report observed today before the morning has come.
    return report, min(datetime.combine(observed, time(2), tzinfo=UTC), utcnow())


def load_demo_findings(agency, today=None):
    """Adds the demo findings and complaints unless they exist (or the demo volunteer does not)."""
    today = today or date.today()
    volunteer, officer, supervisor = (_user(agency, name) for name in ("tksk", "data", "supervisor"))
    if None in (volunteer, officer, supervisor):
        return
    if db.session.scalar(sa.select(Report.id).where(Report.uuid == _uuid("finding", FINDINGS[0][0]))):
        return
    for story, days_ago, village, urgency, slug, person, description, place, outcome in FINDINGS:
        name, sex, age = person
        data = {
            "region_code": village,
            "urgency": urgency,
            "category_id": _category_id(slug),
            "description": description,
            "place": place,
            "person_name": name,
            "person_sex": sex,
            "person_age": age,
            "consent_given": name is not None,
        }
        report, received_at = _file(agency, services.submit_finding, volunteer, "finding", story, days_ago, data, today)
        _decide(agency, report, supervisor, outcome, today)
        _backdate(report, received_at)
    for story, days_ago, source, village, description, outcome in COMPLAINTS:
        data = {
            "region_code": village,
            "source": source,
            "reporter_name": "Pelapor demo",
            "reporter_contact": "0812-0000-0000",
            "description": description,
        }
        report, received_at = _file(
            agency, services.submit_complaint, officer, "complaint", story, days_ago, data, today
        )
        _decide(agency, report, supervisor, outcome, today, reason="not_ppks")
        _backdate(report, received_at)
