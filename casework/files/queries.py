"""Reading stored files: one agency's file by UUID, if the user may read the record it belongs to."""

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.access.gate import admit, admit_case
from casework.cases.models import Case, CaseAttachment
from casework.clients.models import Client
from casework.core.lookup import agency_record
from casework.extensions import db
from casework.files.models import StoredFile


def readable_file(user, file_uuid):
    """The file ``file_uuid`` of ``user``'s agency, refused as its record is: a case's attachment, a client's photo.

    Another agency's file is as good as missing.
    """
    stored = agency_record(StoredFile, user.agency_id, file_uuid, _("Berkas tidak ditemukan."))
    case = db.session.scalar(
        sa.select(Case)
        .join(CaseAttachment, CaseAttachment.case_id == Case.id)
        .where(CaseAttachment.file_id == stored.id)
    )
    if case is not None:
        admit_case(user, case)
    client = db.session.scalar(sa.select(Client).where(Client.photo_id == stored.id))
    if client is not None:
        admit(user, client.id, client)
    return stored
