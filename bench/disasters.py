"""Benchmark: a disaster of 10,000 people across 20 sites, registered through the API; its situation page and SPM 5.

On a fresh database (a SQLite file, or a new schema of ``--database-url``):

1. the demo agency's supervisor opens a flood (emergency since two days ago)
   and 20 sites through the API, then registers households of 1–7 people
   (a third with NIKs) through ``POST /api/v1/disasters/<event>/households``
   until ``--people`` are registered: households/s, people/s and the median
   and p95 of one registration;
2. records today's meals for nine people in ten (the rest are the page's
   gap): 500 through the distribution list's tick endpoint, the rest (with
   psychosocial support, and special handling for the vulnerable) as each
   site's whole list sent as one form; and clothing for every household
   through ``POST /api/v1/disasters/<event>/assistance``;
3. refreshes the planner's statistics (PostgreSQL: ``ANALYZE``, as its
   autovacuum would), then times, ``--repeats`` times each: the situation page (``GET
   /disasters/<event>/situation``, the HTML a tablet gets), its JSON twin,
   the event's SPM figure (``event_needs_met``) and the agency's year of
   ``KAB-5-PENERIMA`` (the achievement table the figures pages serve):
   median and p95 in ms, and the peak Python memory of one call (tracemalloc).

Targets: situation page under 200 ms (median) at 10,000 people, the SPM
figure under 1 s. Prints the figures; exits 1 when a target is missed.

    .venv/bin/python bench/disasters.py [--database-url postgresql://…] [--people 10000] [--sites 20]
"""

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from caseload import _server_cpu_ms
from flask_migrate import upgrade

from casework import create_app
from casework.clients.identity import compose_nik
from casework.core.localtime import local_today
from casework.demo import load_demo_data
from casework.disasters.figures import event_needs_met
from casework.disasters.models import DisasterEvent
from casework.extensions import db
from casework.figures.achievement import report_for
from casework.reference.loader import load_reference
from config import normalise_database_url

VILLAGES = ("32.75.07.1003", "32.75.07.1004", "32.75.07.1008")
DISTRICT = "32.75.07"
PAGE_TARGET_MS, SPM_TARGET_MS = 200, 1000


def _config(url):
    """The app's database config: a fresh SQLite file, or a fresh schema on the PostgreSQL server ``url``."""
    if not url:
        path = Path(tempfile.mkdtemp(prefix="casework-bench-disasters-")) / "bench.sqlite"
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}, None
    url = normalise_database_url(url)
    schema = f"casework_bench_disasters_{os.getpid()}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    options = {"connect_args": {"options": f"-csearch_path={schema}"}}
    return {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options}, (url, schema)


def _drop(created):
    """Drops the benchmark's PostgreSQL schema."""
    if created:
        url, schema = created
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        engine.dispose()


def _ms(samples):
    """Median and p95 of ``samples`` (ms), formatted."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):8.2f}  p95 {p95:8.2f} ms"


def _ok(response, *statuses):
    """The response's JSON; stops the benchmark on an unexpected status."""
    if response.status_code not in (statuses or (200, 201)):
        raise SystemExit(f"{response.request.method} {response.request.path}: {response.status_code} {response.text}")
    return response.get_json()


def _household(rng, serial, today):
    """A household of 1–7 people; a third of them with a NIK."""
    size = rng.randint(1, 7)
    members = []
    for index in range(size):
        age = rng.choice((rng.randint(0, 4), rng.randint(5, 59), rng.randint(60, 90), rng.randint(18, 50)))
        member = {"name": f"Warga {serial}-{index}", "sex": rng.choice(("male", "female")), "age_years": age}
        if index:
            member["relation"] = "child" if age < 18 else rng.choice(("spouse", "parent", "other_relative"))
        if rng.random() < 1 / 3:
            born = today.replace(year=today.year - age) - timedelta(days=rng.randint(1, 300))
            member["nik"] = compose_nik(DISTRICT, born, member["sex"], (serial * 8 + index) % 9999 + 1)
        members.append(member)
    return {"uuid": str(uuid.uuid4()), "region_code": rng.choice(VILLAGES), "members": members}


def _vulnerable(member):
    """The member is in a vulnerable group."""
    return any(member[flag] for flag in ("elderly", "pregnant_or_nursing", "under_five", "disability"))


def register(client, people, site_count, rng, today):
    """Opens the event and its sites, registers households until ``people``; returns (event uuid, households)."""
    event = _ok(
        client.post(
            "/api/v1/disasters",
            json={
                "kind": "flood",
                "name": "Banjir bandang (bench)",
                "occurred_on": (today - timedelta(days=2)).isoformat(),
                "villages": list(VILLAGES),
            },
        )
    )
    sites = [
        _ok(
            client.post(
                f"/api/v1/disasters/{event['uuid']}/sites",
                json={
                    "name": f"Pos {n:02d}",
                    "region_code": VILLAGES[n % len(VILLAGES)],
                    "capacity": 800,
                    "opened_on": event["occurred_on"],
                },
            )
        )["uuid"]
        for n in range(site_count)
    ]
    households, timings, registered, serial = [], [], 0, 0
    started = time.perf_counter()
    while registered < people:
        serial += 1
        body = _household(rng, serial, today)
        body["members"] = body["members"][: people - registered]
        body |= {"site_uuid": sites[serial % site_count], "arrived_on": today.isoformat()}
        begin = time.perf_counter()
        saved = _ok(client.post(f"/api/v1/disasters/{event['uuid']}/households", json=body), 201)
        timings.append((time.perf_counter() - begin) * 1000)
        members = [(member["uuid"], _vulnerable(member)) for member in saved["members"]]
        households.append((body["site_uuid"], saved["uuid"], members))
        registered += len(saved["members"])
    seconds = time.perf_counter() - started
    print(f"  registered {registered:,} people in {len(households):,} households, {site_count} sites: {seconds:.1f} s")
    print(f"  {'registration (one household)':<34} {_ms(timings)}   {registered / seconds:,.0f} people/s")
    return event["uuid"], households


def feed(client, event_uuid, households, rng, today, ticked=500):
    """Today's meals (and support) for nine people in ten and clothing for every household; prints the timings.

    The first ``ticked`` meals are ticks (the list's script, one request
    each); the rest are each site's whole list sent as one form (the list
    without JavaScript). Clothing goes to every household through the API.
    """
    day = today.isoformat()
    fed, ticks, clothing, lists = {}, [], [], []
    started = time.perf_counter()
    for site_uuid, household_uuid, members in households:
        for person, vulnerable in members:
            if rng.random() < 0.9:
                fed.setdefault(site_uuid, []).append((person, vulnerable))
                if len(ticks) < ticked:
                    url = f"/api/v1/disasters/{event_uuid}/sites/{site_uuid}/distribution/{day}/ticks"
                    begin = time.perf_counter()
                    _ok(client.post(url, json={"person": person, "kind": "meals", "quantity": 3}), 201)
                    ticks.append((time.perf_counter() - begin) * 1000)
        body = {"household": household_uuid, "kind": "clothing", "given_on": day, "quantity": 1}
        begin = time.perf_counter()
        _ok(client.post(f"/api/v1/disasters/{event_uuid}/assistance", json=body), 201)
        clothing.append((time.perf_counter() - begin) * 1000)
    for site_uuid, people in fed.items():
        form = {}
        for person, vulnerable in people:
            form |= {f"meals-{person}": ["1", "2", "3"], f"psychosocial-{person}": "1"}
            if vulnerable:
                form[f"special_handling-{person}"] = "1"
        begin = time.perf_counter()
        response = client.post(f"/disasters/{event_uuid}/sites/{site_uuid}/distribution/{day}", data=form)
        assert response.status_code == 302, response.text[:500]
        lists.append((time.perf_counter() - begin) * 1000)
    seconds = time.perf_counter() - started
    meals = sum(len(people) for people in fed.values())
    print(f"  recorded meals for {meals:,} people, clothing for {len(clothing):,} households: {seconds:.1f} s")
    print(f"  {'meal tick (API)':<34} {_ms(ticks)}   ({len(ticks)} ticks)")
    print(f"  {'whole list of a site (form)':<34} {_ms(lists)}   ({meals // len(lists):,} people a site)")
    print(f"  {'clothing for a household (API)':<34} {_ms(clothing)}")


BACKENDS = set()


def _cpu_ms():
    """CPU time so far of this process and of the PostgreSQL backends it used, in ms."""
    return time.process_time() * 1000 + _server_cpu_ms(BACKENDS)


def timed(label, call, repeats, target_ms=None):
    """Times ``call`` ``repeats`` times (after one warm-up): wall and CPU ms, peak Python memory; True when on target.

    The machine may be shared: wall times grow with the others' load, CPU
    times (this process and its PostgreSQL backends) hardly do; the target is
    judged on the median CPU time.
    """
    call()
    walls, cpus = [], []
    for _ in range(repeats):
        begin, cpu = time.perf_counter(), _cpu_ms()
        call()
        walls.append((time.perf_counter() - begin) * 1000)
        cpus.append(_cpu_ms() - cpu)
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    on_target = target_ms is None or statistics.median(cpus) <= target_ms
    note = "" if target_ms is None else f"  target {target_ms} ms: {'met' if on_target else 'MISSED'}"
    print(f"  {label:<30} wall {_ms(walls)}")
    print(f"  {'':<30} CPU  {_ms(cpus)}   peak {peak:5.1f} MB{note}")
    return on_target


def main():
    """Builds the disaster, records a day, prints the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a temporary SQLite file")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    os.environ.setdefault("CASEWORK_INSTANCE_PATH", tempfile.mkdtemp(prefix="casework-bench-instance-"))
    config, created = _config(args.database_url)
    app = create_app({"SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "DEMO_CASES": 10, **config})
    rng = random.Random(args.seed)
    try:
        with app.app_context():
            upgrade()
            load_reference()
            logins = {login["role"]: login for login in load_demo_data()}
            db.session.commit()
            today = local_today()
            if db.engine.dialect.name == "postgresql":
                sa.event.listen(db.engine, "checkout", lambda connection, *_: BACKENDS.add(connection.info.backend_pid))
            print(f"\n{db.engine.dialect.name}: {args.people:,} people across {args.sites} sites")
        client = app.test_client()
        supervisor = logins["supervisor"]
        login = {"username": supervisor["username"], "password": supervisor["password"]}
        assert client.post("/login", data=login).status_code == 302, "the supervisor could not sign in"
        event_uuid, households = register(client, args.people, args.sites, rng, today)
        feed(client, event_uuid, households, rng, today)
        with app.app_context():
            analyse()
        page = f"/disasters/{event_uuid}/situation"
        results = [
            timed("situation page (HTML)", lambda: _ok(client.get(page), 200) or True, args.repeats, PAGE_TARGET_MS),
            timed("situation (API, JSON)", lambda: _ok(client.get(f"/api/v1{page}")), args.repeats),
        ]
        with app.test_request_context():
            event = db.session.scalar(sa.select(DisasterEvent).where(DisasterEvent.uuid == uuid.UUID(event_uuid)))
            met, total = event_needs_met(event, local_today())
            results.append(
                timed("SPM 5 of the event", lambda: event_needs_met(event, local_today()), args.repeats, SPM_TARGET_MS)
            )
            args_year = {"indicator": "KAB-5-PENERIMA", "year": str(local_today().year)}
            results.append(
                timed(
                    "KAB-5-PENERIMA, the year",
                    lambda: report_for(event_agency(event), args_year),
                    args.repeats,
                    SPM_TARGET_MS,
                )
            )
            table = report_for(event_agency(event), args_year)
            print(f"  SPM 5: needs met {met:,} of {total:,}; KAB-5-PENERIMA {table.total.realisation:,} / "
                  f"{table.total.denominator:,} = {table.total.percent} %")  # fmt: skip
        print(f"  peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
        if not all(results):
            raise SystemExit(1)
    finally:
        with app.app_context():
            db.engine.dispose()
        _drop(created)


def analyse():
    """Refreshes PostgreSQL's statistics, as its autovacuum does within a minute of a day's registrations.

    The servers these benchmarks run on have autovacuum off; without statistics the planner takes the
    event's 10,000 people for ten and picks nested loops that cost seconds.
    """
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))


def event_agency(event):
    """The agency of ``event``."""
    from casework.org.models import Agency

    return db.session.get(Agency, event.agency_id)


if __name__ == "__main__":
    main()
