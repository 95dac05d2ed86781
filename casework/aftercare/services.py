"""The named operations of graduation and aftercare, shared by the pages and the API.

Each checks every field at once (Indonesian messages by field, 422), refuses
a step the case does not allow (409), and goes through the case timeline
(``changing``): one event and one audit row (ids and codes only) in the same
transaction as the change.

- The exit assessment is recorded next to the closure: while a closure waits
  for approval, or after the case ended. Recording it again replaces it (at
  its version).
- Visit slots are scheduled at the agency's month offsets from the
  termination date when a case ends with a graduation (an exit assessment)
  or enters aftercare (``schedule_visits``, called by the closure approval,
  the start of aftercare and the exit assessment); reopening the case drops
  the slots not visited yet (``drop_open_visits``).
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.aftercare.graduation import REQUIRED_DECISIONS, graduation_type
from casework.aftercare.models import (
    AftercareReminder,
    AftercareVisit,
    ExitAssessment,
    ExitDecision,
    ExitScore,
    GraduationType,
    VisitResult,
)
from casework.aftercare.schedule import visit_months
from casework.aftercare.variables import bounded_number, saved_variables
from casework.cases.models import CLOSED_STAGES, Outcome, Stage
from casework.cases.stages import add_months
from casework.cases.timeline import changing
from casework.closure.models import CaseClosure, ClosureStatus
from casework.core.errors import Conflict, check_version, flush_versioned
from casework.core.idempotency import parse_uuid
from casework.core.validation import Problems, choice, required_date
from casework.extensions import db

# --- Exit assessment ---------------------------------------------------------------------------------


def exit_assessment(case):
    """The case's exit assessment, or None."""
    return db.session.scalar(sa.select(ExitAssessment).where(ExitAssessment.case_id == case.id))


def exit_outcome(case):
    """The outcome the case ends (or is proposed to end) with; None while it is open with no closure waiting."""
    if case.stage in CLOSED_STAGES:
        return case.outcome
    # Read here, not through casework.closure.services, which calls this package when a closure is approved.
    return db.session.scalar(
        sa.select(CaseClosure.outcome).where(
            CaseClosure.case_id == case.id, CaseClosure.status == ClosureStatus.PENDING
        )
    )


def record_exit_assessment(case, actor, version, data, uuid=None, today=None):
    """Records (or, at its ``version``, replaces) the case's exit assessment; returns (assessment, created).

    ``data``: ``assessed_on``, ``decision`` and ``scores`` {variable code: score}. A retry with the first
    one's ``uuid`` returns it unchanged.
    """
    today = today or date.today()
    problems = Problems()
    assessment_uuid = parse_uuid(problems, uuid)
    problems.raise_any()
    existing = exit_assessment(case)
    if existing is not None and existing.uuid == assessment_uuid:
        return existing, False
    outcome = exit_outcome(case)
    if outcome is None:
        raise Conflict(_("Asesmen akhir dicatat saat terminasi: usulkan terminasi kasus ini dulu."))
    if outcome == Outcome.DIED:
        raise Conflict(_("Asesmen akhir tidak dicatat untuk klien yang meninggal dunia."))
    if existing is not None:
        check_version(existing, version, _("Asesmen akhir ini sudah diubah orang lain. Lihat keadaan terbaru."))
    assessed_on = required_date(
        problems, data, "assessed_on", today, case.intake_date, _("Asesmen akhir tidak bisa sebelum penerimaan.")
    )
    decision = _decision(problems, outcome, data.get("decision"))
    scored = _scores(problems, saved_variables(case.agency), data.get("scores") or {})
    problems.raise_any()
    assessment = existing or ExitAssessment(uuid=assessment_uuid, case_id=case.id, assessed_by_id=actor.id)
    kind = graduation_type(outcome, decision)
    details = {"decision": decision.value, "graduation": kind.value}
    with changing(case, case.version, "exit_assessed", actor, data.get("location"), **details) as facts:
        assessment.assessed_on, assessment.decision, assessment.assessed_by_id = assessed_on, decision, actor.id
        _set_scores(assessment, scored)
        assessment.score_total = sum(score * row.weight for row, score in scored)
        assessment.score_max = sum(row.max_score * row.weight for row, _score in scored)
        facts.update(score_total=assessment.score_total, score_max=assessment.score_max)
        db.session.add(assessment)
        flush_versioned(lambda: _("Asesmen akhir ini sudah diubah orang lain. Lihat keadaan terbaru."))
        schedule_visits(case, assessment)
    return assessment, existing is None


def _set_scores(assessment, scored):
    """Puts ``scored`` [(variable, score)] on the assessment, updating a variable's row in place (it is unique)."""
    current = {entry.variable_id: entry for entry in assessment.scores}
    kept = []
    for row, score in scored:
        entry = current.pop(row.id, None) or ExitScore(variable_id=row.id)
        entry.ordinal, entry.score, entry.weight, entry.max_score = row.ordinal, score, row.weight, row.max_score
        kept.append(entry)
    assessment.scores = kept


def _decision(problems, outcome, value):
    """The exit decision, which must agree with the outcome (self-reliant outcome: self-reliant; removed: not)."""
    decision = choice(problems, value, "decision", ExitDecision, _("Pilih keputusan: mandiri atau belum mandiri."))
    required = REQUIRED_DECISIONS.get(outcome)
    if decision is not None and required is not None and decision != required:
        problems.add("decision", _("Hasil terminasi 'mandiri' hanya bisa dengan keputusan mandiri."))
    fixed = graduation_type(outcome, None)
    if decision == ExitDecision.SELF_RELIANT and fixed == GraduationType.REMOVED:
        problems.add(
            "decision", _("Klien yang pergi, hilang kontak atau menolak layanan tidak bisa dinyatakan mandiri.")
        )
    return decision


def _scores(problems, rows, given):
    """[(variable, score)] for every active variable; each score a whole number from 0 to its maximum."""
    scored = []
    for row in rows:
        field = f"score_{row.code}"
        score = bounded_number(
            problems, given.get(row.code), field, 0, row.max_score, _("Isi nilai 0 sampai %(n)d.", n=row.max_score)
        )
        scored.append((row, score))
    return scored


# --- Aftercare visits --------------------------------------------------------------------------------


def schedule_visits(case, assessment=None):
    """Adds the visit slots a closed case lacks, at the agency's month offsets from its termination date.

    Only for a case that ended with a graduation (``assessment``, or its recorded exit assessment) or is in
    aftercare, and never for a client who died. Returns the slots added.
    """
    if case.stage not in CLOSED_STAGES or case.outcome == Outcome.DIED:
        return []
    # Called inside a case operation before its flush: an autoflush here would raise a concurrent decision's
    # stale version as a bare error instead of the operation's 409.
    with db.session.no_autoflush:
        if case.stage != Stage.AFTERCARE and (assessment or exit_assessment(case)) is None:
            return []
        taken = set(db.session.scalars(sa.select(AftercareVisit.month_offset).where(AftercareVisit.case_id == case.id)))
    added = [
        AftercareVisit(case_id=case.id, month_offset=month, due_on=add_months(case.terminated_on, month))
        for month in visit_months(case.agency)
        if month not in taken
    ]
    db.session.add_all(added)
    return added


def drop_open_visits(case):
    """Removes the case's visit slots not visited yet (the case was reopened), and their reminders."""
    not_visited = (AftercareVisit.case_id == case.id) & AftercareVisit.visited_on.is_(None)
    # Inside the reopening, before its flush (see ``schedule_visits``).
    with db.session.no_autoflush:
        visit_ids = sa.select(AftercareVisit.id).where(not_visited)
        db.session.execute(sa.delete(AftercareReminder).where(AftercareReminder.visit_id.in_(visit_ids)))
        db.session.execute(sa.delete(AftercareVisit).where(not_visited))


def record_visit(visit, actor, version, data, today=None):
    """Records aftercare ``visit`` (at its ``version``): when, what it found (stable, fallen back, not met), notes."""
    today = today or date.today()
    case = visit.case
    if visit.visited_on is not None:
        raise Conflict(_("Kunjungan ini sudah dicatat."))
    check_version(visit, version, _("Kunjungan ini sudah diubah orang lain. Lihat keadaan terbaru, lalu ulangi."))
    if case.stage not in CLOSED_STAGES:
        raise Conflict(_("Kasus ini dibuka kembali: kunjungan bimbingan lanjut tidak dicatat lagi."))
    problems = Problems()
    visited_on = required_date(
        problems,
        data,
        "visited_on",
        today,
        case.terminated_on,
        _("Kunjungan tidak bisa sebelum terminasi (%(date)s).", date=case.terminated_on.isoformat()),
    )
    result = choice(problems, data.get("result"), "result", VisitResult, _("Pilih hasil kunjungan."))
    notes = (data.get("notes") or "").strip() or None
    problems.raise_any()
    details = {"visit": visit.id, "month": visit.month_offset, "result": result.value}
    with changing(case, case.version, "aftercare_visit", actor, data.get("location"), **details):
        visit.visited_on, visit.result, visit.notes, visit.recorded_by_id = visited_on, result, notes, actor.id
    return visit
