"""The rows behind a figure: the same facts the count added up, filtered to one row of the table, and their pages.

A page is counted exactly (the list must be as long as the number).
``casework.core.pagination.paginate`` reads ORM objects (one column per
row); a drill-down row is a tuple of facts, the case and the client, so its
page is read as rows here, with the same page arguments and cap.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination

from casework.cases.models import Case
from casework.clients.models import Client
from casework.core.errors import NotFound
from casework.core.pagination import per_page_arg, positive_int_arg
from casework.extensions import db
from casework.figures.achievement import AGENCY_ROW, NO_UNIT_ROW, TOTAL_ROW, keyed_facts
from casework.figures.counting import FACT_COLUMNS
from casework.figures.models import DenominatorKind

REALISATION, DENOMINATOR = "realisation", "denominator"


class CountedPagination(Pagination):
    """A page of a drill-down select: its rows as tuples, and how many rows the select gives in all."""

    def _query_items(self):
        """The page's rows."""
        select = self._query_args["select"]
        return db.session.execute(select.limit(self.per_page).offset(self._query_offset)).all()

    def _query_count(self):
        """Every row the select gives (the figure it drills down from)."""
        select = self._query_args["select"].order_by(None).subquery()
        return db.session.scalar(sa.select(sa.func.count()).select_from(select))


def paginate_counted(select):
    """Pages a drill-down select by the ``page`` and ``per_page`` query arguments (``per_page`` capped)."""
    return CountedPagination(
        page=positive_int_arg("page", 1),
        per_page=per_page_arg(),
        max_per_page=current_app.config["PER_PAGE_MAX"],
        error_out=False,
        select=select,
    )


def fact_day(value):
    """A fact's date as the agency reads it: timestamps (decisions, complaints) become the local day."""
    if isinstance(value, datetime):
        # A timestamp read through a subquery may come back from SQLite without its (UTC) zone.
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(get_timezone()).date()
    return value


def counted(agency, indicator, period, row_key, part=REALISATION, keyed=None):
    """A select of the facts behind one number: the realisation (or measured denominator) of row ``row_key``.

    Rows carry the fact's columns, the case's number and UUID and the client's
    name (where the fact has a case), latest first. ``keyed``: other facts with
    the columns of ``keyed_facts`` (a closed month's frozen ones) instead of the live count.
    """
    if part not in (REALISATION, DENOMINATOR) or (
        part == DENOMINATOR and indicator.denominator != DenominatorKind.MEASURE
    ):
        raise NotFound(_("Angka ini tidak dapat dirinci."))
    keyed = keyed_facts(agency.id, indicator, period) if keyed is None else keyed
    select = (
        sa.select(
            *(keyed.c[name] for name in FACT_COLUMNS),
            Case.number.label("case_number"),
            Case.uuid.label("case_uuid"),
            Client.full_name.label("client_name"),
        )
        .select_from(keyed)
        .outerjoin(Case, Case.id == keyed.c.case_id)
        .outerjoin(Client, Client.id == Case.client_id)
        .order_by(keyed.c.on.desc(), keyed.c.ref_id.desc())
    )
    if part == REALISATION:
        select = select.where(keyed.c.numerator > 0)
    if row_key in (AGENCY_ROW, NO_UNIT_ROW):
        return select.where(keyed.c.row_key.is_(None))
    if row_key == TOTAL_ROW:
        return select
    if str(row_key).isascii() and str(row_key).isdigit():
        return select.where(keyed.c.row_key == int(row_key))
    raise NotFound(_("Baris laporan tidak ditemukan."))
