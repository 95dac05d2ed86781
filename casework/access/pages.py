"""The restricted page: a record the user may not read, shown only as existing, with the break-glass form.

The record is sensitive, or a case outside the user's work scope.
For a case: its number, stage, unit and caseworker's name. For a client: the
same of each of its cases (no name, no content). The API gets the error
envelope with the code ``restricted`` (or ``out_of_scope``) instead.
"""

from flask import render_template
from flask_babel import gettext as _

from casework.access.forms import BreakGlassForm
from casework.cases.labels import STAGE_LABELS
from casework.cases.models import Case
from casework.cases.queries import client_cases
from casework.core.errors import OutOfScope, error_response, wants_json
from casework.extensions import db


def _title(error):
    """The restricted page's heading for ``error``."""
    if isinstance(error, OutOfScope):
        return _("Kasus ini di luar cakupan kerja Anda")
    if isinstance(error.record, Case):
        return _("Kasus ini bersifat rahasia")
    return _("Data klien ini bersifat rahasia")


def restricted_page(error, form=None, status=403, problem=None):
    """The page saying ``error.record`` (a case or a client) exists and is restricted; a break-glass form per case."""
    record = error.record
    cases = [record] if isinstance(record, Case) else client_cases(record)
    context = {
        "title": _title(error),
        "message": error.message,
        "cases": cases,
        "form": form or BreakGlassForm(formdata=None),
        "problem": problem,
        "stage_labels": STAGE_LABELS,
    }
    return render_template("cases/restricted.html", **context), status


def handle_restricted(error):
    """Turns a ``Restricted`` refusal into the restricted page, or the API's 403 envelope."""
    db.session.rollback()
    if wants_json() or error.record is None:
        return error_response(error.status, error.code, error.message)
    return restricted_page(error)
