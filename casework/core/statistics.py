"""Keeping PostgreSQL's planner statistics fresh while a long job grows tables.

PostgreSQL plans each query from the statistics ``ANALYZE`` gathers;
autovacuum refreshes them once a table has changed by a tenth. Where
autovacuum is off, or while one job grows a table from nothing to 100,000
rows faster than autovacuum wakes, the planner takes the table for nearly
empty and scans it whole instead of using its index (a re-import's
source-key lookups: 1.6 s with statistics, 19.6 s without). A long job calls
``refresh()`` after each committed batch: it analyses the tables of the
current schema changed by more than half their size since their last
analysis, so a table the job grows 1,000 rows at a time is analysed about
log2(n) times. SQLite plans without gathered statistics: nothing to do.
"""

import sqlalchemy as sa

from casework.extensions import db

# Changes a table takes before it is worth analysing, beyond half its rows.
FLOOR = 200

_STALE = sa.text(
    "SELECT relname FROM pg_stat_user_tables"
    " WHERE schemaname = current_schema() AND n_mod_since_analyze > :floor + n_live_tup / 2"
    " ORDER BY relname"
)


def refresh():
    """Analyses the current schema's tables whose statistics are stale; returns their names. Commits."""
    if db.session.get_bind().dialect.name != "postgresql":
        return []
    stale = list(db.session.scalars(_STALE, {"floor": FLOOR}))
    preparer = db.session.get_bind().dialect.identifier_preparer
    for name in stale:
        db.session.execute(sa.text(f"ANALYZE {preparer.quote(name)}"))
    db.session.commit()
    return stale
