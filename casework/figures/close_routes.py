"""Monthly close pages: the months of a year with their close status, closing a month, a revision's changes.

Anyone who reads the figures sees the months and the changes; data officers
(``figures.manage``) close a month, or close it again to take in records
entered late.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.auth.forms import EmptyForm
from casework.core.errors import NotFound, ServiceError
from casework.core.i18n import month_name
from casework.core.localtime import local_today
from casework.core.permissions import can, require
from casework.extensions import db
from casework.figures.achievement import YEARS
from casework.figures.close import close_month
from casework.figures.close_queries import close_revision, months_of_year, revision_diff

bp = Blueprint("figure_close", __name__)


def _year():
    """The year asked for (this year when absent or out of range)."""
    raw = request.args.get("year", "")
    if raw.isascii() and raw.isdigit() and YEARS[0] <= int(raw) <= YEARS[1]:
        return int(raw)
    return local_today().year


def _months_page(year, error=None, status=200):
    """The months of ``year`` with their status; the close buttons for months that are over."""
    today = local_today()
    page = render_template(
        "figures/close/index.html",
        year=year,
        months=months_of_year(current_user.agency_id, year),
        over=lambda month: (year, month) < (today.year, today.month),
        may_close=can(current_user, "figures.manage"),
        form=EmptyForm(),
        error=error,
    )
    return page, status


@bp.get("/")
@require("figures.view")
def months():
    """The twelve months of a year: closed or not, latest revision and date, late records taken in."""
    return _months_page(_year())


@bp.post("/<int:year>/<int:month>")
@require("figures.manage")
def close(year, month):
    """Closes the month: a new revision when the figures changed since the last one, else nothing new."""
    if not (YEARS[0] <= year <= YEARS[1] and 1 <= month <= 12):
        raise NotFound(_("Bulan tidak ditemukan."))
    try:
        closed, changed = close_month(current_user.agency, year, month, current_user)
    except ServiceError as error:
        db.session.rollback()
        return _months_page(year, error, error.status)
    db.session.commit()
    label = f"{month_name(month)} {year}"
    if changed:
        flash(_("%(month)s ditutup: revisi %(rev)d.", month=label, rev=closed.revision), "success")
    else:
        flash(_("%(month)s tidak berubah sejak revisi %(rev)d.", month=label, rev=closed.revision), "info")
    return redirect(url_for(".months", year=year))


@bp.get("/<int:year>/<int:month>/<int:revision>")
@require("figures.view")
def revision(year, month, revision):
    """A revision's figures: per indicator the lines before and after, and the counted rows added and removed."""
    shown = close_revision(current_user.agency_id, year, month, revision)
    if shown is None:
        raise NotFound(_("Revisi penutupan tidak ditemukan."))
    previous = close_revision(current_user.agency_id, year, month, revision - 1) if revision > 1 else None
    return render_template(
        "figures/close/revision.html",
        close=shown,
        previous=previous,
        diffs=revision_diff(shown, previous),
        show_cases=can(current_user, "cases.view"),
    )
