"""Triage operations on the real database: the queue's order and scope, each decision, its guards, the history."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.cases.models import CaseEvent, IntakeChannel
from casework.clients.models import Client
from casework.clients.services import PossibleDuplicate
from casework.core.errors import Conflict, ValidationFailed
from casework.core.localtime import local_today
from casework.extensions import db
from casework.findings import queue, triage
from casework.findings.models import CloseReason, ReportStatus
from casework.org.models import UnitKind
from tests.cases.conftest import category, close_case
from tests.findings.conftest import TODAY, VILLAGE
from tests.findings.triage_support import admin, duty_supervisor, event_rows, received_hours_ago

__all__ = ["admin", "category", "close_case", "duty_supervisor"]

YESTERDAY = TODAY - timedelta(days=1)


def queued(user):
    """The numbers in ``user``'s queue, in order."""
    return [report.number for report in db.session.scalars(queue.queue_select(user))]


def case_events(case):
    """(kind, details) of the case's timeline, oldest first."""
    rows = db.session.execute(
        sa.select(CaseEvent.kind, CaseEvent.details).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    )
    return [tuple(row) for row in rows]


def client_count():
    """How many clients exist."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Client))


# --- The queue ----------------------------------------------------------------------------------------


def test_queue_puts_emergencies_first_then_the_oldest(new_finding, duty_supervisor):
    routine_old = received_hours_ago(new_finding(urgency="routine"), 30)
    soon = received_hours_ago(new_finding(urgency="soon"), 2)
    emergency_new = received_hours_ago(new_finding(urgency="emergency"), 1)
    emergency_old = received_hours_ago(new_finding(urgency="emergency"), 5)
    routine_new = received_hours_ago(new_finding(urgency="routine"), 3)
    expected = [emergency_old, emergency_new, soon, routine_old, routine_new]
    assert queued(duty_supervisor) == [report.number for report in expected]
    assert queue.queue_counts(duty_supervisor) == (5, 2)
    assert queue.age_text(routine_old) == "1 hari yang lalu"
    assert queue.age_text(emergency_old) == "5 jam yang lalu"


def test_queue_is_the_unit_s_and_those_under_it_for_a_supervisor_and_the_agency_s_for_an_admin(
    new_finding, new_complaint, duty_supervisor, supervisor, admin, make, agency, office
):
    finding = new_finding()
    complaint = new_complaint(region_code="32.75.01.1001")
    closed = new_finding()
    triage.close_report(closed, duty_supervisor, closed.version, {"reason": "not_found"})
    sibling = make.user(role=Role.SUPERVISOR, unit=make.unit(agency=agency, parent=office))
    assert queued(duty_supervisor) == [finding.number]
    # The division's supervisor covers the district unit under it; a sibling unit's supervisor does not.
    assert sorted(queued(supervisor)) == sorted([finding.number, complaint.number])
    assert queued(sibling) == []
    assert sorted(queued(admin)) == sorted([finding.number, complaint.number])


# --- Reviewing ----------------------------------------------------------------------------------------


def test_start_review_once_at_the_version_read(new_finding, duty_supervisor):
    report = new_finding()
    version = report.version
    triage.start_review(report, duty_supervisor, version)
    assert report.status == ReportStatus.UNDER_REVIEW
    assert (report.review_started_by_id, report.decided_at) == (duty_supervisor.id, None)
    assert [kind for kind, _data in event_rows(report)] == ["received", "review_started"]
    decisions = ["open-case", "attach", "forward-unit", "forward-agency", "close"]
    assert triage.actions_for(report) == [*decisions, "visit"]
    with pytest.raises(Conflict):
        triage.start_review(report, duty_supervisor, report.version)
    other = new_finding()
    with pytest.raises(Conflict):
        triage.start_review(other, duty_supervisor, other.version - 1)
    assert other.status == ReportStatus.RECEIVED


# --- Opening a case -----------------------------------------------------------------------------------


def test_open_case_for_a_new_client_prefills_client_and_case_from_the_report(new_finding, duty_supervisor, category):
    report = new_finding(category_id=str(category("lanjut-usia-telantar").id), latitude="-6.33", longitude="106.99")
    triage.open_case_from_report(report, duty_supervisor, report.version, {"caseworker_id": duty_supervisor.id})
    case = report.case
    assert report.status == ReportStatus.CASE_OPENED
    assert (report.decided_by_id, report.decided_at is not None) == (duty_supervisor.id, True)
    client = case.client
    assert (client.full_name, client.sex.value, client.domicile_region_code) == ("Mbah Karto", "male", VILLAGE)
    assert (client.birth_year, client.birth_year_estimated) == (YESTERDAY.year - 72, True)
    assert [held.category.slug for held in client.categories] == ["lanjut-usia-telantar"]
    assert case.intake_channel == IntakeChannel.VOLUNTEER_FINDING
    assert (case.intake_date, case.intake_region_code, case.intake_place) == (YESTERDAY, VILLAGE, report.place)
    assert (case.intake_latitude, case.intake_longitude) == (-6.33, 106.99)
    assert case.circumstances == report.description
    assert (case.unit_id, case.caseworker_id) == (report.unit_id, duty_supervisor.id)
    assert case_events(case) == [
        ("opened", {"channel": "volunteer_finding"}),
        ("report_linked", {"report_number": report.number, "report_kind": "finding"}),
    ]
    assert event_rows(report)[-1] == ("case_opened", {"case_id": case.id, "client_id": client.id})


def test_open_case_for_a_chosen_client(new_complaint, duty_supervisor, new_client):
    client = new_client(full_name="Karto Wiryo")
    report = new_complaint()
    before = client_count()
    triage.open_case_from_report(
        report, duty_supervisor, report.version, {"client_uuid": str(client.uuid), "caseworker_id": duty_supervisor.id}
    )
    assert report.case.client_id == client.id and client_count() == before
    assert report.case.intake_channel == IntakeChannel.COMPLAINT


def test_a_new_client_who_looks_registered_is_refused_until_confirmed(new_finding, duty_supervisor, new_client):
    new_client(full_name="Karto", sex="male", birth_year=YESTERDAY.year - 72, birth_year_estimated=True)
    report = new_finding()
    before = client_count()
    with pytest.raises(PossibleDuplicate) as refused:
        triage.open_case_from_report(report, duty_supervisor, report.version, {"caseworker_id": duty_supervisor.id})
    assert [match.client.full_name for match in refused.value.matches] == ["Karto"]
    # The savepoint: nothing of the refused attempt stays, whatever the caller does next.
    assert (client_count(), report.status, report.case_id) == (before, ReportStatus.RECEIVED, None)
    data = {"caseworker_id": duty_supervisor.id, "confirm_new": "on"}
    triage.open_case_from_report(report, duty_supervisor, report.version, data)
    assert client_count() == before + 1 and report.case.client.full_name == "Mbah Karto"


def test_open_case_refusal_leaves_no_client_behind(new_finding, admin):
    report = new_finding()
    before = client_count()
    # An administrator holds no cases: a caseworker must be chosen.
    with pytest.raises(ValidationFailed) as refused:
        triage.open_case_from_report(report, admin, report.version, {"full_name": "Karto Baru"})
    assert "caseworker_id" in refused.value.fields
    assert (client_count(), report.status) == (before, ReportStatus.RECEIVED)


def test_open_case_checks_the_chosen_client(new_finding, duty_supervisor):
    report = new_finding()
    for value in ("bukan-uuid", "6f1c0b8e-0000-4000-8000-000000000000"):
        with pytest.raises(ValidationFailed) as refused:
            triage.open_case_from_report(report, duty_supervisor, report.version, {"client_uuid": value})
        assert refused.value.fields == {"client_uuid": ["Klien tidak ditemukan."]}


# --- Attaching, forwarding, closing -------------------------------------------------------------------


def test_attach_to_an_open_case_by_its_number(new_finding, duty_supervisor, new_case):
    case = new_case()
    report = new_finding()
    triage.attach_to_case(
        report, duty_supervisor, report.version, {"case_number": case.number.lower(), "note": "Sama."}
    )
    assert (report.status, report.case_id, report.decision_note) == (ReportStatus.CASE_ATTACHED, case.id, "Sama.")
    assert case_events(case)[-1] == ("report_linked", {"report_number": report.number, "report_kind": "finding"})
    other = new_finding()
    with pytest.raises(ValidationFailed) as refused:
        triage.attach_to_case(other, duty_supervisor, other.version, {"case_number": "KS-1999-000001"})
    assert refused.value.fields == {"case_number": ["Nomor kasus tidak ditemukan."]}


def test_attach_refuses_a_terminated_case(new_finding, duty_supervisor, new_case, close_case):
    case = new_case()
    close_case(case, outcome="self_reliant", terminated_on=date(2026, 11, 20))
    report = new_finding()
    with pytest.raises(Conflict):
        triage.attach_to_case(report, duty_supervisor, report.version, {"case_number": case.number})
    assert report.status == ReportStatus.RECEIVED


def test_forward_to_another_unit_keeps_it_waiting(new_finding, duty_supervisor, office, make, agency):
    report = new_finding()
    from_unit = report.unit_id
    triage.forward_to_unit(
        report, duty_supervisor, report.version, {"unit_id": str(office.id), "note": "Bukan wilayah kami."}
    )
    assert (report.unit_id, report.status, report.decided_at) == (office.id, ReportStatus.RECEIVED, None)
    assert event_rows(report)[-1] == ("forwarded_to_unit", {"from_unit_id": from_unit, "to_unit_id": office.id})
    assert report.number not in queued(duty_supervisor)
    partner = make.unit(agency=agency, kind=UnitKind.PARTNER, partner_type="hospital")
    for unit_id, message in (
        (office.id, "Laporan sudah ada di antrean unit ini."),
        (partner.id, "Pilih unit dinas yang aktif."),
    ):
        with pytest.raises(ValidationFailed) as refused:
            triage.forward_to_unit(report, duty_supervisor, report.version, {"unit_id": unit_id})
        assert refused.value.fields == {"unit_id": [message]}


def test_forward_to_another_agency_is_a_decision(new_finding, duty_supervisor):
    report = new_finding()
    with pytest.raises(ValidationFailed) as refused:
        triage.forward_to_agency(report, duty_supervisor, report.version, {"name": " "})
    assert refused.value.fields == {"name": ["Wajib diisi."]}
    triage.forward_to_agency(report, duty_supervisor, report.version, {"name": "Dinas Sosial Kabupaten Bekasi"})
    assert (report.status, report.forwarded_to_name) == (ReportStatus.FORWARDED, "Dinas Sosial Kabupaten Bekasi")
    assert report.decided_by_id == duty_supervisor.id


def test_close_with_a_reason(new_finding, duty_supervisor):
    first = new_finding()
    report = new_finding()
    checks = (
        ({}, {"reason": ["Pilih alasan penutupan."]}),
        ({"reason": "other"}, {"note": ["Wajib diisi."]}),
        ({"reason": "duplicate"}, {"duplicate_of": ["Isi nomor laporan yang sama."]}),
        (
            {"reason": "duplicate", "duplicate_of": report.number},
            {"duplicate_of": ["Isi nomor laporan lain yang ada di dinas ini."]},
        ),
    )
    for data, fields in checks:
        with pytest.raises(ValidationFailed) as refused:
            triage.close_report(report, duty_supervisor, report.version, data)
        assert refused.value.fields == fields
    triage.close_report(report, duty_supervisor, report.version, {"reason": "duplicate", "duplicate_of": first.number})
    assert (report.status, report.close_reason, report.duplicate_of_id) == (
        ReportStatus.CLOSED,
        CloseReason.DUPLICATE,
        first.id,
    )
    assert event_rows(report)[-1] == ("closed", {"reason": "duplicate", "duplicate_of_id": first.id})


def test_a_decided_report_refuses_every_other_decision(new_finding, duty_supervisor, new_case, office):
    case = new_case()
    report = new_finding()
    triage.close_report(report, duty_supervisor, report.version, {"reason": "not_ppks"})
    attempts = (
        lambda: triage.start_review(report, duty_supervisor, report.version),
        lambda: triage.open_case_from_report(report, duty_supervisor, report.version, {}),
        lambda: triage.attach_to_case(report, duty_supervisor, report.version, {"case_number": case.number}),
        lambda: triage.forward_to_unit(report, duty_supervisor, report.version, {"unit_id": office.id}),
        lambda: triage.forward_to_agency(report, duty_supervisor, report.version, {"name": "Dinas lain"}),
        lambda: triage.close_report(report, duty_supervisor, report.version, {"reason": "not_found"}),
    )
    for attempt in attempts:
        with pytest.raises(Conflict):
            attempt()
    assert (report.status, report.close_reason) == (ReportStatus.CLOSED, CloseReason.NOT_PPKS)
    assert triage.actions_for(report) == ["visit"]


def test_a_stale_version_is_refused(new_finding, duty_supervisor):
    report = new_finding()
    read = report.version
    triage.start_review(report, duty_supervisor, read)
    with pytest.raises(Conflict):
        triage.close_report(report, duty_supervisor, read, {"reason": "not_found"})
    assert report.status == ReportStatus.UNDER_REVIEW


# --- First visit and response times -------------------------------------------------------------------


def test_first_visit_once_and_the_response_times(new_finding, duty_supervisor):
    report = received_hours_ago(new_finding(), 50)
    today = local_today()  # the agency's day (Asia/Jakarta), which the received day is read in
    received = triage.received_on(report)
    for visited_on, message in (
        (
            received - timedelta(days=1),
            f"Kunjungan pertama tidak boleh sebelum laporan diterima ({received.isoformat()}).",
        ),
        (today + timedelta(days=1), "Tanggal tidak boleh di masa depan."),
    ):
        with pytest.raises(ValidationFailed) as refused:
            triage.record_first_visit(report, duty_supervisor, report.version, {"visited_on": visited_on.isoformat()})
        assert refused.value.fields == {"visited_on": [message]}
    assert queue.response_times(report) == {"hours_to_decision": None, "days_to_first_visit": None}
    triage.record_first_visit(report, duty_supervisor, report.version, {"visited_on": today.isoformat()})
    triage.close_report(report, duty_supervisor, report.version, {"reason": "not_ppks"})
    times = queue.response_times(report)
    assert times["days_to_first_visit"] == (today - received).days
    assert 49.9 <= times["hours_to_decision"] <= 50.1
    with pytest.raises(Conflict):
        triage.record_first_visit(report, duty_supervisor, report.version, {"visited_on": today.isoformat()})


def test_audit_rows_carry_ids_and_codes_never_the_person(new_finding, duty_supervisor):
    report = new_finding(person_name="Sutarmi Wulandari")
    triage.start_review(report, duty_supervisor, report.version)
    triage.open_case_from_report(report, duty_supervisor, report.version, {"caseworker_id": duty_supervisor.id})
    rows = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "report", AuditEvent.object_id == str(report.id))
    ).all()
    assert [row.action for row in rows] == ["report.received", "report.review_started", "report.case_opened"]
    assert all("Sutarmi" not in str(row.details) for row in rows)


# --- What helps decide --------------------------------------------------------------------------------


def test_likely_clients_with_their_open_cases(new_finding, new_client, new_case):
    karto = new_client(full_name="Karto", sex="male", birth_year=YESTERDAY.year - 71, birth_year_estimated=True)
    case = new_case(client=karto)
    new_client(full_name="Siti Aminah", sex="female")
    report = new_finding()
    likely = queue.likely_clients(report)
    assert [(match.client.id, [found.id for found in cases]) for match, cases in likely] == [(karto.id, [case.id])]
    assert queue.likely_clients(new_finding(person_name="")) == []


def test_related_reports_of_the_same_place_or_a_similar_name_in_14_days(new_finding, new_complaint):
    report = new_finding()
    same_place = new_finding(person_name="Orang lain sama sekali")
    similar_name = new_complaint(region_code="32.75.01.1001", person_name="Mbah Kartho")
    unrelated = new_complaint(region_code="32.75.01.1001", person_name="Budi Santoso")
    too_old = received_hours_ago(new_finding(), 24 * 15)
    found = {item.report.number: (item.same_place, item.similar) for item in queue.related_reports(report)}
    assert found == {same_place.number: (True, False), similar_name.number: (False, True)}
    assert unrelated.number not in found and too_old.number not in found
