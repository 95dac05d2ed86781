"""Planner statistics: a long job analyses the tables it grew (PostgreSQL), and SQLite is left alone."""

import sqlalchemy as sa

from casework.core import statistics
from casework.extensions import db
from casework.imports.models import ImportKey

ROWS = 1500


def _grow_import_keys(agency_id):
    """Commits ROWS source keys, and makes PostgreSQL publish this connection's table statistics now."""
    db.session.execute(
        ImportKey.__table__.insert(),
        [
            {"agency_id": agency_id, "record_type": "clients", "source_key": f"S{n}", "record_id": n, "row_hash": "h"}
            for n in range(ROWS)
        ],
    )
    db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        # Statistics of a connection reach the shared view at most once a second; a test cannot wait for it.
        db.session.execute(sa.text("SELECT pg_stat_force_next_flush()"))
        db.session.commit()


def _estimated_rows(table):
    """The row count the PostgreSQL planner believes ``table`` holds."""
    return db.session.scalar(sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:name)"), {"name": table})


def test_a_grown_table_is_analysed_once_until_it_grows_again(committed_app, committed_agency_id):
    with committed_app.app_context():
        _grow_import_keys(committed_agency_id)
        analysed = statistics.refresh()
        if db.session.get_bind().dialect.name == "sqlite":
            assert analysed == []
            assert db.session.scalar(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")) == 0
            return
        assert "import_key" in analysed
        assert _estimated_rows("import_key") == ROWS
        db.session.execute(sa.text("SELECT pg_stat_force_next_flush()"))
        db.session.commit()
        assert "import_key" not in statistics.refresh()
