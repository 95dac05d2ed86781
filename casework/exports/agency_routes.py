"""The administrator's page for the full agency export: what it holds, the earlier exports, and the download.

The zip is written to an unnamed temporary file (gone once sent) and sent
as it is; the audit row is committed first, so every download is recorded.
Large agencies are better served by ``flask casework export-agency``: on
SQLite the export holds the write lock while it reads.
"""

import tempfile

import sqlalchemy as sa
from flask import Blueprint, render_template, send_file
from flask_login import current_user

from casework.audit.models import AuditEvent
from casework.auth.forms import EmptyForm
from casework.auth.models import User
from casework.core.localtime import local_today
from casework.core.permissions import require
from casework.exports.agency_export import write_agency_export
from casework.exports.agency_scope import scoped_tables
from casework.extensions import db

bp = Blueprint("agency_export", __name__)
EARLIER = 10


def _earlier_exports(agency):
    """The agency's last exports: when, by whom, how many rows."""
    query = (
        sa.select(AuditEvent.at, User.full_name, AuditEvent.details)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(
            AuditEvent.action == "exports.agency_exported",
            AuditEvent.object_type == "agency",
            AuditEvent.object_id == str(agency.id),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(EARLIER)
    )
    return db.session.execute(query).all()


@bp.get("")
@require("exports.agency")
def index():
    """The page: what the export holds and a button to download it."""
    agency = current_user.agency
    return render_template(
        "exports/agency.html",
        form=EmptyForm(),
        agency=agency,
        table_count=len(scoped_tables()),
        earlier=_earlier_exports(agency),
    )


@bp.post("")
@require("exports.agency")
def download():
    """Writes the agency's export and sends it as ``<code>-<date>.zip`` (CSRF is checked for every form post)."""
    agency = current_user.agency
    archive = tempfile.TemporaryFile(prefix="agency-export-")  # noqa: SIM115 (send_file closes it once sent)
    try:
        write_agency_export(agency, archive, actor=current_user)
        db.session.commit()
    except BaseException:
        archive.close()
        raise
    archive.seek(0)
    name = f"{agency.code}-{local_today().isoformat()}.zip"
    return send_file(archive, mimetype="application/zip", as_attachment=True, download_name=name)
