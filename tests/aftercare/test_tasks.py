"""The daily reminder job: one reminder per visit, stage and person, whoever runs it how often."""

from datetime import date

import sqlalchemy as sa

from casework.aftercare.models import AftercareReminder, AftercareVisit
from casework.aftercare.queries import reminders
from casework.aftercare.tasks import remind_visits
from casework.auth.models import Role
from casework.extensions import db
from casework.scheduling import load_jobs, run_job

# 24 months after 31 March 2025 is six days ahead; months 6, 12 and 18 have passed unvisited.
TODAY = date(2027, 3, 25)


def _sent():
    rows = db.session.execute(sa.select(AftercareReminder.user_id, AftercareReminder.stage)).all()
    return sorted((user_id, stage.value) for user_id, stage in rows)


def test_running_twice_reminds_once(ended_case, assess, caseworker, volunteer, make, office):
    elsewhere = make.user(role=Role.VOLUNTEER, unit=office, regions=("32.75.02",))
    make.user(role=Role.VOLUNTEER, unit=office, regions=("32.75.01",), active=False)
    assess(ended_case(date(2025, 3, 31)))
    assert remind_visits(TODAY) == {"due": 2, "overdue": 6}
    assert remind_visits(TODAY) == {"due": 0, "overdue": 0}
    expected = sorted(
        [(caseworker.id, "due"), (volunteer.id, "due")]
        + [(caseworker.id, "overdue")] * 3
        + [(volunteer.id, "overdue")] * 3
    )
    assert _sent() == expected
    assert elsewhere.id not in {user_id for user_id, _stage in _sent()}
    # The next day, month 24 is still only due: nothing new until it passes.
    assert remind_visits(date(2027, 3, 26)) == {"due": 0, "overdue": 0}
    assert remind_visits(date(2027, 4, 1)) == {"due": 0, "overdue": 2}
    assert [reminder.visit.month_offset for reminder in reminders(volunteer)] == [6, 12, 18, 24, 24]


def test_a_visit_made_is_not_reminded(ended_case, assess, caseworker):
    case = ended_case(date(2025, 3, 31))
    assess(case)
    db.session.execute(
        sa.update(AftercareVisit)
        .where(AftercareVisit.case_id == case.id)
        .values(visited_on=date(2025, 4, 1), result="stable", recorded_by_id=caseworker.id)
    )
    assert remind_visits(TODAY) == {"due": 0, "overdue": 0}


def test_the_job_is_registered_and_runs(app):
    assert "aftercare.remind_visits" in load_jobs()
    assert run_job(app, "aftercare.remind_visits") == "done"
