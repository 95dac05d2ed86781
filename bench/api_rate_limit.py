"""Benchmark: what the API rate limit adds to a request (one upsert and its commit).

Builds a fresh database (a temporary SQLite file, or a schema of its own on
the PostgreSQL server given by ``--database-url``), issues a token, then sends
``GET /api/v1/me`` with it through the app in this process, in alternating
rounds with the limit off (0) and on (a limit never reached, so every request
is counted as in production). Prints the latency of both, the median extra
time per request, the upsert alone, requests per second and peak memory.

    .venv/bin/python bench/api_rate_limit.py [--database-url URL] [--rounds 10] [--per-round 200]
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from region_lookup import fresh_database, percentiles

from casework import create_app
from casework.auth import limits
from casework.auth.services import issue_token
from casework.extensions import db
from casework.reference.loader import load_reference
from config import Config
from tests.factories import Factories

NEVER_REACHED = 10**9


def prepare(config):
    """The app on a migrated database with reference data, and a token of a new caseworker.

    The engine keeps production's options (a ping at each checkout), which the fresh schema's options replace.
    """
    engine_options = {**Config.SQLALCHEMY_ENGINE_OPTIONS, **config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
    app = create_app({"SECRET_KEY": "bench", **config, "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
    with app.app_context():
        upgrade()
        load_reference()
        _record, token = issue_token(Factories().user(), "bench")
        db.session.commit()
    return app, token


def requests_ms(app, token, limit, count):
    """Latencies (ms) of ``count`` GET /api/v1/me with the per-token limit set to ``limit`` (0: off)."""
    app.config["API_RATE_LIMIT_PER_MINUTE"] = limit
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    samples = []
    for _n in range(count):
        start = time.perf_counter()
        response = client.get("/api/v1/me", headers=headers)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return samples


def upsert_ms(app, count):
    """Latencies (ms) of the counting alone: the upsert and its commit, in a request context."""
    samples = []
    with app.test_request_context("/api/v1/me"):
        for _n in range(count):
            start = time.perf_counter()
            limits.count("token:bench-alone", NEVER_REACHED)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def main():
    """Builds the database, runs the rounds, prints the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a temporary SQLite file")
    parser.add_argument("--rounds", type=int, default=10, help="alternating off/on rounds (default 10)")
    parser.add_argument("--per-round", type=int, default=200, help="requests per round and mode (default 200)")
    args = parser.parse_args()

    os.environ.setdefault("CASEWORK_INSTANCE_PATH", tempfile.mkdtemp(prefix="casework-bench-instance-"))
    config, remove = fresh_database(args.database_url)
    try:
        app, token = prepare(config)
        requests_ms(app, token, NEVER_REACHED, 50)  # warm up
        off, on = [], []
        started = time.perf_counter()
        for _round in range(args.rounds):
            off += requests_ms(app, token, 0, args.per_round)
            on += requests_ms(app, token, NEVER_REACHED, args.per_round)
        elapsed = time.perf_counter() - started
        alone = upsert_ms(app, args.rounds * args.per_round)
        with app.app_context():
            db.engine.dispose()
    finally:
        remove()

    dialect = "postgresql" if args.database_url else "sqlite"
    extra_us = (statistics.median(on) - statistics.median(off)) * 1000
    print(f"{dialect}: {len(on)} requests per mode, GET /api/v1/me with a bearer token, in process")
    print(f"  limit off   {percentiles(off)}  ({len(off) / sum(off) * 1000:,.0f} requests/s)")
    print(f"  limit on    {percentiles(on)}  ({len(on) / sum(on) * 1000:,.0f} requests/s)")
    print(f"  extra per request (median on - median off): {extra_us:,.0f} µs")
    print(f"  upsert + commit alone {percentiles(alone)}")
    print(f"  {2 * len(on) / elapsed:,.0f} requests/s overall; peak memory {peak_mb():.0f} MB")


def peak_mb():
    """The process's peak resident memory in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
