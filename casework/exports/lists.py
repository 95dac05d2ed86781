"""A list's rows as a file: the list's own select, reduced to the file's columns, masked by role, audited.

Each list of the app describes its file as ``Column``s (a heading, an SQL
expression, how a value is shown) and a function that turns the select the
list pages (same filters, same order) into the file's select
(``ListExport.select``). ``respond`` counts the rows, writes the audit row
(who, which list, which filters, how many rows; never a searched name or
NIK), commits it, then streams the file (``casework.exports.stream``).
Columns naming a sensitive field (``mask``) are masked for users without
``clients.identity``, and on every row of a sensitive client the user may
not read (``casework.access``), whatever their role.
"""

from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from casework.access.rules import hidden_condition
from casework.audit.services import record
from casework.core.errors import ValidationFailed
from casework.core.localtime import local_today
from casework.core.masking import FIELD_MASKS, may_see_identity
from casework.core.pagination import Ranked
from casework.exports import stream
from casework.extensions import db

# Query arguments that only page a list; a file holds every page.
PAGING_ARGS = frozenset({"page", "per_page", "cursor", "format"})
# Query arguments whose text may be personal (a name, a NIK): audited only as "given".
PERSONAL_ARGS = frozenset({"q"})


class Column(NamedTuple):
    """One column of a file: its heading, the SQL expression read, a label table, the masking by field name."""

    heading: Any
    expr: Any
    labels: dict | None = None
    mask: str | None = None


class ListExport(NamedTuple):
    """A list's file: its name (``klien``), sheet title, columns, ``select(list_select) -> file select``.

    ``client`` is the SQL expression of each row's client, when rows are about one (identity is hidden per client).
    """

    name: str
    title: Any
    columns: tuple
    select: Any
    client: Any = None


def file_format(fmt=None):
    """The ``format`` asked for (``csv`` or ``xlsx``); anything else is a 422."""
    fmt = fmt or request.args.get("format", "csv")
    if fmt not in stream.FORMATS:
        raise ValidationFailed(_("Format berkas harus csv atau xlsx."), fields={"format": [_("csv atau xlsx")]})
    return fmt


def columns_only(select, columns, key):
    """``select`` (an ORM select of the list) reading only ``key`` then the columns' expressions; joins follow."""
    return select.with_only_columns(key, *(column.expr for column in columns), maintain_column_froms=False)


def _liner(columns, show_identity, flagged):
    """A row (key first, then the columns, then a "hidden" flag when ``flagged``) as the file's cells.

    Codes become labels; sensitive fields are masked unless the role shows them and the row is not hidden.
    """
    shown = [(column.labels, FIELD_MASKS[column.mask] if column.mask else None) for column in columns]

    def line(row):
        values = row[1:-1] if flagged else row[1:]
        show = show_identity and not (flagged and row[-1])
        cells = []
        for (labels, mask), value in zip(shown, values, strict=True):
            if labels is not None and value is not None:
                value = str(labels.get(value, value))
            cells.append(mask(value) if mask and not show else value)
        return cells

    return line


def headings(export):
    """The file's heading line."""
    return [str(column.heading) for column in export.columns]


def row_count(select):
    """How many rows the file holds (the ids of a ranked search; else counted in SQL)."""
    if isinstance(select, Ranked):
        return len(select.ids)
    counted = select.order_by(None).with_only_columns(sa.literal(1), maintain_column_froms=True).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(counted))


def audited_filters(args=None):
    """The list's filters as the audit row keeps them: paging left out, a search's text only as "given"."""
    args = request.args if args is None else args
    return {
        key: ("*" if key in PERSONAL_ARGS else value)
        for key, value in sorted(args.items())
        if key not in PAGING_ARGS and value != ""
    }


def _file_select(export, list_select, user):
    """The file's select of ``list_select``, with the rows' "hidden" flag last when they are about clients."""
    select = export.select(list_select)
    if export.client is not None:
        select = select.add_columns(hidden_condition(user, export.client).label("hidden"))
    return select


def lines(export, list_select, show_identity, user):
    """The file's select for ``list_select`` (a select or a ``Ranked``) and its batches of cells, as ``user`` sees."""
    if isinstance(list_select, Ranked):
        select = Ranked(_file_select(export, list_select.select, user), list_select.key, list_select.ids)
    else:
        select = _file_select(export, list_select, user)
    return select, stream.batches(select, _liner(export.columns, show_identity, export.client is not None))


def respond(export, list_select, fmt, extra=None):
    """The list as a download: audit row written and committed first, then the file streamed."""
    show = may_see_identity()
    select, batches = lines(export, list_select, show, current_user)
    count = row_count(select)
    details = {"list": export.name, "format": fmt, "filters": audited_filters(), "rows": count, "masked": not show}
    record("export.list", **details, **(extra or {}))
    db.session.commit()
    name = f"{export.name}-{local_today().isoformat()}.{fmt}"
    return stream.download(name, fmt, headings(export), batches, str(export.title))
