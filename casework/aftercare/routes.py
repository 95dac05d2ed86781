"""Aftercare pages: the exit assessment beside the closure, visits to record, graduation figures, early warning.

Each operation page parses its form, calls one service, commits and
redirects; a refusal shows the page again with what was typed and the
messages by field, nothing saved. A volunteer's pages show only what a visit
needs: the client's name, village and the due date.
"""

import uuid as uuid_module
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.admin.forms import attach_errors
from casework.aftercare import figures, queries, services, variables
from casework.aftercare.forms import ExitAssessmentForm, VariableForm, VisitForm
from casework.aftercare.graduation import graduation_type, self_reliance_index
from casework.aftercare.labels import DECISION_LABELS, GRADUATION_LABELS, RESULT_LABELS
from casework.auth.models import Role
from casework.cases.models import Outcome
from casework.cases.queries import readable_case
from casework.core.errors import Conflict, NotFound, ServiceError
from casework.core.pagination import paginate
from casework.core.permissions import can, require
from casework.core.types import utcnow
from casework.extensions import db
from casework.figures.achievement import parse_period, parse_places
from casework.figures.forms import PeriodFilterForm

bp = Blueprint("aftercare", __name__)

LABELS = {"decision_labels": DECISION_LABELS, "graduation_labels": GRADUATION_LABELS, "result_labels": RESULT_LABELS}


@bp.app_template_global("aftercare_section")
def aftercare_section(case):
    """What the case page's aftercare part shows: the exit assessment, its form when it applies, the visits."""
    assessment = services.exit_assessment(case)
    outcome = services.exit_outcome(case)
    assessable = outcome is not None and outcome != Outcome.DIED and can(current_user, "cases.manage")
    return {
        "assessment": assessment,
        "index": self_reliance_index(assessment.score_total, assessment.score_max) if assessment else None,
        "graduation": graduation_type(outcome, assessment.decision) if assessment and outcome else None,
        "can_assess": assessable,
        "visits": queries.case_visits(case),
        "can_record": can(current_user, "aftercare.visit"),
        "today": date.today(),
        **LABELS,
    }


def _refused(form, error, record=None):
    """Puts a refusal on ``form``; returns the message to show above it (a conflict's, or one no field takes)."""
    db.session.rollback()
    problem = attach_errors(form, error)
    if isinstance(error, Conflict):
        problem = error.message
        if record is not None:
            form.version.raw_data, form.version.data = [], record.version
    return problem


@bp.route("/cases/<case_uuid>/exit", methods=["GET", "POST"])
@require("cases.manage")
def exit_assessment(case_uuid):
    """Records (or replaces) the case's exit assessment: a score per variable and the decision."""
    case = readable_case(current_user, case_uuid)
    existing = services.exit_assessment(case)
    form = ExitAssessmentForm()
    if request.method == "GET":
        form.uuid.data = str(uuid_module.uuid4())
        if existing is not None:
            form.version.data, form.decision.data = existing.version, existing.decision.value
            form.assessed_on.data = existing.assessed_on.isoformat()
    given = {code[len("score_") :]: value for code, value in request.form.items() if code.startswith("score_")}
    if not given and existing is not None:
        given = {score.variable.code: score.score for score in existing.scores}
    context = {"case": case, "form": form, "variables": variables.variables(case.agency), "given": given, "errors": {}}
    if not form.is_submitted():
        return render_template("aftercare/exit_form.html", **context)
    try:
        form.validate()
        data = {**form.values(), "scores": given}
        services.record_exit_assessment(case, current_user, form.version.data, data, uuid=form.uuid.data or None)
    except ServiceError as error:
        problem = _refused(form, error, existing)
        # The scores are not fields of the form: their messages are shown beside each input by name.
        context["errors"] = error.fields
        return render_template("aftercare/exit_form.html", problem=problem, **context), error.status
    db.session.commit()
    flash(_("Asesmen akhir dicatat."), "success")
    return redirect(url_for("cases.detail", case_uuid=case.uuid) + "#aftercare")


@bp.get("/visits")
@require("aftercare.visit")
def visits():
    """The visits the user may record, soonest due first, with their unread reminders."""
    page = paginate(queries.visits_select(current_user))
    return render_template(
        "aftercare/visits.html", page=page, reminders=queries.reminders(current_user), today=date.today(), **LABELS
    )


@bp.post("/reminders/read")
@require("aftercare.visit")
def read_reminders():
    """Marks the user's reminders read."""
    for reminder in queries.reminders(current_user):
        reminder.read_at = utcnow()
    db.session.commit()
    return redirect(url_for("aftercare.visits"))


@bp.route("/visits/<int:visit_id>", methods=["GET", "POST"])
@require("aftercare.visit")
def record_visit(visit_id):
    """Records an aftercare visit against its slot; back to the case page, or the visit list for a volunteer."""
    visit = queries.visible_visit(current_user, visit_id)
    form = VisitForm()
    if request.method == "GET":
        form.version.data = visit.version
    context = {"visit": visit, "form": form, "today": date.today(), **LABELS}
    if not form.is_submitted():
        return render_template("aftercare/visit_form.html", **context)
    try:
        form.validate()
        services.record_visit(visit, current_user, form.version.data, form.values())
    except ServiceError as error:
        problem = _refused(form, error, visit)
        return render_template("aftercare/visit_form.html", problem=problem, **context), error.status
    db.session.commit()
    flash(_("Kunjungan bimbingan lanjut dicatat."), "success")
    if current_user.role == Role.VOLUNTEER:
        return redirect(url_for("aftercare.visits"))
    return redirect(url_for("cases.detail", case_uuid=visit.case.uuid) + "#aftercare")


@bp.get("/graduation")
@require("figures.view")
def graduation():
    """Graduation rates by type and sustained graduation at 12 and 24 months for a period."""
    form = PeriodFilterForm()
    try:
        window = parse_period(form.year.data, request.args.get("quarter"), request.args.get("month"))
        places = parse_places(request.args.get("places"))
    except ServiceError as error:
        return render_template("aftercare/graduation.html", form=form, error=error, **LABELS), error.status
    return render_template(
        "aftercare/graduation.html",
        form=form,
        window=window,
        rates=figures.graduation_rates(current_user.agency_id, window, places),
        sustained=figures.sustained_graduation(current_user.agency_id, window, places=places),
        **LABELS,
    )


@bp.get("/early-warning")
@require("cases.view")
def early_warning():
    """Ended cases under watch showing signs of falling back."""
    page = figures.early_warning_page(current_user.agency_id)
    return render_template("aftercare/early_warning.html", page=page, **LABELS)


@bp.get("/variables")
@require("admin.agency")
def variable_list():
    """The agency's self-reliance index variables, each editable, and a form for a new one."""
    return _variables_page()


def _variables_page(refused=None, problem=None, status=200):
    """The variables page; ``refused`` (a variable's code or "new", its form) shows a refused form again."""
    forms = {}
    for row in variables.all_variables(current_user.agency):
        forms[row.code] = (row, VariableForm(formdata=None, obj=row, prefix=f"{row.code}-"))
    new_form = VariableForm(formdata=None, prefix="new-")
    if refused is not None and refused[0] == "new":
        new_form = refused[1]
    elif refused is not None:
        forms[refused[0]] = (forms[refused[0]][0], refused[1])
    page = render_template("aftercare/variables.html", forms=forms.values(), new_form=new_form, problem=problem)
    return page, status


@bp.post("/variables", defaults={"code": None})
@bp.post("/variables/<code>")
@require("admin.agency")
def save_variable(code):
    """Adds a variable (no code) or saves one; the index of later assessments follows."""
    form = VariableForm(prefix=f"{code}-" if code else "new-")
    data = {name: form[name].data for name in ("code", "name", "weight", "max_score", "active")}
    # A new variable counts at once; the box to switch one off is on the saved ones only.
    data["active"] = data["active"] or code is None
    try:
        form.validate()
        variables.save_variable(current_user.agency, data, code, form.version.data)
    except ServiceError as error:
        if isinstance(error, NotFound):
            raise
        problem = _refused(form, error)
        return _variables_page((code or "new", form), problem, error.status)
    db.session.commit()
    flash(_("Variabel indeks kemandirian disimpan."), "success")
    return redirect(url_for("aftercare.variable_list"))
