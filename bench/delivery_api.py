"""Benchmark: recording service deliveries through the API under gunicorn, at 10k, 100k and 1M cases.

For each size, takes (or builds, see ``cases_data.py``) a synthetic case
database, issues an API token to a synthetic caseworker, starts gunicorn
(``wsgi:app``, 2 workers or ``--workers``, each worker class asked for) on it, and has several
client threads POST /api/v1/cases/<uuid>/deliveries, each with a fresh UUID,
to open cases of the agency for ``--seconds``. Prints requests/s, latency
percentiles, the refusals and the workers' CPU time per request (from /proc:
the figure that decides the rate, where wall times move with the machine's
load); the target is >= 300 requests/s on two cores.

    .venv/bin/python bench/delivery_api.py [--sizes 10000,100000,1000000] [--database-url URL]
        [--worker-classes sync,gthread] [--workers 2] [--clients 8] [--seconds 20]
"""

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cases_data import build
from region_lookup import percentiles

from casework import create_app
from casework.auth.models import Role, User
from casework.auth.services import issue_token
from casework.cases.models import Case, Stage
from casework.extensions import db
from casework.reference.models import Service

ROOT = Path(__file__).resolve().parent.parent
PORT = 8731
# Services without a cap on days, so no request is refused for exceeding one.
SERVICES = ("bimbingan-fisik-mental-spiritual-sosial", "sandang", "rujukan", "penelusuran-keluarga")


def prepare(url):
    """An API token of the synthetic caseworker holding most cases in intervention, those cases, and service ids.

    A tablet records services on the cases its user holds (``casework.access.scope``: always in their scope).
    """
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.test_request_context():
        in_intervention = (Case.stage == Stage.INTERVENTION,)
        holder_id = db.session.scalar(
            sa.select(Case.caseworker_id)
            .join(User, User.id == Case.caseworker_id)
            .where(*in_intervention, User.username.like("syn-%"), User.role == Role.CASEWORKER)
            .group_by(Case.caseworker_id)
            .order_by(sa.func.count().desc(), Case.caseworker_id)
            .limit(1)
        )
        user = db.session.get(User, holder_id)
        _record, token = issue_token(user, "bench")
        db.session.commit()
        cases = db.session.scalars(
            sa.select(Case.uuid)
            .where(*in_intervention, Case.caseworker_id == holder_id)
            .order_by(Case.id.desc())
            .limit(2000)
        ).all()
        services = db.session.scalars(sa.select(Service.id).where(Service.slug.in_(SERVICES))).all()
        db.engine.dispose()
    return token, [str(case) for case in cases], services


def start_gunicorn(url, worker_class, threads, workers=2):
    """Starts gunicorn with ``workers`` workers of ``worker_class`` on the database; returns it once it answers."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "CASEWORK_INSTANCE_PATH": tempfile.mkdtemp(prefix="casework-bench-instance-"),
        # One token sends hundreds of requests a second here: counted as in production, never refused.
        "API_RATE_LIMIT_PER_MINUTE": "1000000",
    }
    command = [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers), "--worker-class", worker_class]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    command += ["--bind", f"127.0.0.1:{PORT}", "--log-level", "warning", "wsgi:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _n in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def workers_cpu_seconds(server):
    """CPU seconds (user + system) the gunicorn workers of ``server`` have used so far (Linux /proc)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def client_loop(token, cases, services, stop_at, results, seed):
    """POSTs deliveries until ``stop_at``; appends (status, milliseconds) to ``results``."""
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection = None
    while time.perf_counter() < stop_at:
        body = json.dumps(
            {
                "uuid": str(uuid.uuid4()),
                "service_id": rng.choice(services),
                "delivered_on": date.today().isoformat(),
                "quantity": 1,
            }
        )
        start = time.perf_counter()
        try:
            connection = connection or http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            connection.request("POST", f"/api/v1/cases/{rng.choice(cases)}/deliveries", body, headers)
            response = connection.getresponse()
            response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException):
            status, connection = 0, None
        results.append((status, (time.perf_counter() - start) * 1000))


def run_load(token, cases, services, clients, seconds):
    """Runs ``clients`` threads for ``seconds``; returns their (status, ms) results."""
    results = []
    stop_at = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=client_loop, args=(token, cases, services, stop_at, results, seed))
        for seed in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def bench_size(url, size, worker_classes, clients, seconds, threads, workers=2):
    """Runs the load against each worker class on the database of ``size`` cases; prints the figures."""
    url = build(url, size)
    token, cases, services = prepare(url)
    dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
    for worker_class in worker_classes:
        server = start_gunicorn(url, worker_class, threads, workers)
        try:
            run_load(token, cases, services, clients, 2)  # warm the workers
            cpu_before = workers_cpu_seconds(server)
            results = run_load(token, cases, services, clients, seconds)
            cpu_used = workers_cpu_seconds(server) - cpu_before
        finally:
            server.terminate()
            server.wait()
        created = [ms for status, ms in results if status == 201]
        errors = {}
        for status, _ms in results:
            if status != 201:
                errors[status] = errors.get(status, 0) + 1
        label = f"{worker_class}" + (f" x{threads} threads" if worker_class == "gthread" else "")
        print(
            f"\n{dialect} {size:,} cases, {workers} {label} workers, {clients} clients, {seconds} s: "
            f"{len(created) / seconds:,.0f} deliveries/s; errors {errors or 0}"
        )
        if created:
            print(f"  POST /deliveries  {percentiles(created)}  ({len(created)} recorded)")
            # CPU per request is what decides the rate on two cores; wall times move with the machine's load.
            print(f"  app CPU {1000 * cpu_used / len(results):.2f} ms per request (gunicorn workers)")


def main():
    """Runs the benchmark for each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: SQLite files")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated case counts")
    parser.add_argument("--worker-classes", default="sync,gthread")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (default 4)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (default 8)")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args()
    for size in (int(size) for size in args.sizes.split(",")):
        worker_classes = args.worker_classes.split(",")
        bench_size(args.database_url, size, worker_classes, args.clients, args.seconds, args.threads, args.workers)


if __name__ == "__main__":
    main()
