"""Benchmark: loading the reference data, then type-ahead region search by name prefix.

Builds a fresh database (a temporary SQLite file, or a dedicated schema on the
PostgreSQL server given by ``--database-url``), times ``load_reference()`` and a
no-op reload, then runs name-prefix searches drawn from real village names,
restricted to villages and unrestricted, and prints latency percentiles.

    .venv/bin/python bench/region_lookup.py [--database-url URL] [--searches N]
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from casework import create_app
from casework.extensions import db
from casework.reference.loader import load_reference
from casework.reference.models import Region
from casework.reference.services import normalise_region_name, search_regions
from config import normalise_database_url


def fresh_database(url):
    """Config for a fresh database, and a function that removes it afterwards.

    A temporary SQLite file by default; on PostgreSQL a schema of its own, as
    the tests do, so the benchmark never touches other data on the server.
    """
    if not url:
        path = Path(tempfile.mkdtemp(prefix="casework-bench-")) / "bench.sqlite"
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}, lambda: shutil.rmtree(path.parent)
    url = normalise_database_url(url)
    schema = f"casework_bench_{os.getpid()}"

    def run(sql):
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql(sql)
        engine.dispose()

    run(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }
    return config, lambda: run(f"DROP SCHEMA {schema} CASCADE")


def timed(function, *args, **kwargs):
    """Runs ``function`` and returns (its result, elapsed milliseconds)."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, (time.perf_counter() - start) * 1000


def prefixes(count, seed):
    """``count`` realistic 2–6 character prefixes of words in real village names."""
    names = db.session.scalars(sa.select(Region.name).where(Region.level == 4).order_by(Region.code)).all()
    rng = random.Random(seed)
    picked = []
    while len(picked) < count:
        word = rng.choice(normalise_region_name(rng.choice(names)).split())
        # Cutting "ma'rang" after the apostrophe leaves a one-letter query: skip those.
        prefix = normalise_region_name(word[: rng.randint(2, 6)])
        if len(prefix) >= 2:
            picked.append(prefix)
    return picked


def percentiles(samples):
    """Median, p95, p99 and max of ``samples`` in ms, formatted on one line."""
    ordered = sorted(samples)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return f"median {cut[49]:6.2f}  p95 {cut[94]:6.2f}  p99 {cut[98]:6.2f}  max {ordered[-1]:6.2f} ms"


def main():
    """Builds the database, loads, searches, prints the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a temporary SQLite file")
    parser.add_argument("--searches", type=int, default=2000, help="searches per mode (default 2000)")
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()

    os.environ.setdefault("CASEWORK_INSTANCE_PATH", tempfile.mkdtemp(prefix="casework-bench-instance-"))
    config, drop_database = fresh_database(args.database_url)
    app = create_app({"SECRET_KEY": "bench", **config})
    try:
        # A request context, as in the app: search messages are translated for the user.
        with app.test_request_context():
            upgrade()
            counts, load_ms = timed(lambda: (load_reference(), db.session.commit())[0])
            _, reload_ms = timed(lambda: (load_reference(), db.session.commit()))
            print(f"database        {db.engine.dialect.name}")
            print(f"first load      {load_ms / 1000:6.2f} s   ({counts['regions']} regions)")
            print(f"no-op reload    {reload_ms / 1000:6.3f} s")
            queries = prefixes(args.searches, args.seed)
            for label, level in (("villages", 4), ("all levels", None)):
                samples = [timed(search_regions, q, level=level)[1] for q in queries]
                print(f"{label:<15} {percentiles(samples)}  ({len(samples)} searches)")
            db.session.rollback()
            db.engine.dispose()
    finally:
        drop_database()


if __name__ == "__main__":
    main()
