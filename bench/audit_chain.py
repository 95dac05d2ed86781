"""Benchmark: sealing and verifying the audit trail's hash chain over 100,000 entries.

Builds a fresh database (a temporary SQLite file, or a schema of its own on
the PostgreSQL server given by ``--database-url``), inserts ``--rows``
unsealed audit rows of a realistic shape in one go, then runs the sealer
(``casework.audit.chain.seal``, committed batches) and the verifier
(``chain.verify``, streaming). Prints rows/s for each, then the peak Python
memory each allocates (tracemalloc, in separate runs as it slows Python
down) and the process's peak RSS: memory stays flat however many rows.

    .venv/bin/python bench/audit_chain.py [--rows 100000] [--database-url URL] [--batch-size 5000]
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from region_lookup import fresh_database

from casework import create_app
from casework.audit import chain
from casework.audit.models import AuditEvent
from casework.extensions import db

INSERT_BATCH = 10_000


def _rows(count):
    """``count`` audit rows as an operation writes them, a second apart, in insert batches."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    batch = []
    for n in range(count):
        batch.append(
            {
                "at": start + timedelta(seconds=n),
                "actor_id": None,
                "action": "case.service_delivered",
                "object_type": "case_file",
                "object_id": str(n % 5000 + 1),
                "address": f"10.0.{n % 256}.{n % 199}",
                "details": {"delivery": n, "service_id": n % 40, "quantity": 1, "stage": "intervention"},
            }
        )
        if len(batch) == INSERT_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _timed(function, *args, **kwargs):
    """Runs ``function``; returns its result and the seconds it took."""
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def _peak_mb(function, *args, **kwargs):
    """The peak MB of Python memory ``function`` allocated (tracemalloc, which slows it: timed separately)."""
    tracemalloc.start()
    function(*args, **kwargs)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return peak


def _insert(count):
    """Inserts ``count`` unsealed rows, committed per insert batch."""
    for batch in _rows(count):
        db.session.execute(AuditEvent.__table__.insert(), batch)
        db.session.commit()


def bench(url, count, batch_size):
    """Builds the database, fills it, seals and verifies; prints the figures."""
    config, drop_database = fresh_database(url)
    app = create_app({"SECRET_KEY": "bench", **config})
    try:
        with app.app_context():
            upgrade()
            _none, inserted = _timed(_insert, count)
            print(f"\n{db.engine.dialect.name}: {count:,} audit rows inserted in {inserted:.1f} s", flush=True)
            sealed, seconds = _timed(chain.seal, batch_size)
            print(f"  seal:   {sealed:,} rows in {seconds:.1f} s = {sealed / seconds:,.0f} rows/s", flush=True)
            result, seconds = _timed(chain.verify)
            db.session.rollback()
            state = "intact" if result.broken is None else f"BROKEN {result.broken.describe()}"
            rate = result.verified / seconds
            print(f"  verify: {result.verified:,} rows in {seconds:.1f} s = {rate:,.0f} rows/s ({state})", flush=True)
            print(f"  peak Python memory: verify {_peak_mb(chain.verify):.1f} MB", end="")
            db.session.rollback()
            _insert(4 * batch_size)
            print(f", seal of {4 * batch_size:,} more rows {_peak_mb(chain.seal, batch_size):.1f} MB")
            print(f"  process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
            db.engine.dispose()
    finally:
        drop_database()


def main():
    """Runs the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a temporary SQLite file")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=chain.BATCH)
    args = parser.parse_args()
    os.environ.setdefault("CASEWORK_INSTANCE_PATH", tempfile.mkdtemp(prefix="casework-bench-instance-"))
    bench(args.database_url, args.rows, args.batch_size)


if __name__ == "__main__":
    main()
