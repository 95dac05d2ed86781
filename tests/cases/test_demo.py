"""Demo cases: every stage, made by the case operations (timeline and audit), a caseload for peksos, idempotent."""

from datetime import date

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import User
from casework.cases.models import OPEN_STAGES, Case, CaseEvent, ServiceDelivery, Stage
from casework.cases.queries import overdue_counts
from casework.clients.models import Client
from casework.demo import load_demo_data
from casework.extensions import db
from casework.findings.models import Report, ReportStatus


def _count(model, *conditions):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def test_demo_cases_reach_every_stage_through_the_operations(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_CASES", 120)
    load_demo_data()
    cases = db.session.scalars(sa.select(Case)).all()
    # The demo's findings open one more case from the triage queue.
    assert _count(Report, Report.status == ReportStatus.CASE_OPENED) == 1
    assert len(cases) == 121
    assert {case.stage for case in cases} == set(Stage)
    assert len({case.intake_channel for case in cases}) >= 5
    assert any(case.needs_met_on for case in cases) and any(case.stays for case in cases)
    # Each case's timeline starts with its opening, dated on the intake day; the audit has every opening.
    # (A case opened from a finding starts on the day the finding was decided.)
    decided = dict(
        db.session.execute(
            sa.select(Report.case_id, Report.decided_at).where(Report.status == ReportStatus.CASE_OPENED)
        ).all()
    )
    for case in cases:
        first = db.session.scalars(
            sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at, CaseEvent.id).limit(1)
        ).one()
        opened_on = decided[case.id].date() if case.id in decided else case.intake_date
        assert first.kind == "opened" and first.at.date() == opened_on
    assert _count(AuditEvent, AuditEvent.action == "case.opened") == 121
    assert _count(AuditEvent, AuditEvent.action == "case.service_delivered") == _count(ServiceDelivery)
    assert all(case.intake_date <= date.today() for case in cases)
    peksos = db.session.scalar(sa.select(User).where(User.username == "peksos"))
    held = [case for case in cases if case.caseworker_id == peksos.id and case.stage in OPEN_STAGES]
    assert len(held) >= 15
    assert sum(overdue_counts(peksos.agency).values()) > 0


def test_demo_cases_are_made_once(app):
    load_demo_data()
    counts = [_count(model) for model in (Case, ServiceDelivery, CaseEvent, AuditEvent, Client, User)]
    assert counts[0] == app.config["DEMO_CASES"] + 1
    load_demo_data()
    assert [_count(model) for model in (Case, ServiceDelivery, CaseEvent, AuditEvent, Client, User)] == counts
