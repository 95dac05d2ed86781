"""Profile of name searches on the kept client database: CPU of this process and of the server, per search.

Takes the database ``client_search.py --keep`` built for ``--size`` clients,
draws ``--searches`` queries of the name kinds asked for (as that benchmark
does), runs each as the /clients page does (``paginate(search(...))``), and
prints per kind the p50/p95 of this process's CPU, of the server backend's
CPU (PostgreSQL) and of their sum (the wall time of an idle machine, near
enough, when the machine is too busy for wall times), and the statements
per search. ``--top N`` prints the functions that cost most.

    .venv/bin/python bench/_search_profile.py --database-url URL [--size 1000000] [--searches 100] [--top 30]
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from client_search import _kept, _server_cpu_ms, name_queries, run_search
from region_lookup import percentiles

from casework import create_app
from casework.demo import AGENCY_CODE
from casework.extensions import db
from casework.org.models import Agency


def measure(agency_id, queries, statements):
    """(client CPU ms, server CPU ms, statements) of each search, each in a session of its own."""
    measured = []
    for q in queries:
        before = len(statements)
        server = _server_cpu_ms()
        cpu = time.process_time()
        run_search(agency_id, q)
        cpu = (time.process_time() - cpu) * 1000
        measured.append((cpu, _server_cpu_ms() - server, len(statements) - before))
        db.session.close()
    return measured


def main():
    """Measures each kind; with ``--top``, profiles them too."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: SQLite files")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--kinds", default="name: typo/variant,name: first+partial")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("CASEWORK_INSTANCE_PATH", tempfile.mkdtemp(prefix="casework-bench-instance-"))
    config, _drop = _kept(args.database_url, args.size)
    app = create_app({"SECRET_KEY": "bench", **config})
    with app.test_request_context():
        statements = []
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        agency_id = db.session.scalar(sa.select(Agency.id).where(Agency.code == AGENCY_CODE))
        kinds = name_queries(agency_id, args.searches, random.Random(args.seed))
        db.session.close()
        profile = cProfile.Profile()
        for kind in args.kinds.split(","):
            queries = kinds[kind]
            measure(agency_id, queries[:10], statements)  # warm
            if args.top:
                profile.enable()
            measured = measure(agency_id, queries, statements)
            profile.disable()
            cpus, servers, counts = zip(*measured, strict=True)
            totals = [cpu + server for cpu, server, _n in measured]
            print(f"  {kind:<20} app cpu    {percentiles(cpus)}")
            print(f"  {'':<20} server cpu {percentiles(servers)}")
            print(f"  {'':<20} sum        {percentiles(totals)}  {sum(counts) / len(counts):.1f} statements")
        if args.top:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
