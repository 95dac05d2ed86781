"""Triage pages: who may open the queue, what a report page offers, decisions through forms, refusals shown."""

import re

from casework.auth.models import Role
from casework.findings.models import ReportStatus
from tests.findings.triage_support import admin, duty_supervisor, received_hours_ago, sign_in

__all__ = ["admin", "duty_supervisor", "sign_in"]


def test_only_supervisors_and_admins_open_the_queue(client, sign_in, staff, volunteer, duty_supervisor, admin):
    for user in (staff(Role.CASEWORKER), staff(Role.DATA_OFFICER), volunteer):
        sign_in(user)
        assert client.get("/triage/").status_code == 403
    for user in (duty_supervisor, admin):
        sign_in(user)
        assert client.get("/triage/").status_code == 200


def test_queue_page_lists_emergencies_first_and_marks_them(client, sign_in, new_finding, duty_supervisor):
    routine = received_hours_ago(new_finding(urgency="routine"), 4)
    emergency = received_hours_ago(new_finding(urgency="emergency"), 1)
    sign_in(duty_supervisor)
    page = client.get("/triage/").get_data(as_text=True)
    listed = re.findall(r'data-report="([0-9a-f-]+)" data-urgency="(\w+)"', page)
    assert listed == [(str(emergency.uuid), "emergency"), (str(routine.uuid), "routine")]
    assert "1 laporan darurat menunggu keputusan." in page
    assert "DARURAT" in page and "4 jam yang lalu" in page and "0 foto" in page


def test_report_page_shows_the_report_its_likely_client_and_history(
    client, sign_in, new_finding, duty_supervisor, new_client
):
    karto = new_client(full_name="Karto", sex="male")
    report = new_finding()
    sign_in(duty_supervisor)
    response = client.get(f"/triage/{report.uuid}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert report.number in page and report.description in page and "Mbah Karto" in page
    assert f'data-client="{karto.uuid}"' in page and "Buka kasus untuk klien ini" in page
    assert 'data-event="received"' in page
    for action in ("review", "open-case", "attach", "forward-unit", "forward-agency", "close", "visit"):
        assert f'id="form-{action}"' in page


def test_another_agency_s_report_is_missing(client, sign_in, new_finding, make):
    report = new_finding()
    sign_in(make.user(role=Role.SUPERVISOR))
    assert client.get(f"/triage/{report.uuid}").status_code == 404
    assert client.post(f"/triage/{report.uuid}/review", data={"review-version": report.version}).status_code == 404


def test_open_a_case_for_the_suggested_client_through_the_page(
    client, sign_in, new_finding, duty_supervisor, new_client
):
    karto = new_client(full_name="Karto", sex="male")
    report = new_finding()
    sign_in(duty_supervisor)
    data = {
        "open-case-version": report.version,
        "open-case-client_uuid": str(karto.uuid),
        "open-case-caseworker_id": duty_supervisor.id,
    }
    response = client.post(f"/triage/{report.uuid}/open-case", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/triage/{report.uuid}")
    assert (report.status, report.case.client_id) == (ReportStatus.CASE_OPENED, karto.id)
    page = client.get(f"/triage/{report.uuid}").get_data(as_text=True)
    assert report.case.number in page and 'id="form-close"' not in page and 'id="form-visit"' in page
    timeline = client.get(f"/cases/{report.case.uuid}").get_data(as_text=True)
    assert f"Laporan temuan / pengaduan dikaitkan dengan kasus</strong>: {report.number}" in timeline


def test_a_likely_duplicate_shows_the_candidates_and_keeps_what_was_typed(
    client, sign_in, new_finding, duty_supervisor, new_client
):
    karto = new_client(full_name="Karto", sex="male")
    report = new_finding()
    sign_in(duty_supervisor)
    data = {
        "open-case-version": report.version,
        "open-case-full_name": "Mbah Karto",
        "open-case-caseworker_id": duty_supervisor.id,
    }
    response = client.post(f"/triage/{report.uuid}/open-case", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Orang ini mungkin sudah terdaftar" in page and 'id="duplicates"' in page
    assert f'data-client="{karto.uuid}"' in page
    assert report.status == ReportStatus.RECEIVED


def test_refusals_are_shown_beside_the_form_and_nothing_is_saved(client, sign_in, new_finding, duty_supervisor):
    report = new_finding()
    sign_in(duty_supervisor)
    missing = client.post(f"/triage/{report.uuid}/close", data={"close-version": report.version})
    assert missing.status_code == 422 and "Pilih alasan penutupan." in missing.get_data(as_text=True)
    stale = client.post(
        f"/triage/{report.uuid}/close", data={"close-version": report.version - 1, "close-reason": "not_found"}
    )
    assert stale.status_code == 409 and "sudah diubah orang lain" in stale.get_data(as_text=True)
    assert report.status == ReportStatus.RECEIVED
    done = client.post(
        f"/triage/{report.uuid}/close", data={"close-version": report.version, "close-reason": "not_found"}
    )
    assert done.status_code == 302 and report.status == ReportStatus.CLOSED
    page = client.get(f"/triage/{report.uuid}").get_data(as_text=True)
    assert "Laporan ditutup</strong>: Orangnya tidak ditemukan di tempat" in page


def test_the_desk_shows_the_queue(client, sign_in, new_finding, duty_supervisor):
    report = new_finding(urgency="emergency")
    sign_in(duty_supervisor)
    page = client.get("/desk/").get_data(as_text=True)
    assert 'id="desk-reports"' in page and str(report.uuid) in page and "1 darurat" in page


def test_open_a_case_for_a_new_client_from_the_prefilled_form(client, sign_in, new_finding, duty_supervisor):
    report = new_finding()
    sign_in(duty_supervisor)
    page = client.get(f"/triage/{report.uuid}").get_data(as_text=True)
    year = report.observed_on.year - 72
    assert 'name="open-case-full_name" type="text" value="Mbah Karto"' in page
    assert f'name="open-case-birth_year" type="text" value="{year}"' in page
    assert '<input checked id="open-case-birth_year_estimated"' in page
    data = {
        "open-case-version": report.version,
        "open-case-full_name": "Mbah Karto",
        "open-case-sex": "male",
        "open-case-birth_year": str(year),
        "open-case-birth_year_estimated": "y",
        "open-case-caseworker_id": duty_supervisor.id,
    }
    assert client.post(f"/triage/{report.uuid}/open-case", data=data).status_code == 302
    opened = report.case.client
    assert (opened.full_name, opened.birth_year, opened.birth_year_estimated) == ("Mbah Karto", year, True)
