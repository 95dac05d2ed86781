"""Reading import jobs and their reports: the agency's history, one job's rows (errors first), masked labels."""

import sqlalchemy as sa

from casework.core.masking import mask_name, may_see_identity
from casework.imports.models import ImportJob, ImportRow

# Report rows in the order a reader works through them: what stops the import, what needs a decision, the rest.
_ORDER = sa.case({"error": 0, "decide": 1, "update": 2, "link": 3}, value=ImportRow.action, else_=4)
FILTERS = ("error", "decide", "create", "link", "update", "skip")


def history(agency):
    """A select of the agency's import jobs, newest first."""
    return sa.select(ImportJob).where(ImportJob.agency_id == agency.id).order_by(ImportJob.id.desc())


def report_rows(job, action=None):
    """A select of the job's report rows (``action`` only, when given), errors first, then by line."""
    select = sa.select(ImportRow).where(ImportRow.job_id == job.id)
    if action in FILTERS:
        select = select.where(ImportRow.action == action)
    return select.order_by(_ORDER, ImportRow.line)


def shown_row(row, user, headers=None):
    """A report row as a dict for the page and the API, client names masked for users who may not see them.

    ``headers`` ({column id: Indonesian header}) adds each error's column header, as the page shows it.
    """
    show = may_see_identity(user)
    name = (lambda text: text) if show else mask_name
    return {
        "line": row.line,
        "action": row.action,
        "label": name(row.label) if row.label else None,
        "target_id": row.target_id,
        "errors": [
            {"column": column, "header": str((headers or {}).get(column, column or "")), "message": message}
            for column, message in row.errors
        ],
        "candidates": [
            {**candidate, "label": name(candidate["label"]), "reasons": list(candidate.get("reasons") or ())}
            for candidate in row.candidates
        ],
        "decision": row.decision,
    }
