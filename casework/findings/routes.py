"""Pages for filing reports: a volunteer's finding form, "Temuan saya" and its status pages; staff complaint entry.

Each form carries a UUID made when the page was shown, so a double tap or a
resend on a bad connection files one report. A refusal rolls back (the
photos written go with it) and shows the form again with what was typed and
the messages by field; the photos must be chosen again, and the page says so.
A volunteer sees only their own findings and only where they stand.
"""

import uuid as uuid_module

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.admin.forms import attach_errors
from casework.core.errors import ServiceError
from casework.core.pagination import paginate
from casework.core.permissions import can, require
from casework.extensions import db
from casework.findings import labels, queries, services
from casework.findings.forms import ComplaintForm, finding_form

bp = Blueprint("findings", __name__)


@bp.app_template_global("my_findings_summary")
def my_findings_summary():
    """The signed-in volunteer's findings counted by where they stand, for their home page."""
    return queries.own_finding_counts(current_user)


def _label_context():
    """The label tables the findings pages show."""
    return {
        "status_labels": labels.STATUS_LABELS,
        "close_reason_labels": labels.CLOSE_REASON_LABELS,
        "urgency_labels": labels.URGENCY_LABELS,
        "source_labels": labels.SOURCE_LABELS,
    }


def _file_page(form, template, operation, done):
    """Shows the form, or files the report on a valid submission and goes to ``done(report)``.

    A refusal shows the form again, nothing saved, with a note when photos
    were sent (a browser cannot keep chosen files across pages).
    """
    context = {"form": form, **_label_context()}
    if not form.is_submitted():
        form.uuid.data = str(uuid_module.uuid4())
        return render_template(template, **context)
    photos = form.chosen_photos()
    if not form.validate():
        return render_template(template, photos_lost=bool(photos), **context), 422
    try:
        report, created = operation(
            current_user.agency, current_user, form.values(), photos, uuid=form.uuid.data or None
        )
    except ServiceError as error:
        db.session.rollback()
        problem = attach_errors(form, error)
        return render_template(template, problem=problem, photos_lost=bool(photos), **context), error.status
    db.session.commit()
    return done(report, created)


@bp.route("/")
@require("findings.submit")
def index():
    """Temuan saya: the volunteer's own findings, newest first, with their number, village and status."""
    page = paginate(queries.own_findings_select(current_user))
    return render_template("findings/index.html", page=page, **_label_context())


@bp.route("/new", methods=["GET", "POST"])
@require("findings.submit")
def new():
    """The volunteer's finding form (a phone, one-handed); filed, it shows in Temuan saya."""
    form = finding_form(queries.scope_villages(current_user))

    def done(report, created):
        if created:
            flash(_("Temuan %(number)s terkirim. Dinas akan meninjaunya.", number=report.number), "success")
        return redirect(url_for(".index"))

    return _file_page(form, "findings/new.html", services.submit_finding, done)


@bp.route("/<report_uuid>")
@require("findings.submit")
def detail(report_uuid):
    """Where one of the volunteer's own findings stands; anyone else's is a 404."""
    report = queries.own_finding(current_user, report_uuid)
    return render_template("findings/detail.html", report=report, **_label_context())


@bp.route("/complaints/new", methods=["GET", "POST"])
@require("complaints.enter")
def new_complaint():
    """Staff enter a complaint from the call centre, a walk-in, a message or a letter."""
    form = ComplaintForm.build()

    def done(report, created):
        if created:
            flash(_("Pengaduan dicatat dengan nomor %(number)s.", number=report.number), "success")
        return redirect(url_for(".complaint", report_uuid=report.uuid))

    return _file_page(form, "findings/complaint_new.html", services.submit_complaint, done)


@bp.route("/complaints/<report_uuid>")
@require("complaints.enter")
def complaint(report_uuid):
    """A complaint just entered: the reference number to give the reporter, and where it waits."""
    report = queries.agency_complaint(current_user.agency_id, report_uuid)
    triage_url = None
    if "triage.detail" in current_app.view_functions and can(current_user, "findings.triage"):
        triage_url = url_for("triage.detail", report_uuid=report.uuid)
    return render_template("findings/complaint.html", report=report, triage_url=triage_url, **_label_context())
