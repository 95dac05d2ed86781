"""Synthetic case databases for the case benchmarks, built once per size and kept for the next run.

A database of ``size`` cases holds ``size // 4`` synthetic clients (at most
100,000: client synthesis is the slow part), the demo
agency (its own clients and cases too) and the synthetic caseworkers, with
about ten service deliveries per case (``casework.cases.synth``). SQLite:
``/tmp/casework-bench/cases_<size>.sqlite``; PostgreSQL: the schema
``cases_<size>`` of the database given by ``--database-url`` (created on
first use, never dropped: delete it by hand). Building prints rows/s and the
peak memory.

    .venv/bin/python bench/cases_data.py [--sizes 10000,100000,1000000] [--database-url URL]
"""

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from casework import create_app
from casework.cases.models import Case
from casework.cases.synth import synthesise_cases
from casework.clients.synth import synthesise
from casework.demo import AGENCY_CODE, load_demo_data
from casework.extensions import db
from casework.org.models import Agency
from casework.reference.loader import load_reference
from config import normalise_database_url

SQLITE_DIR = Path(tempfile.gettempdir()) / "casework-bench"
CLIENTS_PER_CASE = 0.25
MAX_CLIENTS = 100_000


def database_url(url, size, name="cases"):
    """The URL of the kept benchmark database ``<name>_<size>`` (a file, or a schema of its own on PostgreSQL)."""
    if not url:
        SQLITE_DIR.mkdir(exist_ok=True)
        return f"sqlite:///{SQLITE_DIR}/{name}_{size}.sqlite"
    url = normalise_database_url(url)
    schema = f"{name}_{size}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    engine.dispose()
    return f"{url}?options={quote(f'-csearch_path={schema}')}"


def _built(app):
    """True when the database already holds its cases."""
    with app.app_context():
        inspector = sa.inspect(db.engine)
        if not inspector.has_table("case_file"):
            return False
        return bool(db.session.scalar(sa.select(sa.func.count()).select_from(Case)))


def build(url, size, seed=20260101):
    """The URL of a database of ``size`` synthetic cases, built first when missing."""
    url = database_url(url, size)
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    if _built(app):
        with app.app_context():
            upgrade()  # a kept database follows the code's migrations
        return url
    with app.app_context():
        upgrade()
        load_reference()
        load_demo_data()
        db.session.commit()
        agency = db.session.scalar(sa.select(Agency).where(Agency.code == AGENCY_CODE))
        start = time.perf_counter()
        clients = min(MAX_CLIENTS, int(size * CLIENTS_PER_CASE))
        for _done in synthesise(agency, clients, seed=seed):
            db.session.commit()
        client_seconds = time.perf_counter() - start
        start = time.perf_counter()
        done = delivered = 0
        for totals in synthesise_cases(agency, size, seed=seed):
            db.session.commit()
            done, delivered = totals
        case_seconds = time.perf_counter() - start
        start = time.perf_counter()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{db.engine.dialect.name} {size:,} cases: {clients:,} clients in {client_seconds:.0f} s "
            f"({clients / client_seconds:,.0f}/s); {done:,} cases + {delivered:,} deliveries in {case_seconds:.0f} s "
            f"({(done + delivered) / case_seconds:,.0f} rows/s); analyse {time.perf_counter() - start:.0f} s; "
            f"peak RSS {peak_mb:,.0f} MB",
            flush=True,
        )
        db.engine.dispose()
    return url


def main():
    """Builds the databases of the sizes asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: SQLite files")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated case counts")
    args = parser.parse_args()
    for size in (int(size) for size in args.sizes.split(",")):
        print(build(args.database_url, size))


if __name__ == "__main__":
    main()
