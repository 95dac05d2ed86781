"""Reading stored files: one agency's file by UUID."""

from flask_babel import gettext as _

from casework.core.lookup import agency_record
from casework.files.models import StoredFile


def agency_file(agency_id, file_uuid):
    """The file ``file_uuid`` of agency ``agency_id``; another agency's file is as good as missing."""
    return agency_record(StoredFile, agency_id, file_uuid, _("Berkas tidak ditemukan."))
