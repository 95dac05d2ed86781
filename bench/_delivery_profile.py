"""Profile of one API delivery request, in process: Python calls, statements and CPU time per request.

Takes (or builds) the kept case database of ``--size`` cases, issues a token
as ``delivery_api.py`` does, and POSTs ``--requests`` deliveries through the
WSGI app (no server, so the figures are the app's own): prints the Python
function calls per request (cProfile), SQL statements per request, CPU ms per
request without the profiler (and, on PostgreSQL, the CPU of the server
process that answered), and with ``--top N`` the functions that cost
most, cumulative.

    .venv/bin/python bench/_delivery_profile.py [--size 10000] [--database-url URL] [--requests 400] [--top 40]
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cases_data import build
from delivery_api import prepare

from casework import create_app
from casework.extensions import db


def _bodies(cases, services, count, rng):
    """``count`` (path, JSON body) pairs of fresh deliveries."""
    today = date.today().isoformat()
    return [
        (
            f"/api/v1/cases/{rng.choice(cases)}/deliveries",
            json.dumps({"uuid": str(uuid.uuid4()), "service_id": rng.choice(services), "delivered_on": today}),
        )
        for _n in range(count)
    ]


def _process_cpu_ms(pid):
    """User + system CPU milliseconds of process ``pid`` so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _server_pids(app):
    """The set that fills with the PostgreSQL server process of every connection the app opens."""
    pids = set()
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            sa.event.listen(db.engine, "connect", lambda dbapi, _record: pids.add(dbapi.info.backend_pid))
    return pids


def main():
    """Warms the app, then measures CPU, statements and (profiled) calls per request."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: SQLite files")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--sort", default="cumulative", help="pstats order for --top (cumulative, tottime, calls)")
    parser.add_argument("--by-package", action="store_true", help="calls per request by package")
    parser.add_argument("--callers", help="print the callers of the functions matching this")
    args = parser.parse_args()
    os.environ.setdefault("CASEWORK_INSTANCE_PATH", tempfile.mkdtemp(prefix="casework-bench-instance-"))
    url = build(args.database_url, args.size)
    token, cases, services = prepare(url)
    # Counted as in production, never refused (one token sends more than a minute's limit here).
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "API_RATE_LIMIT_PER_MINUTE": 10**9})
    pids = _server_pids(app)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    rng = random.Random(1)

    def run(bodies):
        for path, body in bodies:
            response = client.post(path, data=body, headers=headers)
            if response.status_code != 201:
                raise SystemExit(f"{response.status_code} {response.get_data(as_text=True)[:300]}")

    run(_bodies(cases, services, 50, rng))  # warm: connections, statement caches
    bodies = _bodies(cases, services, args.requests, rng)
    server = sum(map(_process_cpu_ms, pids))
    cpu = time.process_time()
    run(bodies)
    cpu_ms = (time.process_time() - cpu) * 1000 / args.requests
    server_ms = (sum(map(_process_cpu_ms, pids)) - server) / args.requests

    statements = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    profile = cProfile.Profile(time.process_time)
    bodies = _bodies(cases, services, args.requests, rng)
    profile.enable()
    run(bodies)
    profile.disable()
    stats = pstats.Stats(profile)
    calls = stats.total_calls / args.requests
    print(
        f"{url.split(':')[0]} {args.size:,} cases: "
        f"CPU {cpu_ms:.2f} ms/request (in process, unprofiled), "
        + (f"server CPU {server_ms:.2f} ms/request, " if pids else "")
        + f"{calls:,.0f} Python calls/request, "
        f"{len(statements) / args.requests:.2f} statements/request"
    )
    if args.by_package:
        by_package = {}
        for (filename, _line, _name), (_cc, ncalls, *_rest) in stats.stats.items():
            package = filename.split("site-packages/")[-1].split("/")[0] if "site-packages" in filename else filename
            package = "casework" if "/casework/" in filename else package
            by_package[package] = by_package.get(package, 0) + ncalls
        for package, ncalls in sorted(by_package.items(), key=lambda item: -item[1])[:15]:
            print(f"  {ncalls / args.requests:8,.0f} calls/request  {package}")
    if args.callers:
        pstats.Stats(profile).print_callers(args.callers)
    if args.top:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
        for statement in dict.fromkeys(statements[-12:]):
            print("  SQL:", " ".join(statement.split())[:200])


if __name__ == "__main__":
    main()
