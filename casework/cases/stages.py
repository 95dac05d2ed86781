"""The stage operations: assessment, intervention plan, termination (as a closure approves it), aftercare.

Each is guarded: it runs only from the stages it names, and refuses with a
409 and a clear message otherwise (the case moved on in another tab, or the
step is out of order). The CHECK constraints of ``Case`` hold the same rules
in the database.
"""

import calendar
from datetime import date

from flask_babel import gettext as _

from casework.cases.labels import STAGE_LABELS
from casework.cases.models import CLOSED_STAGES, OPEN_STAGES, CaseNeed, Outcome, Stage
from casework.cases.needs import refresh_needs_met
from casework.cases.spm import derive_spm_service_type
from casework.cases.timeline import changing
from casework.core.errors import Conflict
from casework.core.lookup import row_by_id
from casework.core.validation import Problems, choice, required_date, whole_number
from casework.extensions import db
from casework.reference.models import Service

AFTERCARE_MONTHS = (6, 12, 18, 24, 36)


def _require_stage(case, *stages):
    """Refuses an operation when the case is not in one of ``stages``."""
    if case.stage not in stages:
        raise Conflict(_("Langkah ini tidak bisa dilakukan: kasus sedang di tahap %(stage)s.", stage=_stage(case)))


def _stage(case):
    """The case's stage as shown to users."""
    return str(STAGE_LABELS[case.stage])


def begin_assessment(case, actor, version, data, today=None):
    """Intake → assessment, from ``started_on`` (not before intake)."""
    today = today or date.today()
    _require_stage(case, Stage.INTAKE)
    problems = Problems()
    started = required_date(
        problems, data, "started_on", today, case.intake_date, _("Asesmen tidak bisa dimulai sebelum penerimaan.")
    )
    problems.raise_any()
    with changing(case, version, "assessment_started", actor, data.get("location"), on=started.isoformat()):
        case.stage, case.assessment_started_on = Stage.ASSESSMENT, started
    return case


def _needs(problems, entries):
    """Checks the required services [{service_id, quantity}]: catalogued, active, each once."""
    clean = {}
    for entry in entries or ():
        raw = entry.get("service_id")
        service = row_by_id(Service, raw)
        if service is None or not service.active:
            problems.add("needs", _("Layanan yang dipilih tidak ada di katalog layanan."))
            continue
        quantity = entry.get("quantity")
        quantity = 1 if quantity in (None, "") else quantity
        number = whole_number(
            problems, quantity, "needs", _("Jumlah layanan %(name)s harus 1 atau lebih.", name=service.name)
        )
        if service.max_days and number and number > service.max_days:
            problems.add("needs", _("%(name)s paling lama %(days)d hari.", name=service.name, days=service.max_days))
        if service.id in clean:
            problems.add("needs", _("Layanan %(name)s dipilih dua kali.", name=service.name))
        clean[service.id] = number or 1
    if not clean and not problems.fields.get("needs"):
        problems.add("needs", _("Pilih minimal satu layanan yang dibutuhkan klien."))
    return clean


def complete_assessment(case, actor, version, data, today=None):
    """Assessment → planning: the client's condition and the services they need; derives the SPM service type."""
    today = today or date.today()
    _require_stage(case, Stage.ASSESSMENT)
    problems = Problems()
    assessed = required_date(
        problems,
        data,
        "assessed_on",
        today,
        case.assessment_started_on,
        _("Asesmen tidak bisa selesai sebelum dimulai."),
    )
    condition = (data.get("condition") or "").strip()
    if not condition:
        problems.add("condition", _("Tuliskan kondisi klien hasil asesmen."))
    needs = _needs(problems, data.get("needs"))
    problems.raise_any()
    with changing(case, version, "assessed", actor, data.get("location"), services=sorted(needs)) as facts:
        case.stage, case.assessed_on, case.condition = Stage.PLANNING, assessed, condition
        case.needs = [CaseNeed(service_id=service_id, quantity=quantity) for service_id, quantity in needs.items()]
        spm_type = derive_spm_service_type(case, assessed)
        case.spm_service_type_id = spm_type.id if spm_type else None
        facts["spm_service_type"] = spm_type.code if spm_type else None
        db.session.flush()
        refresh_needs_met(case)
    return case


def record_plan(case, actor, version, data, today=None):
    """Planning → intervention: the plan's goals and a target date for each required service."""
    today = today or date.today()
    _require_stage(case, Stage.PLANNING)
    problems = Problems()
    planned = required_date(
        problems, data, "planned_on", today, case.assessed_on, _("Rencana tidak bisa dibuat sebelum asesmen selesai.")
    )
    goals = (data.get("plan_goals") or "").strip()
    if not goals:
        problems.add("plan_goals", _("Tuliskan tujuan rencana intervensi."))
    due = _due_dates(problems, case, data.get("due_dates") or {}, planned)
    problems.raise_any()
    with changing(case, version, "planned", actor, data.get("location"), on=planned.isoformat()):
        case.stage, case.planned_on, case.plan_goals = Stage.INTERVENTION, planned, goals
        for need in case.needs:
            need.due_on = due.get(need.service_id)
    return case


def _due_dates(problems, case, given, planned):
    """Target dates by service id for the case's needs; none may precede the plan."""
    due = {}
    services = {need.service_id for need in case.needs}
    for key, value in given.items():
        if value in (None, ""):
            continue
        service_id = int(key) if str(key).isdigit() else None
        if service_id not in services:
            problems.add("due_dates", _("Target tanggal hanya untuk layanan yang dibutuhkan menurut asesmen."))
            continue
        try:
            due_on = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            problems.add("due_dates", _("Tanggal tidak valid atau tidak ada di kalender (format TTTT-BB-HH)."))
            continue
        if planned and due_on < planned:
            problems.add("due_dates", _("Target tanggal layanan tidak boleh sebelum tanggal rencana."))
            continue
        due[service_id] = due_on
    return due


def termination_facts(case, data, today=None):
    """Checks a proposed termination against the case: (outcome, date, notes, aftercare months or None).

    Checked when a closure is proposed and again when it is approved (a stay may have begun meanwhile).
    """
    today = today or date.today()
    problems = Problems()
    outcome = choice(problems, data.get("outcome"), "outcome", Outcome, _("Pilih hasil terminasi."))
    ended = required_date(
        problems, data, "terminated_on", today, case.intake_date, _("Terminasi tidak bisa sebelum tanggal penerimaan.")
    )
    stay = case.current_stay
    if stay is not None and ended and ended < stay.admitted_on:
        problems.add("terminated_on", _("Terminasi tidak bisa sebelum klien masuk tempat tinggal sementara."))
    months = None
    if data.get("aftercare_months") not in (None, ""):
        months = aftercare_months(problems, data.get("aftercare_months"), "aftercare_months")
        if outcome == Outcome.DIED:
            problems.add("aftercare_months", _("Tidak ada bimbingan lanjut bila klien meninggal dunia."))
    problems.raise_any()
    return outcome, ended, (data.get("termination_notes") or "").strip() or None, months


def end_case(case, outcome, ended, notes, months=None):
    """Terminates an open case (its approved closure's effect): closes an open stay; starts aftercare if given."""
    _require_stage(case, *OPEN_STAGES)
    stay = case.current_stay
    case.stage, case.outcome, case.terminated_on, case.termination_notes = Stage.TERMINATED, outcome, ended, notes
    if stay is not None:
        stay.discharged_on = ended
    if months:
        case.stage, case.aftercare_until = Stage.AFTERCARE, add_months(ended, months)


def reopen_case(case):
    """Terminated or aftercare → back to the open stage its assessment and plan allow; returns what was cleared.

    The outcome, dates, notes and aftercare period are cleared from the case
    (the closure record and the timeline keep them); needs, deliveries and
    the discharged stay stay as they were.
    """
    _require_stage(case, *CLOSED_STAGES)
    cleared = {
        "previous_outcome": case.outcome.value,
        "terminated_on": case.terminated_on.isoformat(),
        "aftercare_until": case.aftercare_until.isoformat() if case.aftercare_until else None,
    }
    if case.planned_on:
        case.stage = Stage.INTERVENTION
    elif case.assessed_on:
        case.stage = Stage.PLANNING
    else:
        case.stage = Stage.ASSESSMENT if case.assessment_started_on else Stage.INTAKE
    case.outcome = case.terminated_on = case.termination_notes = case.aftercare_until = None
    return cleared


def add_months(day, months):
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def aftercare_months(problems, value, field):
    """The months of aftercare monitoring ``value`` names (one of AFTERCARE_MONTHS); notes a problem otherwise."""
    months = int(value) if str(value or "").strip().isdigit() else None
    if months not in AFTERCARE_MONTHS:
        problems.add(field, _("Pilih lama pemantauan: 6, 12, 18, 24 atau 36 bulan."))
    return months


def begin_aftercare(case, actor, version, data):
    """Terminated → aftercare: monitoring for a number of months after termination."""
    _require_stage(case, Stage.TERMINATED)
    problems = Problems()
    months = aftercare_months(problems, data.get("months"), "months")
    problems.raise_any()
    # Imported here: casework.aftercare builds on this module.
    from casework.aftercare.services import schedule_visits

    with changing(case, version, "aftercare_started", actor, data.get("location"), months=months):
        case.stage, case.aftercare_until = Stage.AFTERCARE, add_months(case.terminated_on, months)
        schedule_visits(case)
    return case
