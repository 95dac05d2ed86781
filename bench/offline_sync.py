"""Benchmark: the offline field app's sync: caseload download vs. delta, and replaying 1,000 queued writes.

(a) Builds (once, kept like ``cases_data.py``'s) a database of the demo agency
with synthetic clients and cases, gives one synthetic caseworker a caseload
of ``--caseload`` open cases, takes a full download, changes ``--changed``
cases (an intake correction each, and a delivery or a note on every other
one) through the service layer, and takes the delta: prints both sizes in
bytes, their ratio (target < 5 %), and median/p95 times over ``--repeat`` runs.

(b) Starts gunicorn on that database and replays ``--writes`` queued writes
over HTTP with a bearer token, as the device does after reconnecting
(register client, open case, correct the intake with the version it holds,
record a delivery, add a note): in batches of ``--batch`` through
``POST /api/v1/sync/batch`` (the field app's outbox), then the same writes a
second time (every one answered from what landed), then ``--writes`` other
writes one request each: prints the total seconds (target < 10 s), median/p95
per request, writes per second, server CPU per write and the records created
(must equal the distinct creates).

    .venv/bin/python bench/offline_sync.py [--database-url URL] [--caseload 500] [--changed 20] [--writes 1000]
        [--batch 50]
"""

import argparse
import http.client
import json
import os
import random
import resource
import statistics
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cases_data import database_url
from delivery_api import PORT, start_gunicorn, workers_cpu_seconds
from flask_migrate import upgrade

from casework import create_app
from casework.auth.models import Role, User
from casework.auth.services import issue_token
from casework.cases import deliveries, notes
from casework.cases.intake import update_intake
from casework.cases.models import OPEN_STAGES, Case, CaseNote, ServiceDelivery
from casework.cases.synth import synthesise_cases
from casework.clients.models import Client, Sex
from casework.clients.synth import person_name, synthesise
from casework.core import statistics as db_statistics
from casework.demo import AGENCY_CODE, load_demo_data
from casework.extensions import db
from casework.org.models import Agency
from casework.reference.loader import load_reference
from casework.reference.models import Service

CASES, CLIENTS = 3000, 1500
SERVICE = "bimbingan-fisik-mental-spiritual-sosial"


def ms_figures(samples):
    """Median and p95 of ``samples`` (seconds) in ms."""
    ordered = sorted(samples)
    p95 = statistics.quantiles(ordered, n=20, method="inclusive")[18] if len(ordered) > 1 else ordered[0]
    return f"median {statistics.median(ordered) * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms"


def prepare(url, caseload):
    """The database URL, built once: demo agency, synthetic clients and cases; one caseworker holds ``caseload``."""
    url = database_url(url, CASES, name="sync")
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        if not db.session.scalar(sa.select(sa.func.count()).select_from(Case)):
            load_reference()
            load_demo_data()
            db.session.commit()
            agency = db.session.scalar(sa.select(Agency).where(Agency.code == AGENCY_CODE))
            for _done in synthesise(agency, CLIENTS, seed=9):
                db.session.commit()
            for _done in synthesise_cases(agency, CASES, seed=9):
                db.session.commit()
            db_statistics.refresh()  # what autovacuum does within a minute (these machines run PostgreSQL without it)
        holder = db.session.scalar(
            sa.select(User).where(User.username.like("syn-%"), User.role == Role.CASEWORKER).order_by(User.id).limit(1)
        )
        chosen = sa.select(Case.id).where(Case.stage.in_(OPEN_STAGES)).order_by(Case.id).limit(caseload)
        db.session.execute(sa.update(Case).where(Case.caseworker_id == holder.id).values(caseworker_id=holder.id - 1))
        db.session.execute(sa.update(Case).where(Case.id.in_(chosen)).values(caseworker_id=holder.id))
        _record, token = issue_token(holder, "bench")
        db.session.commit()
        db.engine.dispose()
    return url, token


def download(client, headers, cursor=None):
    """(seconds, bytes, JSON) of one caseload request."""
    start = time.perf_counter()
    response = client.get("/api/v1/sync/caseload", query_string={"cursor": cursor} if cursor else {}, headers=headers)
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{response.status_code} {response.get_data(as_text=True)[:300]}")
    return seconds, len(response.data), response.json


def change_cases(app, token_user_id, count):
    """Changes ``count`` of the user's cases through the services: an intake correction, a delivery or a note."""
    with app.test_request_context(method="POST"):
        user = db.session.get(User, token_user_id)
        service = db.session.scalar(sa.select(Service).where(Service.slug == SERVICE))
        cases = db.session.scalars(sa.select(Case).where(Case.caseworker_id == user.id).limit(count)).all()
        stamp = time.time_ns()  # a kept database is changed again on the next run
        for n, case in enumerate(cases):
            update_intake(case, user, case.version, {"circumstances": f"Diperbarui di lapangan ({n}, {stamp})."})
            if n % 2:
                deliveries.record_delivery(case, user, {"service_id": service.id, "delivered_on": date.today()})
            else:
                notes.add_note(case, user, {"body": "Kunjungan rumah, kondisi membaik."})
        db.session.commit()


def bench_delta(url, token, changed, repeat):
    """Part (a): full download, changes, delta; prints sizes, ratio and times."""
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "API_RATE_LIMIT_PER_MINUTE": 10**6})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    download(client, headers)  # warm
    fulls = [download(client, headers) for _n in range(repeat)]
    full_bytes, body = fulls[-1][1], fulls[-1][2]
    user_id = body["settings"]["user"]["id"]
    counts = {kind: len(records) for kind, records in body["records"].items() if records}
    change_cases(app, user_id, changed)
    deltas = [download(client, headers, body["cursor"]) for _n in range(repeat)]
    delta_bytes, delta = deltas[-1][1], deltas[-1][2]
    delta_counts = {kind: len(records) for kind, records in delta["records"].items() if records}
    rows = sum(counts.values())
    print(f"caseload: {counts}")
    print(f"full download  {full_bytes:>10,} bytes  {ms_figures([f[0] for f in fulls])}  ", end="")
    print(f"{rows / statistics.median(f[0] for f in fulls):,.0f} records/s")
    print(f"delta          {delta_bytes:>10,} bytes  {ms_figures([d[0] for d in deltas])}  records {delta_counts}")
    print(f"delta / full   {delta_bytes / full_bytes:.2%}  (target < 5 %)")
    db_dispose(app)


def db_dispose(app):
    """Closes the app's connections (before the server takes over the database)."""
    with app.app_context():
        db.engine.dispose()


def queued_writes(count, service_id):
    """``count`` queued writes as a device holds them, in order: (method, path, JSON body).

    The new clients get names drawn like the synthetic ones (a fixed name would make every run's clients
    likely duplicates of the last run's, and the duplicate check slower run after run).
    """
    writes, today, rng = [], date.today().isoformat(), random.Random()
    while len(writes) < count:
        client_uuid, case_uuid = str(uuid.uuid4()), str(uuid.uuid4())
        case_path = f"/api/v1/cases/{case_uuid}"
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
        client = {"uuid": client_uuid, "full_name": person_name(rng, sex), "sex": sex.value, "confirm_new": True}
        writes += [
            ("POST", "/api/v1/clients", client),
            (
                "POST",
                "/api/v1/cases",
                {"uuid": case_uuid, "client_uuid": client_uuid, "intake_channel": "outreach", "intake_date": today},
            ),
            ("PATCH", case_path, {"version": 1, "circumstances": "Dicatat saat luring."}),
            (
                "POST",
                f"{case_path}/deliveries",
                {"uuid": str(uuid.uuid4()), "service_id": service_id, "delivered_on": today},
            ),
            ("POST", f"{case_path}/notes", {"uuid": str(uuid.uuid4()), "body": "Catatan luring."}),
        ]
    return writes[:count]


def replay(requests, token):
    """Sends ``requests`` (method, path, JSON body) in order on one connection; (seconds each, status and JSON each)."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    times, answers = [], []
    for method, path, body in requests:
        start = time.perf_counter()
        connection.request(method, path, json.dumps(body), headers)
        response = connection.getresponse()
        answers.append((response.status, json.loads(response.read() or "null")))
        times.append(time.perf_counter() - start)
    connection.close()
    return times, answers


def batched(writes, size):
    """The writes as batch requests of ``size`` writes each."""
    return [
        (
            "POST",
            "/api/v1/sync/batch",
            {"writes": [{"method": m, "path": p, "body": b} for m, p, b in writes[n : n + size]]},
        )
        for n in range(0, len(writes), size)
    ]


def write_statuses(answers, batches):
    """Each write's status: the batch results, or the request's own status when sent alone."""
    if not batches:
        return [status for status, _body in answers]
    statuses = []
    for status, body in answers:
        statuses += [result["status"] for result in body["results"]] if status == 200 else [status]
    return statuses


def created_records(url, writes):
    """How many clients, cases, deliveries and notes exist with the writes' uuids."""
    uuids = {uuid.UUID(body["uuid"]) for method, _path, body in writes if method == "POST"}
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        found = sum(
            db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.uuid.in_(uuids)))
            for model in (Client, Case, ServiceDelivery, CaseNote)
        )
        db.engine.dispose()
    return found, len(uuids)


def bench_replay(url, token, count, size):
    """Part (b): the queued writes in batches, the same again, then other writes one by one; times and records."""
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        service_id = db.session.scalar(sa.select(Service.id).where(Service.slug == SERVICE))
        db.engine.dispose()
    writes, alone = queued_writes(count, service_id), queued_writes(count, service_id)
    runs = (
        (f"batches of {size}", batched(writes, size), True),
        ("same again", batched(writes, size), True),
        ("one by one", alone, False),
    )
    server = start_gunicorn(url, "gthread", threads=4)
    try:
        for label, requests, batches in runs:
            start, cpu = time.perf_counter(), workers_cpu_seconds(server)
            times, answers = replay(requests, token)
            total, cpu = time.perf_counter() - start, workers_cpu_seconds(server) - cpu
            statuses = write_statuses(answers, batches)
            tally = {status: statuses.count(status) for status in sorted(set(statuses))}
            print(
                f"replay {label:15} {len(statuses)} writes in {total:5.2f} s (target < 10 s)  "
                f"{len(statuses) / total:,.0f} writes/s  per request {ms_figures(times)}  "
                f"server CPU {cpu * 1000 / len(statuses):.1f} ms/write  {tally}"
            )
    finally:
        server.terminate()
        server.wait()
    found, distinct = created_records(url, writes + alone)
    print(f"records created {found} for {distinct} distinct creates (equal: {found == distinct})")


def main():
    """Builds or reuses the database, then runs (a) and (b)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a kept SQLite file")
    parser.add_argument("--caseload", type=int, default=500)
    parser.add_argument("--changed", type=int, default=20)
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=50, help="writes per batch request (the field app sends 50)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    start = time.perf_counter()
    url, token = prepare(args.database_url, args.caseload)
    print(f"database ready in {time.perf_counter() - start:.0f} s")
    bench_delta(url, token, args.changed, args.repeat)
    bench_replay(url, token, args.writes, args.batch)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; peak RSS {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
