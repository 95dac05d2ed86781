"""The supervisor's desk: who sees it, its sections, deciding closures from it, caseload per caseworker in one query."""

from datetime import date, timedelta

import pytest

from casework.auth.models import Role
from casework.cases.models import Stage
from casework.closure.models import ClosureStatus
from casework.closure.services import propose_closure
from casework.desk import sections
from tests.admin.helpers import page_text

PROPOSAL = {"outcome": "self_reliant", "terminated_on": "2026-11-10", "aftercare_months": 6}


def nothing(user):
    """A section with nothing to show."""
    return None


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.SUPERVISOR, True), (Role.ADMIN, True), (Role.CASEWORKER, False), (Role.DATA_OFFICER, False)],
)
def test_only_supervisors_and_admins_have_a_desk(client, login, staff, role, allowed):
    login(staff(role))
    response = client.get("/desk/")
    assert response.status_code == (200 if allowed else 403)
    assert ("Meja supervisor" in page_text(client.get("/home"))) is allowed


def test_closures_are_decided_from_the_desk_in_one_tap(client, login, caseworker, supervisor, new_case):
    cases = [new_case(), new_case()]
    waiting = [propose_closure(case, caseworker, case.version, PROPOSAL)[0] for case in cases]
    mine = new_case()
    propose_closure(mine, supervisor, mine.version, PROPOSAL)
    login(supervisor)
    desk = page_text(client.get("/desk/"))
    assert "Terminasi menunggu persetujuan" in desk and all(case.number in desk for case in (*cases, mine))
    assert desk.count("Setujui terminasi</button>") == 2 and "Ini usulan Anda sendiri" in desk
    assert 'name="next" type="hidden" value="desk"' in desk
    closure = waiting[0]
    response = client.post(
        f"/cases/{cases[0].uuid}/closure/{closure.uuid}/approve", data={"version": closure.version, "next": "desk"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/desk/"
    assert closure.status == ClosureStatus.APPROVED and cases[0].stage == Stage.AFTERCARE
    desk = page_text(client.get("/desk/"))
    assert "Terminasi disetujui." in desk and cases[0].number not in desk and cases[1].number in desk
    # A stale tap (decided meanwhile) shows the desk again with the reason.
    stale = client.post(f"/cases/{cases[0].uuid}/closure/{closure.uuid}/approve", data={"version": 1, "next": "desk"})
    assert stale.status_code == 409 and "Meja supervisor" in page_text(stale)


def test_caseload_per_caseworker_with_overdue_counts(
    app, make, office, staff, caseworker, supervisor, new_case, close_case
):
    other = staff(Role.CASEWORKER)
    long_ago = date.today() - timedelta(days=60)
    for _n in range(3):
        new_case(intake_date=long_ago)
    new_case(intake_date=date.today())
    new_case(intake_date=long_ago, caseworker_id=other.id)
    close_case(new_case(), outcome="refused", terminated_on="2026-11-02")
    # Another unit's case does not count on this supervisor's desk.
    elsewhere = make.unit(agency=office.agency)
    new_case(unit_id=elsewhere.id, caseworker_id=make.user(role=Role.CASEWORKER, unit=elsewhere).id)
    rows = {row["full_name"]: row for row in sections.caseload_rows(supervisor)}
    assert set(rows) == {caseworker.full_name, other.full_name}
    assert (rows[caseworker.full_name]["open"], rows[caseworker.full_name]["assessment"]) == (4, 3)
    assert (rows[other.full_name]["open"], rows[other.full_name]["assessment"]) == (1, 1)
    overdue_section = sections.overdue(supervisor)
    assert overdue_section[1]["counts"]["assessment"] == 4


def test_the_desk_renders_its_sections_in_order_and_skips_empty_ones(
    client, login, monkeypatch, supervisor, caseworker, new_case
):
    new_case(intake_date=date.today() - timedelta(days=60))
    login(supervisor)
    desk = page_text(client.get("/desk/"))
    assert desk.index("Lewat tenggat") < desk.index("Beban kasus per pekerja sosial")
    assert "Terminasi menunggu persetujuan" not in desk
    monkeypatch.setattr("casework.desk.DESK_SECTIONS", ("tests.desk.test_desk:nothing",))
    assert "Tidak ada yang menunggu keputusan" in page_text(client.get("/desk/"))
