"""API endpoints for filing findings and complaints, and for a volunteer's own findings' status.

A phone files a finding as JSON (its photos, if any, as ``uploads``: the
uuids of finished resumable uploads), or as multipart with the photos as
``photos`` parts (the text fields beside them). Each carries the device's
``uuid``: the first call answers 201, a retry with the same UUID answers 200
with the report filed the first time and files nothing. A volunteer reads
only their own findings, and only their status: another's is a 404.
"""

from flask import request
from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_form, load_json
from casework.core.pagination import page_meta, paginate
from casework.core.permissions import require
from casework.extensions import db
from casework.findings import queries, services
from casework.findings.schemas import ComplaintCreateSchema, FindingCreateSchema, ReportStatusSchema
from casework.sync.uploads import finished_uploads

_STATUS = ReportStatusSchema()


def _file(operation, schema):
    """Runs ``operation`` with the request's fields and photos and commits: 201 when filed, 200 for a repeated UUID."""
    if request.mimetype == "multipart/form-data":
        data, photos = load_form(schema), request.files.getlist("photos")
    else:
        data, photos = load_json(schema), finished_uploads(current_user, request.get_json().get("uploads"), "photos")
    report, created = operation(current_user.agency, current_user, data, photos, uuid=data.pop("uuid", None))
    body = _STATUS.dump(report)
    db.session.commit()
    return body, 201 if created else 200


@bp.post("/findings")
@require("findings.submit")
@documented(ReportStatusSchema, body=FindingCreateSchema, status=(201, 200))
def create_finding():
    """Files a field finding (JSON, or multipart with up to 5 ``photos`` parts); 200 when the UUID was used already.

    The village must be in the agency's area and the volunteer's scope; a
    photo that is not a JPEG, PNG or WebP image is a 422, one over the size
    limit a 413, naming the photo, and nothing is filed.
    """
    return _file(services.submit_finding, FindingCreateSchema())


@bp.post("/complaints")
@require("complaints.enter")
@documented(ReportStatusSchema, body=ComplaintCreateSchema, status=(201, 200))
def create_complaint():
    """Files a complaint from the public (JSON, or multipart with ``photos``); the answer carries its ``number``."""
    return _file(services.submit_complaint, ComplaintCreateSchema())


@bp.get("/findings/mine")
@require("findings.submit")
@documented(ReportStatusSchema, paging="offset")
def list_my_findings():
    """The signed-in volunteer's own findings, newest first, with their status (and case number once there is one)."""
    page = paginate(queries.own_findings_select(current_user))
    return {"items": _STATUS.dump(page.items, many=True), **page_meta(page)}


@bp.get("/findings/<report_uuid>")
@require("findings.submit")
@documented(ReportStatusSchema)
def get_my_finding(report_uuid):
    """One of the volunteer's own findings, status only; anyone else's is a 404."""
    return _STATUS.dump(queries.own_finding(current_user, report_uuid))
