"""What a volunteer may read: their own findings' status (and case number), nothing of clients, cases or others."""

from datetime import UTC, datetime

import pytest

from casework.extensions import db
from casework.findings.models import ReportStatus
from tests.files.samples import image_bytes


def open_case_directly(report, case, decider):
    """Marks ``report`` as having opened ``case``, as the triage decision does (test setup, not the operation)."""
    report.status, report.case_id = ReportStatus.CASE_OPENED, case.id
    report.decided_by_id, report.decided_at = decider.id, datetime.now(UTC)
    db.session.flush()


def test_a_volunteer_sees_the_case_number_of_their_finding_and_nothing_of_the_client(
    client, login, volunteer, new_finding, new_case, new_client, supervisor
):
    report = new_finding()
    case = new_case(client=new_client(full_name="Karto Wiryo"), circumstances="Tidur di emperan pasar")
    open_case_directly(report, case, supervisor)
    login(volunteer)
    page = client.get(f"/findings/{report.uuid}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kasus dibuka" in html and case.number in html
    assert "Karto Wiryo" not in html and "emperan pasar" not in html and str(case.uuid) not in html
    status = client.get(f"/api/v1/findings/{report.uuid}").json
    assert (status["status"], status["case_number"]) == ("case_opened", case.number)
    assert "Karto" not in str(status)


def test_another_volunteers_finding_is_not_found_on_pages_or_api(
    client, login, volunteer, other_volunteer, new_finding
):
    theirs = new_finding(by=other_volunteer)
    login(volunteer)
    assert client.get(f"/findings/{theirs.uuid}").status_code == 404
    assert client.get(f"/api/v1/findings/{theirs.uuid}").status_code == 404
    listing = client.get("/findings/").get_data(as_text=True)
    assert theirs.number not in listing and "Belum ada temuan" in listing


def test_a_complaint_is_not_a_volunteers_finding(client, login, volunteer, new_complaint):
    complaint = new_complaint()
    login(volunteer)
    assert client.get(f"/findings/{complaint.uuid}").status_code == 404
    assert client.get(f"/findings/complaints/{complaint.uuid}").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/clients/",
        "/cases/",
        "/cases/{case}",
        "/triage/",
        "/files/{photo}",
        "/api/v1/clients",
        "/api/v1/cases/{case}",
        "/findings/complaints/new",
    ],
)
def test_a_volunteer_reads_no_client_case_queue_or_photo(client, login, volunteer, new_finding, new_case, path):
    report = new_finding(photos=[image_bytes()])
    case = new_case()
    login(volunteer)
    response = client.get(path.format(case=case.uuid, photo=report.photos[0].file.uuid))
    assert response.status_code == 403
