"""Closing a case through the pages: the proposal waits, the gate holds, decisions from the case page and the desk."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import CaseEvent, Outcome, Stage
from casework.closure.models import ClosureStatus
from casework.closure.services import closures, propose_closure
from casework.extensions import db
from tests.admin.helpers import page_text

DAY = date.today().isoformat()


@pytest.fixture
def open_case(new_case):
    """A case opened today."""
    return lambda **data: new_case(intake_date=date.today(), **data)


def _propose(client, case, **fields):
    data = {"terminate-version": case.version, "terminate-outcome": "reunified", "terminate-terminated_on": DAY}
    data.update({f"terminate-{name}": value for name, value in fields.items()})
    return client.post(f"/cases/{case.uuid}/closure", data=data)


def _kinds(case):
    return db.session.scalars(
        sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()


def test_a_proposal_waits_on_the_case_page_and_only_another_supervisor_approves(
    client, login, switch_to, caseworker, supervisor, open_case
):
    case = open_case()
    login(caseworker)
    page = page_text(client.get(f"/cases/{case.uuid}"))
    assert "Usulkan terminasi" in page and 'name="terminate-aftercare_months"' in page
    response = _propose(client, case, termination_notes="Diantar ke rumah orang tua.")
    assert response.status_code == 302
    page = page_text(client.get(response.headers["Location"]))
    assert "Usulan terminasi menunggu persetujuan supervisor" in page and "Diantar ke rumah orang tua." in page
    assert "Setujui terminasi" not in page and case.stage == Stage.INTAKE
    [closure] = closures(case)
    # The caseworker cannot decide at all; nothing changes.
    approve = f"/cases/{case.uuid}/closure/{closure.uuid}/approve"
    assert client.post(approve, data={"version": closure.version}).status_code == 403
    switch_to(supervisor)
    page = page_text(client.get(f"/cases/{case.uuid}"))
    assert "Setujui terminasi" in page and "Tolak usulan" in page
    response = client.post(approve, data={"version": closure.version})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case.uuid}#step")
    assert case.stage == Stage.AFTERCARE and closure.status == ClosureStatus.APPROVED
    page = page_text(client.get(f"/cases/{case.uuid}"))
    assert "Terminasi disetujui, kasus ditutup" in page and "Buka kembali kasus" in page


def test_a_supervisors_own_proposal_is_refused_by_the_page(client, login, supervisor, open_case):
    case = open_case()
    login(supervisor)
    assert _propose(client, case).status_code == 302
    page = page_text(client.get(f"/cases/{case.uuid}"))
    assert "Ini usulan Anda sendiri" in page and "Setujui terminasi" not in page
    [closure] = closures(case)
    response = client.post(f"/cases/{case.uuid}/closure/{closure.uuid}/approve", data={"version": closure.version})
    assert response.status_code == 403 and "usulan terminasi Anda sendiri" in page_text(response)
    assert closure.status == ClosureStatus.PENDING and case.is_open
    assert _kinds(case) == ["opened", "closure_proposed"]


def test_closing_without_approval_is_impossible(client, login, caseworker, supervisor, open_case):
    case = open_case()
    login(supervisor)
    legacy = {"terminate-version": case.version, "terminate-outcome": "refused", "terminate-terminated_on": DAY}
    assert client.post(f"/cases/{case.uuid}/terminate", data=legacy).status_code == 404
    assert case.stage == Stage.INTAKE and _kinds(case) == ["opened"]


def test_bad_proposals_are_refused_by_field_and_keep_what_was_typed(client, login, caseworker, open_case):
    case = open_case()
    login(caseworker)
    response = _propose(client, case, outcome="", termination_notes="Catatan yang diketik")
    assert response.status_code == 422
    text = page_text(response)
    assert "Pilih hasil terminasi." in text and "Catatan yang diketik" in text
    assert _propose(client, case, outcome="died", aftercare_months="12").status_code == 422
    assert _kinds(case) == ["opened"] and closures(case) == []


def test_a_second_proposal_and_a_stale_one_are_conflicts(client, login, caseworker, open_case):
    case = open_case()
    login(caseworker)
    shown = case.version
    assert _propose(client, case).status_code == 302
    response = _propose(client, case)
    assert response.status_code == 409 and "menunggu persetujuan" in page_text(response)
    data = {"terminate-version": shown, "terminate-outcome": "refused", "terminate-terminated_on": DAY}
    assert client.post(f"/cases/{case.uuid}/closure", data=data).status_code == 409


def test_a_rejection_from_the_desk_needs_a_reason_and_returns_to_the_desk(
    client, login, caseworker, supervisor, open_case
):
    case = open_case()
    closure, _created = propose_closure(case, caseworker, case.version, {"outcome": "refused", "terminated_on": DAY})
    login(supervisor)
    reject = f"/cases/{case.uuid}/closure/{closure.uuid}/reject"
    response = client.post(reject, data={"version": closure.version, "next": "desk", "reason": ""})
    assert response.status_code == 422 and "Meja supervisor" in page_text(response)
    response = client.post(reject, data={"version": closure.version, "next": "desk", "reason": "Belum dikunjungi"})
    assert response.status_code == 302 and response.headers["Location"] == "/desk/"
    assert closure.status == ClosureStatus.REJECTED and case.is_open
    client.post("/logout")
    login(caseworker)
    page = page_text(client.get(f"/cases/{case.uuid}"))
    assert "Usulan terminasi ditolak oleh" in page and "Belum dikunjungi" in page and "Usulkan terminasi" in page


def test_reopening_through_the_page(client, login, switch_to, caseworker, supervisor, open_case, close_case):
    case = open_case()
    close_case(case, outcome="refused", terminated_on=DAY)
    login(caseworker)
    assert "Buka kembali kasus" not in page_text(client.get(f"/cases/{case.uuid}"))
    assert client.post(f"/cases/{case.uuid}/reopen", data={"reopen-version": case.version}).status_code == 403
    switch_to(supervisor)
    response = client.post(f"/cases/{case.uuid}/reopen", data={"reopen-version": case.version, "reopen-reason": ""})
    assert response.status_code == 422 and "Tuliskan alasannya." in page_text(response)
    data = {"reopen-version": case.version, "reopen-reason": "Klien datang lagi"}
    assert client.post(f"/cases/{case.uuid}/reopen", data=data).status_code == 302
    assert case.stage == Stage.INTAKE and case.outcome is None
    page = page_text(client.get(f"/cases/{case.uuid}"))
    assert "Kasus dibuka kembali</strong>: Klien datang lagi" in page


def test_another_agencys_case_is_missing(client, login, make, caseworker, open_case):
    case = open_case()
    closure, _created = propose_closure(case, caseworker, case.version, {"outcome": "refused", "terminated_on": DAY})
    stranger = make.user(role=Role.SUPERVISOR)
    login(stranger)
    assert _propose(client, case).status_code == 404
    approve = f"/cases/{case.uuid}/closure/{closure.uuid}/approve"
    assert client.post(approve, data={"version": closure.version}).status_code == 404
    assert closure.status == ClosureStatus.PENDING


def test_a_link_from_a_reunification_opens_the_proposal_with_its_outcome(client, login, caseworker, open_case):
    case = open_case()
    login(caseworker)
    page = client.get(f"/cases/{case.uuid}?outcome=reunified").get_data(as_text=True)
    assert '<option selected value="reunified">' in page
    assert 'class="step-more" open' in page
    # An outcome that does not exist is ignored: nothing chosen for the caseworker.
    unknown = client.get(f"/cases/{case.uuid}?outcome=lost").get_data(as_text=True)
    assert not any(f'<option selected value="{outcome.value}">' in unknown for outcome in Outcome)
