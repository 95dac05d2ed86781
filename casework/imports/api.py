"""API of imports: upload (multipart; the dry run starts), the job, its report, decisions, confirm, resume.

The dry run and the import run in the background: poll the job
(``GET /imports/<uuid>``) until its status is ``checked`` (read the report,
decide, confirm) and then ``done`` or ``failed`` (resume).
"""

from flask import request
from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_args, load_form, load_json
from casework.core.pagination import page_meta, paginate
from casework.core.permissions import require
from casework.extensions import db
from casework.imports import queries, services
from casework.imports.engine import undecided
from casework.imports.schemas import (
    ImportDecisionsSchema,
    ImportJobSchema,
    ImportRowSchema,
    ImportUploadSchema,
    ReportQuerySchema,
)
from casework.imports.worker import launch

_JOB = ImportJobSchema()


def job_body(job):
    """The job as the API shows it."""
    return _JOB.dump(
        {**{name: getattr(job, name) for name in _JOB.fields if name != "undecided"}, "undecided": undecided(job)}
    )


def _job(job_uuid):
    """The signed-in user's agency's job."""
    return services.agency_job(current_user.agency, job_uuid)


@bp.post("/imports/<record_type>")
@require("imports.run")
@documented(ImportJobSchema, body=ImportUploadSchema, upload="file", status=202)
def upload_import(record_type):
    """Uploads a CSV or XLSX file of ``record_type`` (clients, cases, …); its dry run starts in the background.

    Nothing is imported until the job is confirmed. A file that is neither
    CSV (UTF-8) nor XLSX is a 422, one over the size limit a 413.
    """
    services.request_limit()
    data = load_form(ImportUploadSchema())
    upload = request.files.get("file")
    content = upload.read(services.max_bytes() + 1) if upload else b""
    job = services.upload(
        current_user.agency, current_user, record_type, content, upload.filename if upload else None, **data
    )
    db.session.commit()
    launch(job)
    return job_body(job), 202


@bp.get("/imports/jobs/<job_uuid>")
@require("imports.run")
@documented(ImportJobSchema)
def import_job(job_uuid):
    """An import job: status, counts, progress."""
    return job_body(_job(job_uuid))


@bp.get("/imports/jobs/<job_uuid>/rows")
@require("imports.run")
@documented(ImportRowSchema, query=ReportQuerySchema, paging="offset")
def import_rows(job_uuid):
    """The dry run's report, errors first, then rows needing a decision, updates, links, new records."""
    args = load_args(ReportQuerySchema())
    page = paginate(queries.report_rows(_job(job_uuid), args.get("action")))
    items = [queries.shown_row(row, current_user) for row in page.items]
    return {"items": ImportRowSchema(many=True).dump(items), **page_meta(page)}


@bp.post("/imports/jobs/<job_uuid>/decisions")
@require("imports.run")
@documented(ImportJobSchema, body=ImportDecisionsSchema)
def decide_import_rows(job_uuid):
    """Decides rows with likely duplicates: ``new``, ``skip``, or the id of the candidate the row is."""
    job = _job(job_uuid)  # another agency's job is a 404 whatever the body
    data = load_json(ImportDecisionsSchema())
    services.decide(job, current_user, {item["line"]: item["decision"] for item in data["decisions"]})
    db.session.commit()
    return job_body(job)


@bp.post("/imports/jobs/<job_uuid>/confirm")
@require("imports.run")
@documented(ImportJobSchema, status=202)
def confirm_import(job_uuid):
    """Starts the import of a checked job (no errors, every likely duplicate decided); poll the job."""
    job = services.confirm(_job(job_uuid), current_user)
    db.session.commit()
    launch(job)
    return job_body(job), 202


@bp.post("/imports/jobs/<job_uuid>/resume")
@require("imports.run")
@documented(ImportJobSchema, status=202)
def resume_import(job_uuid):
    """Carries on a failed import from the line it stopped at."""
    job = services.resume(_job(job_uuid), current_user)
    db.session.commit()
    launch(job)
    return job_body(job), 202
