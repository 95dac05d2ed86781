"""Triage pages: the queue of findings and complaints waiting for a decision, and one report with its decisions.

Each decision view parses its form, calls one operation of
``casework.findings.triage``, commits and returns to the report. A refusal
rolls back and shows the report again with the reason beside the form (and,
for a new client who looks like a registered one, the candidates).
"""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.admin.forms import attach_errors
from casework.clients.labels import SEX_LABELS
from casework.core.errors import Conflict, ServiceError
from casework.core.pagination import COUNT_BOUND, paginate
from casework.core.permissions import require
from casework.extensions import db
from casework.findings import labels, queue, triage
from casework.findings.triage_forms import EVENT_LABELS, FORMS

bp = Blueprint("triage", __name__)

DONE = {
    "review": lambda: _("Laporan mulai ditinjau."),
    "open-case": lambda: _("Kasus dibuka dari laporan ini."),
    "attach": lambda: _("Laporan digabung ke kasus."),
    "forward-unit": lambda: _("Laporan diteruskan ke antrean unit lain."),
    "forward-agency": lambda: _("Laporan diteruskan ke lembaga lain."),
    "close": lambda: _("Laporan ditutup."),
    "visit": lambda: _("Kunjungan pertama dicatat."),
}


@bp.app_context_processor
def _triage_helpers():
    """Label tables for the triage templates and the desk's section."""
    return {
        "report_kind_labels": labels.KIND_LABELS,
        "report_source_labels": labels.SOURCE_LABELS,
        "report_urgency_labels": labels.URGENCY_LABELS,
        "report_status_labels": labels.STATUS_LABELS,
        "report_close_labels": labels.CLOSE_REASON_LABELS,
        "report_event_labels": EVENT_LABELS,
        "report_age": queue.age_text,
    }


@bp.app_template_global("triage_counts")
def triage_counts():
    """(waiting, emergencies) in the signed-in user's triage queue, for the supervisor's home page."""
    return queue.queue_counts(current_user)


@bp.route("/")
@require("findings.triage")
def index():
    """The reports waiting in the user's queue: emergencies first, then the longest waiting; paged."""
    page = paginate(queue.queue_select(current_user), bound=COUNT_BOUND)
    context = {
        "page": page,
        "photos": queue.photo_counts([report.id for report in page.items]),
        "counts": queue.queue_counts(current_user),
        "bound": COUNT_BOUND,
    }
    return render_template("findings/triage/queue.html", **context)


@bp.route("/<report_uuid>")
@require("findings.triage")
def detail(report_uuid):
    """A report: all it says, its photos and history, likely clients and related reports, and the decisions open."""
    return _detail_page(queue.agency_report(current_user.agency_id, report_uuid))


def _detail_page(report, submitted=None, status=200, problem=None, matches=None):
    """The report page at its current state, with a refused ``submitted`` (action, form) in its place."""
    forms = {
        action: FORMS[action].build(report, formdata=None, prefix=action, version=report.version)
        for action in triage.actions_for(report)
    }
    if submitted is not None and submitted[0] in forms:
        forms[submitted[0]] = submitted[1]
    context = {
        "report": report,
        "forms": forms,
        "problem": problem,
        "problem_action": submitted[0] if submitted else None,
        "duplicates": matches or [],
        "history": queue.history(report),
        "likely": queue.likely_clients(report),
        "related": queue.related_reports(report),
        "times": queue.response_times(report),
        "sex_labels": SEX_LABELS,
    }
    return render_template("findings/triage/detail.html", **context), status


@bp.post("/<report_uuid>/<any(review, 'open-case', attach, 'forward-unit', 'forward-agency', close, visit):action>")
@require("findings.triage")
def decide(report_uuid, action):
    """Takes ``action`` on the report with its submitted form; a refusal shows the report again, nothing saved."""
    report = queue.agency_report(current_user.agency_id, report_uuid)
    form = FORMS[action].build(report, prefix=action)
    if not form.validate_on_submit():
        return _detail_page(report, (action, form), 422)
    try:
        triage.OPERATIONS[action](report, current_user, form.version.data, form.values())
    except ServiceError as error:
        db.session.rollback()
        problem = attach_errors(form, error)
        if isinstance(error, Conflict):
            # Offered again at the version stored now, with what was typed.
            problem = error.message
            form.version.raw_data, form.version.data = [], report.version
        return _detail_page(report, (action, form), error.status, problem, getattr(error, "matches", None))
    db.session.commit()
    flash(DONE[action](), "success")
    return redirect(url_for(".detail", report_uuid=report.uuid))
