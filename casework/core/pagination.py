"""Pagination for every list, with a capped page size: by page number, or by cursor for large lists."""

from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy.orm import lazyload

from casework.core.errors import ValidationFailed
from casework.extensions import db


def positive_int_arg(name, default):
    """Reads a positive integer query argument, refusing anything else clearly."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationFailed(
            f"'{name}' harus bilangan bulat positif.", fields={name: ["harus bilangan bulat positif"]}
        )
    return int(raw)


class Ranked(NamedTuple):
    """Rows ordered outside the database: their ids, best first, and the select (keyed by ``key``) that reads them."""

    select: object
    key: object
    ids: list


class RankedPagination(Pagination):
    """A page of a ``Ranked``: the total is the ids counted, and only the page's rows are read, in rank order.

    Ordering the select by rank in SQL (a CASE over every id) and counting it
    again would redo in the database what the ranking already knows.
    """

    def _query_items(self):
        """The page's rows, in the order of their ids; a row gone since the ranking is skipped."""
        ranked = self._query_args["ranked"]
        ids = ranked.ids[self._query_offset : self._query_offset + self.per_page]
        if not ids:
            return []
        rows = db.session.scalars(ranked.select.where(ranked.key.in_(ids))).all()
        by_id = {getattr(row, ranked.key.key): row for row in rows}
        return [by_id[row_id] for row_id in ids if row_id in by_id]

    def _query_count(self):
        """How many ids were ranked."""
        return len(self._query_args["ranked"].ids)


# Lists and counts stop counting here: past it a user reads "10.000+" (an agency's cases, a NIK prefix).
COUNT_BOUND = 10_000


def bounded_count(select, bound):
    """A scalar subquery: how many rows ``select`` gives, counted up to ``bound`` + 1 (more reads as "bound+").

    It selects no column, so the database may count from an index alone.
    """
    rows = select.options(lazyload("*")).with_only_columns(sa.literal(1), maintain_column_froms=True)
    return sa.select(sa.func.count()).select_from(rows.order_by(None).limit(bound + 1).subquery()).scalar_subquery()


class BoundedPagination(SelectPagination):
    """A page of a select whose rows are counted only up to ``bound`` past the page; ``more`` when there are more.

    Counting every row of a large list (an agency's cases) costs more than
    reading the page: past the bound the pager shows "N+" and still offers
    the next page.
    """

    def _query_count(self):
        """The rows up to ``bound`` past this page's start; sets ``more`` when the count stopped there.

        With ``parts`` (selects no two of which give the same row, and which give
        together the select's rows), each part's rows are counted and added up.
        """
        counted = self._query_offset + self._query_args["bound"]
        parts = self._query_args["parts"] or [self._query_args["select"]]
        total = sum(db.session.execute(sa.select(*(bounded_count(part, counted) for part in parts))).one())
        self.more = total > counted
        return min(total, counted)


def per_page_arg():
    """The ``per_page`` query argument, capped at ``PER_PAGE_MAX``."""
    return min(positive_int_arg("per_page", current_app.config["PER_PAGE_DEFAULT"]), current_app.config["PER_PAGE_MAX"])


def paginate(select, bound=None, parts=None):
    """Pages a select (or a ``Ranked``) by ``page`` and ``per_page`` query arguments; ``per_page`` is capped.

    With ``bound``, rows are counted only up to that many past the page, part by part when ``parts`` are given
    (see ``BoundedPagination``).
    """
    cap = current_app.config["PER_PAGE_MAX"]
    per_page = per_page_arg()
    page = positive_int_arg("page", 1)
    if isinstance(select, Ranked):
        return RankedPagination(page=page, per_page=per_page, max_per_page=cap, error_out=False, ranked=select)
    if bound:
        return BoundedPagination(
            page=page,
            per_page=per_page,
            max_per_page=cap,
            error_out=False,
            select=select,
            session=db.session,
            bound=bound,
            parts=parts,
        )
    return db.paginate(select, page=page, per_page=per_page, max_per_page=cap, error_out=False)


def page_meta(page):
    """The paging facts an API response carries beside its items; ``more``: the total stopped counting."""
    more = getattr(page, "more", False)
    return {"page": page.page, "per_page": page.per_page, "total": page.total, "pages": page.pages, "more": more}


class KeysetPage(NamedTuple):
    """One page of a keyset walk: its rows, the page size, and the cursor of the next page (None at the end)."""

    items: list
    per_page: int
    next_cursor: str | None


def _cursor_serializer():
    """Signs cursors, so one that was changed by hand is refused rather than read."""
    return URLSafeSerializer(current_app.secret_key, salt="casework.pagination.cursor")


def _read_cursor(raw, key):
    """The key values a ``cursor`` argument holds, typed like ``key``'s columns; a clear 422 when it is not ours."""
    try:
        values = _cursor_serializer().loads(raw)
        if not isinstance(values, list) or len(values) != len(key):
            raise ValueError("wrong shape")
        return tuple(_typed(value, column) for value, column in zip(values, key, strict=True))
    except (BadData, ValueError, TypeError) as error:
        message = _("Penanda halaman (cursor) tidak sah. Muat ulang daftar dari halaman pertama.")
        raise ValidationFailed(message, fields={"cursor": [_("Tidak sah.")]}) from error


def _typed(value, column):
    """A value read back from a cursor as ``column``'s Python type (timestamps travel as ISO 8601 text)."""
    sql_type = column.type.impl_instance if isinstance(column.type, sa.TypeDecorator) else column.type
    python_type = sql_type.python_type
    if python_type is datetime:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("naive timestamp")
        return parsed
    if not isinstance(value, python_type) or isinstance(value, bool):
        raise TypeError("wrong type")
    return value


def keyset_paginate(select, key, descending=False):
    """Pages ``select`` by ``key``, columns that together are unique, after the ``cursor`` query argument.

    Unlike ``paginate`` it never counts or skips rows, so a page costs the same
    deep in a large list, and rows added while someone pages do not shift the
    pages they have not read yet. ``per_page`` is capped as in ``paginate``.
    """
    per_page = per_page_arg()
    row_key = sa.tuple_(*key)
    select = select.order_by(None).order_by(*(column.desc() if descending else column for column in key))
    raw = request.args.get("cursor")
    if raw:
        last = _read_cursor(raw, key)
        select = select.where(row_key < last if descending else row_key > last)
    rows = db.session.scalars(select.limit(per_page + 1)).all()
    items = rows[:per_page]
    next_cursor = None
    if len(rows) > per_page:
        values = [getattr(items[-1], column.key) for column in key]
        next_cursor = _cursor_serializer().dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return KeysetPage(items, per_page, next_cursor)


def keyset_meta(page):
    """The paging facts a keyset-paged API response carries beside its items."""
    return {"per_page": page.per_page, "next_cursor": page.next_cursor}
