"""Benchmark: server time of the caseload page (GET /cases/) at 10k, 100k and 1M cases.

For each size, takes (or builds, see ``cases_data.py``) a synthetic case
database, signs in a sample of synthetic caseworkers and supervisors and the
demo ``peksos`` and ``supervisor`` with Flask's test client, in process, and
times whole requests (routing, queries, template) of the caseload with each
filter the page offers: my open cases, a stage, each overdue kind, and for
supervisors the unit's and the agency's tabs. Prints latency percentiles per
page kind; the target is p95 <= 100 ms.

    .venv/bin/python bench/caseload.py [--sizes 10000,100000,1000000] [--database-url URL] [--repeats N]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cases_data import build
from region_lookup import percentiles

from casework import create_app
from casework.auth.models import Role, User
from casework.auth.passwords import hash_password
from casework.extensions import db

BENCH_PASSWORD = "Bench-Caseload-2026"  # noqa: S105 (set on the benchmark database's own users only)
# (kind, query string, roles that open it)
PAGES = [
    ("mine: open", "", (Role.CASEWORKER, Role.SUPERVISOR)),
    ("mine: intervention", "?stage=intervention", (Role.CASEWORKER, Role.SUPERVISOR)),
    ("mine: all stages", "?stage=", (Role.CASEWORKER,)),
    ("mine: overdue assessment", "?overdue=assessment", (Role.CASEWORKER,)),
    ("mine: overdue stay", "?overdue=stay", (Role.CASEWORKER,)),
    ("mine: overdue services", "?overdue=services", (Role.CASEWORKER,)),
    ("mine: page 3", "?page=3", (Role.CASEWORKER,)),
    ("unit: open", "?scope=unit", (Role.SUPERVISOR,)),
    ("unit: overdue services", "?scope=unit&overdue=services", (Role.SUPERVISOR,)),
    ("agency: open", "?scope=all", (Role.SUPERVISOR,)),
    ("agency: overdue assessment", "?scope=all&overdue=assessment", (Role.SUPERVISOR,)),
]


def sample_users(caseworkers, supervisors):
    """Synthetic caseworkers and supervisors spread over the units, and the demo ones; sets their password."""
    users = []
    for role, count in ((Role.CASEWORKER, caseworkers), (Role.SUPERVISOR, supervisors)):
        synthetic = db.session.scalars(
            sa.select(User).where(User.username.like("syn-%"), User.role == role).order_by(User.id)
        ).all()
        users.extend(synthetic[:: max(1, len(synthetic) // count)][:count])
    users.extend(db.session.scalars(sa.select(User).where(User.username.in_(("peksos", "supervisor")))))
    password_hash = hash_password(BENCH_PASSWORD)
    for user in users:
        user.password_hash = password_hash
    db.session.commit()
    return [(user.username, user.role) for user in users]


def _server_cpu_ms(backends):
    """CPU time (user + system) the PostgreSQL backends ``backends`` used so far, in ms (10 ms ticks)."""
    ticks = 0
    for pid in backends:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def bench_size(url, size, repeats):
    """Times the caseload pages for the sampled users on the database of ``size`` cases; prints the figures."""
    url = build(url, size)
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        users = sample_users(caseworkers=8, supervisors=4)
        engine = db.engine
    dialect = engine.dialect.name
    samples = {kind: [] for kind, *_rest in PAGES}
    # CPU time of this process: all of a request's work on SQLite, all but the server's on PostgreSQL.
    # Unlike wall time, it hardly grows when other processes compete for the cores. On PostgreSQL the
    # server's CPU time is read from its backends' /proc entries (same machine), as a mean per kind.
    cpu_samples = {kind: [] for kind, *_rest in PAGES}
    server_ms = dict.fromkeys(samples, 0.0)
    backends = set()
    if dialect == "postgresql":
        sa.event.listen(engine, "checkout", lambda connection, *_args: backends.add(connection.info.backend_pid))
    for username, role in users:
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": BENCH_PASSWORD})
        assert response.status_code == 302, f"{username} could not sign in"
        for kind, query, roles in PAGES:
            if role not in roles:
                continue
            client.get(f"/cases/{query}")  # warm: the first request of a kind compiles its statements
            server = _server_cpu_ms(backends)
            for _n in range(repeats):
                start, cpu = time.perf_counter(), time.process_time()
                response = client.get(f"/cases/{query}")
                samples[kind].append((time.perf_counter() - start) * 1000)
                cpu_samples[kind].append((time.process_time() - cpu) * 1000)
                assert response.status_code == 200, (kind, response.status_code)
            server_ms[kind] += _server_cpu_ms(backends) - server
    print(f"\n{dialect} {size:,} cases, {len(users)} users, GET /cases/ wall time per request")
    for kind, times in samples.items():
        cpu = f"app CPU median {statistics.median(cpu_samples[kind]):5.1f} ms"
        if dialect == "postgresql":
            cpu += f", server CPU mean {server_ms[kind] / len(times):5.1f} ms"
        print(f"  {kind:<28} {percentiles(times)}  ({len(times)} requests; {cpu})")
    all_times = [sample for times in samples.values() for sample in times]
    print(f"  {'all pages':<28} {percentiles(all_times)}  ({len(all_times)} requests)")
    all_cpu = [sample for times in cpu_samples.values() for sample in times]
    print(f"  {'all pages, app CPU time':<28} {percentiles(all_cpu)}")
    engine.dispose()


def main():
    """Runs the benchmark for each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: SQLite files")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated case counts")
    parser.add_argument("--repeats", type=int, default=5, help="requests per user and page (default 5)")
    args = parser.parse_args()
    os.environ.setdefault("CASEWORK_INSTANCE_PATH", tempfile.mkdtemp(prefix="casework-bench-instance-"))
    for size in (int(size) for size in args.sizes.split(",")):
        bench_size(args.database_url, size, args.repeats)


if __name__ == "__main__":
    main()
