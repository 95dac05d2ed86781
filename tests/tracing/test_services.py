"""The tracing and reunification operations: what they record, their guards, and refusals that write nothing."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.cases.models import Stage
from casework.core.errors import Conflict, ValidationFailed
from casework.core.validation import Problems
from casework.extensions import db
from casework.tracing import queries, services
from casework.tracing.models import FollowupVisit, Reunification, TracingLead, TracingRequest, TracingStatus
from casework.tracing.schedule import checked_visit_days
from tests.tracing.conftest import HOME, LEAD, REQUEST, TODAY, day, event_kinds, terminate_directly

REQUEST_UUID = "5b2f7c1e-9d4a-4e8b-a6c3-1f0e2d3c4b5a"


def count(model):
    """How many rows ``model`` holds."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def refusal(error_class, operation, *args, **kwargs):
    """The refusal ``operation`` raises, of ``error_class``."""
    with pytest.raises(error_class) as raised:
        operation(*args, **kwargs)
    return raised.value


def test_opening_a_request_writes_the_event_and_audit_row(open_case, caseworker):
    case = open_case()
    version = case.version
    request, created = services.open_request(case, caseworker, {**REQUEST, "opened_on": day(1)}, uuid=REQUEST_UUID)
    assert created and request.status == TracingStatus.OPEN and str(request.uuid) == REQUEST_UUID
    assert (request.last_known_region_code, request.opened_on.isoformat()) == ("32.75.01", day(1))
    assert event_kinds(case)[-1] == "tracing_opened" and case.version == version + 1
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "case.tracing_opened"))
    assert audit is not None
    again, created = services.open_request(case, caseworker, {}, uuid=REQUEST_UUID)
    assert again.id == request.id and not created
    assert count(TracingRequest) == 1


def test_a_uuid_of_another_case_is_refused(open_case, caseworker):
    first, second = open_case(), open_case()
    services.open_request(first, caseworker, {**REQUEST, "opened_on": day(1)}, uuid=REQUEST_UUID)
    error = refusal(ValidationFailed, services.open_request, second, caseworker, REQUEST, uuid=REQUEST_UUID)
    assert "uuid" in error.fields


def test_a_request_needs_who_where_and_a_date_in_range(open_case, caseworker):
    case = open_case()
    error = refusal(ValidationFailed, services.open_request, case, caseworker, {"last_known_region_code": "99.99"})
    assert set(error.fields) == {"sought_name", "kinship", "last_known_place", "last_known_region_code", "opened_on"}
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    error = refusal(ValidationFailed, services.open_request, case, caseworker, {**REQUEST, "opened_on": tomorrow})
    assert error.fields["opened_on"] == ["Tanggal tidak boleh di masa depan."]
    error = refusal(ValidationFailed, services.open_request, case, caseworker, {**REQUEST, "opened_on": day(-1)})
    assert "sebelum tanggal penerimaan" in error.fields["opened_on"][0]
    assert count(TracingRequest) == 0 and event_kinds(case) == ["opened"]


def test_no_tracing_on_a_terminated_case(open_case, caseworker):
    case = open_case()
    terminate_directly(case)
    refusal(Conflict, services.open_request, case, caseworker, {**REQUEST, "opened_on": day(1)})
    assert count(TracingRequest) == 0


def test_leads_then_closing_found(tracing, caseworker):
    case, request = tracing()
    lead, created = services.add_lead(case, request, caseworker, {**LEAD, "followed_on": day(3)})
    assert created and lead.method.value == "village_head_letter"
    error = refusal(ValidationFailed, services.add_lead, case, request, caseworker, {**LEAD, "followed_on": day(0)})
    assert "sebelum penelusuran dibuka" in error.fields["followed_on"][0]
    error = refusal(ValidationFailed, services.add_lead, case, request, caseworker, {"followed_on": day(3)})
    assert set(error.fields) == {"method", "result"}
    # Not before the last lead, nor open again.
    early = {"status": "found", "closed_on": day(2)}
    error = refusal(ValidationFailed, services.close_request, case, request, caseworker, request.version, early)
    assert "closed_on" in error.fields
    error = refusal(
        ValidationFailed, services.close_request, case, request, caseworker, request.version, {"status": "open"}
    )
    assert "status" in error.fields
    services.close_request(case, request, caseworker, request.version, {"status": "found", "closed_on": day(4)})
    assert (request.status, request.closed_on.isoformat()) == (TracingStatus.FOUND, day(4))
    assert event_kinds(case)[-3:] == ["tracing_opened", "tracing_lead", "tracing_closed"]


def test_no_lead_and_no_second_closing_once_closed(tracing, caseworker):
    case, request = tracing()
    services.close_request(case, request, caseworker, request.version, {"status": "not_found", "closed_on": day(2)})
    refusal(Conflict, services.add_lead, case, request, caseworker, {**LEAD, "followed_on": day(3)})
    closing = {"status": "found", "closed_on": day(3)}
    refusal(Conflict, services.close_request, case, request, caseworker, request.version, closing)
    assert count(TracingLead) == 0 and request.status == TracingStatus.NOT_FOUND


def test_closing_at_a_stale_version_is_a_conflict(tracing, caseworker):
    case, request = tracing()
    closing = {"status": "found", "closed_on": day(2)}
    refusal(Conflict, services.close_request, case, request, caseworker, request.version - 1, closing)
    assert request.is_open


def test_reunification_schedules_the_agencys_visits_and_keeps_the_case_open(reunified, agency):
    case, reunion = reunified()
    assert case.stage == Stage.INTAKE and reunion.tracing_request.status == TracingStatus.FOUND
    assert [(visit.day_offset, visit.due_on.isoformat()) for visit in reunion.visits] == [
        (7, day(17)),
        (30, day(40)),
        (90, day(100)),
    ]
    assert event_kinds(case)[-1] == "reunified"
    assert queries.reunification(case).id == reunion.id


def test_the_schedule_follows_the_agency_setting(open_case, caseworker, agency):
    agency.followup_visit_days = "14,60"
    case = open_case()
    reunion, _created = services.reunify(case, caseworker, {**HOME, "reunified_on": day(3)})
    assert [visit.day_offset for visit in reunion.visits] == [14, 60]


def test_an_unsafe_home_is_refused_and_nothing_is_written(open_case, caseworker):
    case = open_case()
    version = case.version
    data = {**HOME, "home_safe": "no", "reunified_on": day(3)}
    error = refusal(ValidationFailed, services.reunify, case, caseworker, data)
    assert "rumah dinilai tidak aman" in error.fields["home_safe"][0]
    error = refusal(ValidationFailed, services.reunify, case, caseworker, {"reunified_on": day(3)})
    assert {"member_name", "kinship", "address", "region_code", "home_safe", "safety_note"} <= set(error.fields)
    assert count(Reunification) == 0 and count(FollowupVisit) == 0 and case.version == version


def test_only_a_found_request_of_the_case_links_a_reunification(tracing, caseworker):
    case, request = tracing()
    data = {**HOME, "tracing_request": str(request.uuid), "reunified_on": day(3)}
    error = refusal(ValidationFailed, services.reunify, case, caseworker, data)
    assert "tracing_request" in error.fields
    other_case, other = tracing()
    services.close_request(other_case, other, caseworker, other.version, {"status": "found", "closed_on": day(2)})
    error = refusal(ValidationFailed, services.reunify, case, caseworker, {**data, "tracing_request": str(other.uuid)})
    assert "tracing_request" in error.fields
    # Not before the family was found.
    services.close_request(case, request, caseworker, request.version, {"status": "found", "closed_on": day(4)})
    error = refusal(ValidationFailed, services.reunify, case, caseworker, data)
    assert "reunified_on" in error.fields


def test_one_reunification_per_case_and_none_on_a_closed_case(reunified, open_case, caseworker):
    case, _reunion = reunified()
    refusal(Conflict, services.reunify, case, caseworker, {**HOME, "reunified_on": day(12)})
    closed = open_case()
    terminate_directly(closed)
    refusal(Conflict, services.reunify, closed, caseworker, {**HOME, "reunified_on": day(12)})
    assert count(Reunification) == 1


def test_recording_visits_in_their_slots(reunified, caseworker):
    case, reunion = reunified()
    first = reunion.visits[0]
    error = refusal(ValidationFailed, services.record_visit, case, first, caseworker, first.version, {})
    assert set(error.fields) == {"visited_on", "finding", "client_well"}
    before = {"visited_on": day(9), "finding": "Rumah bersih", "client_well": "yes"}
    error = refusal(ValidationFailed, services.record_visit, case, first, caseworker, first.version, before)
    assert "sebelum reunifikasi" in error.fields["visited_on"][0]
    refusal(
        Conflict, services.record_visit, case, first, caseworker, first.version + 1, {**before, "visited_on": day(18)}
    )
    services.record_visit(case, first, caseworker, first.version, {**before, "visited_on": day(18)})
    assert (first.visited_on.isoformat(), first.client_well, first.recorded_by_id) == (day(18), True, caseworker.id)
    refusal(Conflict, services.record_visit, case, first, caseworker, first.version, {**before, "visited_on": day(19)})
    assert event_kinds(case)[-1] == "followup_visit"


def test_visits_go_on_after_the_case_is_closed(reunified, caseworker):
    case, reunion = reunified()
    terminate_directly(case)
    visit = reunion.visits[0]
    data = {"visited_on": day(18), "finding": "Klien bersekolah lagi", "client_well": False}
    services.record_visit(case, visit, caseworker, visit.version, data)
    assert visit.client_well is False


def test_overdue_visits_by_agency_and_unit(reunified, caseworker, make, office):
    case, reunion = reunified()
    overdue = queries.overdue_visits(case.agency_id)
    assert [visit.day_offset for visit in overdue] == [7]
    assert queries.overdue_visits(case.agency_id, unit_id=office.id) == overdue
    assert queries.overdue_visits(case.agency_id, unit_id=make.unit(agency=office.agency, code="X").id) == []
    assert queries.overdue_visits(make.agency().id) == []
    visit = reunion.visits[0]
    data = {"visited_on": day(18), "finding": "Baik", "client_well": True}
    services.record_visit(case, visit, caseworker, visit.version, data)
    assert queries.overdue_visits(case.agency_id) == []
    # The 30-day visit is overdue once its day has passed.
    assert [visit.day_offset for visit in queries.overdue_visits(case.agency_id, today=TODAY + timedelta(days=21))] == [
        30
    ]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("7,30,90", "7,30,90"), (" 14 ; 60 ", "14,60"), ("180", "180"), ("1, 2,3", "1,2,3")],
)
def test_visit_days_accepted(typed, stored):
    assert checked_visit_days(Problems(), typed) == stored


@pytest.mark.parametrize("typed", ["", "30,7", "7,7", "0,7", "7,800", "a,b", "7,-3", ",".join(["5"] * 11), "1.5"])
def test_visit_days_refused(typed):
    problems = Problems()
    assert checked_visit_days(problems, typed) is None
    assert "followup_visit_days" in problems.fields
