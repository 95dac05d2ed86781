"""Closing a case with a supervisor's approval, and reopening it: named operations with their guards.

A closure is proposed by anyone who works the case; the case stays open
while it waits. A supervisor (or administrator) other than the proposer
approves it, which terminates the case as proposed and starts its aftercare
when a period was given, or rejects it with a reason. Each step is a
timeline event of the case. Decisions carry the closure's version: of two
supervisors deciding at once, one wins and the other gets a 409.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from casework.aftercare.services import drop_open_visits, schedule_visits
from casework.cases.proposals import mark_decided, refuse_own
from casework.cases.stages import end_case, reopen_case, termination_facts
from casework.cases.timeline import changing
from casework.closure.models import CaseClosure, ClosureStatus
from casework.core.errors import Conflict, NotFound, check_version
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.validation import Problems
from casework.extensions import db


def pending_closure(case):
    """The closure of ``case`` waiting for a decision, or None."""
    return db.session.scalar(
        sa.select(CaseClosure).where(CaseClosure.case_id == case.id, CaseClosure.status == ClosureStatus.PENDING)
    )


def case_closure(case, closure_uuid):
    """The closure ``closure_uuid`` of ``case`` (another case's, or none, is a 404)."""
    closure = db.session.scalar(sa.select(CaseClosure).where(CaseClosure.uuid == _uuid(closure_uuid)))
    if closure is None or closure.case_id != case.id:
        raise NotFound(_("Usulan terminasi tidak ditemukan."))
    return closure


def _uuid(value):
    """``value`` as a UUID, or None when it is not one."""
    problems = Problems()
    parsed = parse_uuid(problems, value) if value else None
    return None if problems.fields else parsed


def closures(case):
    """The closures of ``case``, latest first, with who proposed and who decided each."""
    return db.session.scalars(
        sa.select(CaseClosure)
        .where(CaseClosure.case_id == case.id)
        .options(joinedload(CaseClosure.proposed_by), joinedload(CaseClosure.decided_by))
        .order_by(CaseClosure.id.desc())
    ).all()


def propose_closure(case, actor, version, data, uuid=None, today=None):
    """Proposes to terminate an open case; returns (closure, created). The case stays open until approved."""
    problems = Problems()
    closure_uuid = parse_uuid(problems, uuid)
    problems.raise_any()
    existing = earlier_create(problems, CaseClosure, closure_uuid, lambda row: row.case_id == case.id)
    if existing is not None:
        return existing, False
    if not case.is_open:
        raise Conflict(_("Kasus ini sudah diterminasi."))
    if pending_closure(case) is not None:
        raise Conflict(_("Sudah ada usulan terminasi yang menunggu persetujuan supervisor."))
    outcome, ended, notes, months = termination_facts(case, data, today)
    closure = CaseClosure(
        uuid=closure_uuid,
        case=case,
        outcome=outcome,
        terminated_on=ended,
        termination_notes=notes,
        aftercare_months=months,
        proposed_by_id=actor.id,
    )
    details = {"closure": str(closure_uuid), "outcome": outcome.value, "months": months}
    with changing(case, version, "closure_proposed", actor, data.get("location"), **details):
        db.session.add(closure)
    return closure, True


def _deciding(closure, actor, version):
    """Refuses a decision at a stale version, on a decided closure, or by its proposer (four eyes)."""
    check_version(
        closure, version, _("Usulan terminasi ini sudah diubah orang lain. Lihat keadaan terbaru, lalu ulangi.")
    )
    if closure.status != ClosureStatus.PENDING:
        raise Conflict(_("Usulan terminasi ini sudah diputuskan."))
    refuse_own(
        closure, actor, _("Anda tidak bisa memutuskan usulan terminasi Anda sendiri: supervisor lain yang memutuskan.")
    )


def approve_closure(closure, actor, version, data=None, today=None):
    """Approves a pending closure: the case is terminated as proposed, and its aftercare starts when one was given."""
    data = data or {}
    _deciding(closure, actor, version)
    case = closure.case
    proposed = {
        "outcome": closure.outcome.value,
        "terminated_on": closure.terminated_on,
        "termination_notes": closure.termination_notes,
        "aftercare_months": closure.aftercare_months,
    }
    outcome, ended, notes, months = termination_facts(case, proposed, today)
    details = {
        "closure": str(closure.uuid),
        "proposed_by": closure.proposed_by_id,
        "outcome": outcome.value,
        "months": months,
    }
    with changing(case, case.version, "closure_approved", actor, data.get("location"), **details):
        end_case(case, outcome, ended, notes, months)
        mark_decided(closure, actor, ClosureStatus.APPROVED)
        schedule_visits(case)
    return closure


def _reason(data, field="reason"):
    """The reason given in ``data``, required."""
    reason = (data.get(field) or "").strip()
    if not reason:
        problems = Problems()
        problems.add(field, _("Tuliskan alasannya."))
        problems.raise_any()
    return reason


def reject_closure(closure, actor, version, data):
    """Rejects a pending closure with a reason; the case stays open and may be proposed for closure again."""
    _deciding(closure, actor, version)
    reason = _reason(data)
    case = closure.case
    details = {"closure": str(closure.uuid), "proposed_by": closure.proposed_by_id, "reason": reason}
    with changing(case, case.version, "closure_rejected", actor, data.get("location"), **details):
        mark_decided(closure, actor, ClosureStatus.REJECTED)
        closure.decision_reason = reason
    return closure


def reopen(case, actor, version, data):
    """Reopens a terminated (or aftercare) case with a reason; it returns to the open stage its record allows."""
    reason = _reason(data)
    with changing(case, version, "case_reopened", actor, data.get("location"), reason=reason) as facts:
        facts.update(reopen_case(case))
        drop_open_visits(case)
    return case
