"""Closing a month: the named operation that freezes a month's figures as a new revision, or finds them unchanged.

A close computes, for every active indicator of the agency, the achievement
table of the month (cumulative indicators from 1 January to the month's end,
per-period ones the month alone) and copies its counted facts with one
``INSERT … SELECT`` per indicator. It then compares them, in SQL, with the
last revision: when no fact and no line differ, the new revision is rolled
back (a savepoint) and the close reports "unchanged"; otherwise it stays, with
per indicator the facts added and removed and the distinct items among them —
the records entered late, shown as "n catatan terlambat" on the revision.
Every close, changed or not, writes an audit row.
"""

import calendar
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.audit.services import record
from casework.core.errors import Conflict, ValidationFailed
from casework.core.localtime import local_today
from casework.extensions import db
from casework.figures.achievement import YEARS, Period, achievement, agency_indicators, keyed_facts
from casework.figures.close_models import (
    ON_AT,
    ON_DAY,
    ON_QUARTER,
    ClosedFact,
    ClosedIndicator,
    ClosedRow,
    MonthClose,
)
from casework.figures.close_queries import latest_close
from casework.scheduling import advisory_key

# A fact's columns compared between revisions: any change to one of them is a fact removed and one added.
COMPARED = ("row_key", "item_id", "on_day", "on_at", "on_quarter", "ref_id", "numerator", "denominator")
ROW_COMPARED = ("row_key", "label", "realisation", "denominator")


def previous_month(today):
    """The (year, month) before the one ``today`` lies in."""
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def parse_month(text):
    """``YYYY-MM`` as (year, month); a 422 on ``month`` otherwise."""
    raw = str(text or "").strip()
    year, _dash, month = raw.partition("-")
    digits = raw.isascii() and year.isdigit() and month.isdigit() and len(month) == 2
    if digits and YEARS[0] <= int(year) <= YEARS[1] and 1 <= int(month) <= 12:
        return int(year), int(month)
    message = _("Isi bulan sebagai TTTT-BB, misalnya 2026-11.")
    raise ValidationFailed(message, fields={"month": [message]})


def _on_kind(column):
    """Which ClosedFact column keeps a fact's ``on`` of this SQL type."""
    if isinstance(column.type, sa.DateTime) or isinstance(getattr(column.type, "impl", None), sa.DateTime):
        return ON_AT
    if isinstance(column.type, sa.Date):
        return ON_DAY
    return ON_QUARTER


def _freeze_facts(close, indicator, period):
    """Copies the indicator's counted facts into ``close`` in one INSERT … SELECT; returns how ``on`` is kept."""
    keyed = keyed_facts(close.agency_id, indicator, period)
    kind = _on_kind(keyed.c.on)
    on_column = {ON_DAY: "on_day", ON_AT: "on_at", ON_QUARTER: "on_quarter"}[kind]
    position = sa.func.row_number().over(order_by=(keyed.c.on.desc(), keyed.c.ref_id.desc()))
    names = ("item_id", "ref_id", "case_id", "unit_id", "region_code", "numerator", "denominator", "row_key")
    chosen = sa.select(
        sa.literal(close.id),
        sa.literal(indicator.id),
        position,
        keyed.c.on,
        *(keyed.c[name] for name in names),
    )
    db.session.execute(
        sa.insert(ClosedFact).from_select(["close_id", "indicator_id", "position", on_column, *names], chosen)
    )
    return kind


def _freeze_rows(close, indicator, table):
    """Stores the achievement table's lines, the total last."""
    lines = [*table.rows, table.total]
    db.session.execute(
        sa.insert(ClosedRow),
        [
            {
                "close_id": close.id,
                "indicator_id": indicator.id,
                "position": position,
                "row_key": line.key,
                "label": line.label,
                "realisation": line.realisation,
                "denominator": line.denominator,
            }
            for position, line in enumerate(lines)
        ],
    )


def _of(model, close_id, indicator_id, names):
    """A select of ``names`` of ``model``'s rows of one indicator in one close."""
    return sa.select(*(getattr(model, name) for name in names)).where(
        model.close_id == close_id, model.indicator_id == indicator_id
    )


def _count(select):
    """How many rows ``select`` gives."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(select.subquery()))


def _changes(new_id, old_id, indicator_id):
    """(facts added, facts removed, distinct items among them, lines changed) between two closes' indicator."""
    new, old = (_of(ClosedFact, close_id, indicator_id, COMPARED) for close_id in (new_id, old_id))
    added, removed = sa.except_(new, old).subquery(), sa.except_(old, new).subquery()
    items = sa.union(sa.select(added.c.item_id), sa.select(removed.c.item_id)).subquery()
    new_rows, old_rows = (_of(ClosedRow, close_id, indicator_id, ROW_COMPARED) for close_id in (new_id, old_id))
    lines = _count(sa.except_(new_rows, old_rows)) + _count(sa.except_(old_rows, new_rows))
    return (
        _count(sa.select(added)),
        _count(sa.select(removed)),
        db.session.scalar(sa.select(sa.func.count()).select_from(items)),
        lines,
    )


def _check_complete(close, indicator, table):
    """Refuses (409) when the frozen facts do not add up to the table: a record changed while the month closed."""
    frozen = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(ClosedFact.numerator), 0)).where(
            ClosedFact.close_id == close.id, ClosedFact.indicator_id == indicator.id
        )
    )
    if frozen != sum(line.realisation for line in table.rows):
        raise Conflict(_("Data berubah selama penutupan bulan. Coba tutup lagi."))


def _serialise(agency_id, year, month):
    """Makes closes of one agency's month wait for each other (PostgreSQL; SQLite has one writer)."""
    if db.session.get_bind().dialect.name == "postgresql":
        key = advisory_key(f"figures.close:{agency_id}:{year}-{month:02d}")
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))


def close_month(agency, year, month, actor=None):
    """Closes ``month`` of ``year`` for ``agency``; returns ``(close, changed)``.

    ``changed`` is False when the live figures equal the last revision's (that
    revision is returned, nothing new is stored). A month not over yet is a
    422. ``actor`` None means the scheduler.
    """
    if date(year, month, calendar.monthrange(year, month)[1]) >= local_today():
        message = _("Bulan %(month)02d/%(year)d belum berakhir.", month=month, year=year)
        raise ValidationFailed(message, fields={"month": [message]})
    _serialise(agency.id, year, month)
    previous = latest_close(agency.id, year, month)
    period = Period(year, month=month)
    savepoint = db.session.begin_nested()
    close = MonthClose(
        agency_id=agency.id,
        year=year,
        month=month,
        revision=previous.revision + 1 if previous else 1,
        closed_by_id=actor.id if actor is not None else None,
    )
    db.session.add(close)
    db.session.flush()
    indicators = db.session.scalars(agency_indicators(agency)).all()
    changed = previous is None or _indicator_ids(previous.id) != {indicator.id for indicator in indicators}
    late_items = 0
    for indicator in indicators:
        table = achievement(agency, indicator, period)
        kind = _freeze_facts(close, indicator, period)
        _freeze_rows(close, indicator, table)
        _check_complete(close, indicator, table)
        added = removed = items = lines = 0
        if previous is not None:
            added, removed, items, lines = _changes(close.id, previous.id, indicator.id)
        changed = changed or bool(added or removed or lines)
        late_items += items
        db.session.add(
            ClosedIndicator(
                close_id=close.id,
                indicator_id=indicator.id,
                on_kind=kind,
                added=added,
                removed=removed,
                late_items=items,
            )
        )
    if not changed:
        savepoint.rollback()
        record("figures.month_close_unchanged", previous, actor, year=year, month=month, revision=previous.revision)
        db.session.flush()
        return previous, False
    savepoint.commit()
    details = {"year": year, "month": month, "revision": close.revision, "late_items": late_items}
    record("figures.month_closed", close, actor, **details)
    db.session.flush()
    return close, True


def _indicator_ids(close_id):
    """The indicators a close holds."""
    return set(db.session.scalars(sa.select(ClosedIndicator.indicator_id).where(ClosedIndicator.close_id == close_id)))
