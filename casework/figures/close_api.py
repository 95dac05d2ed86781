"""API endpoints for monthly closes: the months of a year, closing a month, a revision's changes.

They call the same operations as the pages. Closing answers 201 with the new
revision, or 200 with the last one when nothing changed (``changed`` false).
"""

from flask_babel import gettext as _
from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_args, load_json
from casework.core.errors import NotFound
from casework.core.localtime import local_today
from casework.core.permissions import require
from casework.extensions import db
from casework.figures.close import close_month, parse_month
from casework.figures.close_queries import close_revision, months_of_year, revision_diff
from casework.figures.close_schemas import (
    CloseInputSchema,
    CloseResultSchema,
    CloseYearQuerySchema,
    MonthStatusSchema,
    RevisionDiffSchema,
)


@bp.get("/figures/closes")
@require("figures.view")
@documented(MonthStatusSchema, query=CloseYearQuerySchema, many=True)
def list_closes():
    """The twelve months of ``year`` with their latest close and the late records it took in."""
    year = load_args(CloseYearQuerySchema()).get("year") or local_today().year
    return {"items": MonthStatusSchema(many=True).dump(months_of_year(current_user.agency_id, year))}


@bp.post("/figures/closes")
@require("figures.manage")
@documented(CloseResultSchema, body=CloseInputSchema, status=(200, 201))
def close():
    """Closes a month that is over: 201 with a new revision, 200 with the last one when nothing changed."""
    year, month = parse_month(load_json(CloseInputSchema())["month"])
    closed, changed = close_month(current_user.agency, year, month, current_user)
    db.session.commit()
    return CloseResultSchema().dump({"close": closed, "changed": changed}), 201 if changed else 200


@bp.get("/figures/closes/<int:year>/<int:month>/<int:revision>")
@require("figures.view")
@documented(RevisionDiffSchema)
def close_diff(year, month, revision):
    """A revision and what changed since the one before: per indicator lines before/after, facts in and out."""
    shown = close_revision(current_user.agency_id, year, month, revision)
    if shown is None:
        raise NotFound(_("Revisi penutupan tidak ditemukan."))
    previous = close_revision(current_user.agency_id, year, month, revision - 1) if revision > 1 else None
    diffs = revision_diff(shown, previous)
    return RevisionDiffSchema().dump({"close": shown, "previous": previous, "indicators": diffs})
