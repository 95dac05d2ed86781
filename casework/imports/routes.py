"""Pages of imports: choose a type and upload, the templates, the dry-run report with decisions, progress, history."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.auth.forms import EmptyForm
from casework.core.errors import ServiceError
from casework.core.pagination import paginate
from casework.core.permissions import require
from casework.extensions import db
from casework.imports import load_types, queries, services
from casework.imports.engine import undecided
from casework.imports.forms import UploadForm
from casework.imports.models import JobStatus
from casework.imports.template_files import csv_template, xlsx_template
from casework.imports.types import ACTION_LABELS
from casework.imports.worker import launch

bp = Blueprint("imports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIVE = (JobStatus.CHECKING, JobStatus.QUEUED, JobStatus.RUNNING)


@bp.url_value_preprocessor
def _allow_large_upload(endpoint, values):
    """An upload may be as large as an import file (the app's limit is for photos), before CSRF reads the form."""
    if endpoint == "imports.index" and request.method == "POST":
        services.request_limit()


@bp.context_processor
def _labels():
    """Labels the pages share."""
    return {"action_labels": {**{str(k): v for k, v in ACTION_LABELS.items()}, "decide": _("Perlu keputusan")}}


def _upload_form():
    """The upload form with the registered record types to choose from."""
    form = UploadForm()
    form.record_type.choices = [(name, str(kind.label)) for name, kind in load_types().items()]
    return form


@bp.route("/", methods=["GET", "POST"])
@require("imports.run")
def index():
    """Choose a record type, download its template, upload a file; the agency's imports, newest first."""
    form = _upload_form()
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        content = upload.read(services.max_bytes() + 1) if upload else b""
        try:
            job = services.upload(
                current_user.agency,
                current_user,
                form.record_type.data,
                content,
                getattr(upload, "filename", None),
                new_when_unsure=form.new_when_unsure.data,
            )
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            form.file.errors = list(error.fields.get("file", [error.message]))
            status = error.status
        else:
            launch(job)
            return redirect(url_for(".job", job_uuid=job.uuid))
    page = paginate(queries.history(current_user.agency))
    return render_template("imports/index.html", form=form, page=page, types=load_types()), status


@bp.get("/templates/<record_type>.<any(xlsx, csv):extension>")
@require("imports.run")
def template(record_type, extension):
    """The template of a record type: XLSX (with the "Kode" and "Petunjuk" sheets) or CSV."""
    kind = services.record_type_named(record_type)
    if extension == "xlsx":
        body, mimetype = xlsx_template(kind, current_user.agency), XLSX
    else:
        body, mimetype = csv_template(kind), "text/csv; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="template-{kind.name}.{extension}"'}
    return Response(body, mimetype=mimetype, headers=headers)


@bp.get("/jobs/<job_uuid>")
@require("imports.run")
def job(job_uuid):
    """One import: progress while it runs; the dry-run report, decisions and confirmation; the outcome."""
    found = services.agency_job(current_user.agency, job_uuid)
    action = request.args.get("action")
    page = paginate(queries.report_rows(found, action)) if found.status not in ACTIVE else None
    kind = services.record_type_named(found.record_type)
    headers = {column.id: column.header for column in kind.columns}
    rows = [queries.shown_row(row, current_user, headers) for row in page.items] if page else []
    return render_template(
        "imports/job.html",
        job=found,
        kind=kind,
        page=page,
        rows=rows,
        action=action,
        waiting=undecided(found),
        active=found.status in ACTIVE,
        form=EmptyForm(),
    )


@bp.get("/jobs/<job_uuid>/progress")
@require("imports.run")
def progress(job_uuid):
    """The job's progress as JSON, polled by the progress bar (``static/js/import-progress.js``)."""
    found = services.agency_job(current_user.agency, job_uuid)
    return {"status": str(found.status), "done": found.done, "total": found.total, "active": found.status in ACTIVE}


def _act(job_uuid, operation, message):
    """Runs a POSTed operation on the job, commits, starts it when queued; back to the job page."""
    form = EmptyForm()
    found = services.agency_job(current_user.agency, job_uuid)
    if form.validate_on_submit():
        try:
            operation(found)
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            if found.status == JobStatus.QUEUED:
                launch(found)
            flash(message, "success")
    return redirect(url_for(".job", job_uuid=job_uuid))


@bp.post("/jobs/<job_uuid>/decisions")
@require("imports.run")
def decide(job_uuid):
    """Saves the decisions chosen on the page (``decision-<line>``: new, skip or a candidate's id)."""
    chosen = {
        int(name.removeprefix("decision-")): value
        for name, value in request.form.items()
        if name.startswith("decision-") and name.removeprefix("decision-").isdigit() and value
    }
    if not chosen:
        flash(_("Belum ada keputusan yang dipilih."), "error")
        return redirect(url_for(".job", job_uuid=job_uuid, action="decide"))
    return _act(job_uuid, lambda found: services.decide(found, current_user, chosen), _("Keputusan disimpan."))


@bp.post("/jobs/<job_uuid>/confirm")
@require("imports.run")
def confirm(job_uuid):
    """Confirms the dry run: the import starts in the background."""
    return _act(job_uuid, lambda found: services.confirm(found, current_user), _("Impor dimulai."))


@bp.post("/jobs/<job_uuid>/resume")
@require("imports.run")
def resume(job_uuid):
    """Carries on a failed import from the line it stopped at."""
    return _act(job_uuid, lambda found: services.resume(found, current_user), _("Impor dilanjutkan."))
