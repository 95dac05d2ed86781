"""Benchmark: importing 100,000-row files of clients, their cases and the services delivered to them.

Builds a fresh database (a temporary SQLite file, or a schema of its own on
the PostgreSQL server given by ``--database-url``) with the reference data and
one city agency, writes three CSV files of ``--rows`` rows each (synthetic
clients of realistic shape from ``casework.clients.synth``, one assessed case
per client needing one service, one delivery per case that meets it), and
imports them in order exactly as the page and the CLI do: upload, dry run,
confirm, import in committed batches (``casework.imports.services``). Likely
duplicates among the synthetic names are registered as new
(``new_when_unsure``), as ``--new-when-unsure`` does on the CLI.

Prints per file: dry run and import seconds, rows/s of the two together, the
median and p95 of the batch times of each phase, and the process's peak RSS.
The target is under 120 s per 100,000 rows on each database. Then the same
files again: every row unchanged. With ``--types deliveries`` the clients and
cases are put in directly (synthesised, with the cases' source keys stored),
to time the deliveries import alone; with ``--types clients`` the registry starts empty.

    .venv/bin/python bench/imports.py [--rows 100000] [--database-url URL] [--types clients,cases,deliveries]
        [--profile deliveries]
"""

import argparse
import cProfile
import csv
import io
import os
import pstats
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from flask_migrate import upgrade
from region_lookup import fresh_database, percentiles

from casework import create_app
from casework.auth.models import Role, User
from casework.cases.models import Case, CaseNeed
from casework.clients.models import Client, Sex
from casework.clients.synth import _Person, _setting, synthesise
from casework.extensions import db
from casework.imports import engine, load_types, services
from casework.imports.models import ImportKey, JobStatus
from casework.org.models import Agency, GovLevel, Unit, UnitKind
from casework.reference.loader import load_reference
from casework.reference.models import Service

TYPES = ("clients", "cases", "deliveries")
CHANNELS = ("outreach", "joint_raid", "walk_in", "complaint", "volunteer_finding")
# Batch times in ms by (round, record type, phase), and the phase running now.
TIMES = defaultdict(list)
PHASE = {"key": None}
# Each synthetic case's intake day, by its number.
INTAKES = {}


def _timed(function, phase):
    """``function``, its elapsed time noted under the running import's key when ``phase`` is the one running."""

    def run(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            if PHASE["key"] and PHASE["key"][-1] == phase:
                TIMES[PHASE["key"]].append((time.perf_counter() - start) * 1000)

    return run


# The dry run checks each batch with check_batch; the import checks and writes it with _apply_batch.
engine.check_batch = _timed(engine.check_batch, "dry run")
engine._apply_batch = _timed(engine._apply_batch, "import")


def _agency():
    """A Kota Bekasi agency with a division, a data officer who imports, and a caseworker who holds the cases."""
    agency = Agency(code="BENCH", name="Dinas Sosial Bench", level=GovLevel.CITY, region_code="32.75")
    unit = Unit(agency=agency, code="REHSOS", name="Bidang Rehabilitasi Sosial", kind=UnitKind.DIVISION)
    users = [
        User(username=name, full_name=name, role=role, agency=agency, unit=unit, password_hash="-")  # noqa: S106 - never signs in
        for name, role in (("petugas-data", Role.DATA_OFFICER), ("peksos", Role.CASEWORKER))
    ]
    db.session.add_all([agency, unit, *users])
    db.session.commit()
    return agency, users[0]


def _csv(header, rows):
    """CSV bytes (UTF-8, comma) of ``header`` and ``rows``."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _dmy(day):
    return day.strftime("%d/%m/%Y") if day else ""


def files(agency, count, seed, with_clients=True):
    """{record type: CSV bytes} of ``count`` clients, their cases and one delivery each (no clients: empty)."""
    rng = random.Random(seed)
    setting = _setting(agency)
    slugs = dict(setting.categories)
    person = _Person(rng, setting, {})
    clients, cases, deliveries = [], [], []
    for n in range(1, count + 1):
        if not with_clients:
            intake = date(2025, 1, 1) + timedelta(days=rng.randrange(300))
            INTAKES[n] = intake
            deliveries.append([f"L{n:07d}", f"K{n:07d}", "sandang", _dmy(intake + timedelta(days=5))])
            continue
        client, held, _tokens = person.rows(n)
        categories = "; ".join(f"{slugs[entry['category_id']]} ({_dmy(entry['since'])})" for entry in held)
        born = client["birth_date"]
        clients.append(
            [
                f"P{n:07d}",
                client["full_name"],
                client["aliases"] or "",
                "L" if client["sex"] == Sex.MALE.value else "P",
                _dmy(born),
                "" if born else client["birth_year"],
                "ya" if client["birth_year_estimated"] else "tidak",
                client["mother_name"] or "",
                client["nik"] or "",
                client["domicile_region_code"],
                client["origin_region_code"] or "",
                categories,
            ]
        )
        intake = date(2025, 1, 1) + timedelta(days=rng.randrange(300))
        INTAKES[n] = intake
        cases.append(
            [
                f"K{n:07d}",
                f"P{n:07d}",
                rng.choice(CHANNELS),
                _dmy(intake),
                "peksos",
                "intervention",
                _dmy(intake),
                _dmy(intake + timedelta(days=2)),
                "Sehat.",
                "sandang",
                _dmy(intake + timedelta(days=3)),
                "Kembali ke keluarga.",
            ]
        )
        deliveries.append([f"L{n:07d}", f"K{n:07d}", "sandang", _dmy(intake + timedelta(days=5 + rng.randrange(20)))])
    client_header = [
        "kode_sumber",
        "full_name",
        "aliases",
        "sex",
        "birth_date",
        "birth_year",
        "birth_year_estimated",
        "mother_name",
        "nik",
        "domicile_region",
        "origin_region",
        "categories",
    ]
    case_header = [
        "kode_sumber",
        "client_key",
        "intake_channel",
        "intake_date",
        "caseworker",
        "stage",
        "assessment_started_on",
        "assessed_on",
        "condition",
        "needs",
        "planned_on",
        "plan_goals",
    ]
    return {
        "clients": _csv(client_header, clients),
        "cases": _csv(case_header, cases),
        "deliveries": _csv(["kode_sumber", "case", "service", "delivered_on"], deliveries),
    }


def seed_cases(agency, officer, count):
    """Puts in clients and their cases without importing them, for timing the deliveries import alone.

    Synthesises the clients, inserts one case each (intervention, needing one clothing package) and stores
    the cases' source keys "K…" as the cases import would.
    """
    for _done in synthesise(agency, count, seed=1):
        db.session.commit()
    caseworker = db.session.scalar(sa.select(User.id).where(User.username == "peksos"))
    unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.agency_id == agency.id))
    clothes = db.session.scalar(sa.select(Service.id).where(Service.slug == "sandang"))
    clients = db.session.scalars(sa.select(Client.id).where(Client.agency_id == agency.id).order_by(Client.id)).all()
    for start in range(0, count, 10_000):
        rows = []
        for n, client_id in enumerate(clients[start : start + 10_000], start=start + 1):
            intake = INTAKES[n]
            rows.append(
                {
                    "agency_id": agency.id,
                    "number": f"KS-B-{n:07d}",
                    "client_id": client_id,
                    "unit_id": unit_id,
                    "caseworker_id": caseworker,
                    "opened_by_id": officer.id,
                    "stage": "intervention",
                    "intake_channel": "outreach",
                    "intake_date": intake,
                    "assessment_started_on": intake,
                    "assessed_on": intake + timedelta(days=2),
                    "planned_on": intake + timedelta(days=3),
                }
            )
        ids = db.session.scalars(sa.insert(Case).returning(Case.id, sort_by_parameter_order=True), rows).all()
        db.session.execute(sa.insert(CaseNeed), [{"case_id": case_id, "service_id": clothes} for case_id in ids])
        db.session.execute(
            sa.insert(ImportKey),
            [
                {
                    "agency_id": agency.id,
                    "record_type": "cases",
                    "source_key": f"K{n:07d}",
                    "record_id": case_id,
                    "row_hash": "-",
                }
                for n, case_id in enumerate(ids, start=start + 1)
            ],
        )
        db.session.commit()


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_file(agency, officer, record_type, data, label):
    """Uploads, dry-runs, confirms and imports ``data``; prints the figures; returns the finished job."""
    job = services.upload(agency, officer, record_type, data, f"{record_type}.csv", new_when_unsure=True)
    db.session.commit()
    job_id = job.id
    PHASE["key"] = (label, record_type, "dry run")
    start = time.perf_counter()
    job = services.process(job_id)
    checked = time.perf_counter()
    if job.error_count:
        print(f"  {record_type}: {job.error_count} rows with errors; counts {job.counts}", flush=True)
        return job
    services.confirm(job, officer)
    db.session.commit()
    PHASE["key"] = (label, record_type, "import")
    confirmed = time.perf_counter()
    job = services.process(job_id)
    done = time.perf_counter()
    dry, written = checked - start, done - confirmed
    rows = job.total
    print(
        f"  {label} {record_type:<10} {rows:,} rows: dry run {dry:6.1f} s, import {written:6.1f} s, "
        f"total {dry + written:6.1f} s, {rows / (dry + written):,.0f} rows/s; {job.status}, applied {job.applied}; "
        f"peak RSS {_peak_mb():,.0f} MB",
        flush=True,
    )
    for phase in ("dry run", "import"):
        times = TIMES[(label, record_type, phase)]
        if len(times) >= 2:
            print(f"      {phase:<8} batches ({len(times)}): {percentiles(times)}", flush=True)
    assert job.status == JobStatus.DONE, job.failure
    return job


def bench(url, count, types, seed, profile=None):
    """Builds the database, writes the files, imports them twice; prints the figures."""
    config, drop_database = fresh_database(url)
    app = create_app({"SECRET_KEY": "bench", "IMPORT_MAX_BYTES": 500 * 1024 * 1024, **config})
    try:
        with app.test_request_context():
            upgrade()
            load_reference()
            db.session.commit()
            load_types()
            agency, officer = _agency()
            start = time.perf_counter()
            data = files(agency, count, seed, with_clients="clients" in types)
            sizes = ", ".join(f"{name} {len(data[name]) / 1e6:.1f} MB" for name in types)
            print(
                f"\n{db.engine.dialect.name}: {count:,} rows per file written in {time.perf_counter() - start:.1f} s "
                f"({sizes})",
                flush=True,
            )
            if "clients" not in types and "cases" not in types:
                start = time.perf_counter()
                seed_cases(agency, officer, count)
                print(f"  (clients and cases put in without import in {time.perf_counter() - start:.1f} s)", flush=True)
            for label in ("first", "again"):
                for record_type in types:
                    profiler = cProfile.Profile() if label == "first" and record_type == profile else None
                    if profiler:
                        profiler.enable()
                    import_file(agency, officer, record_type, data[record_type], label)
                    if profiler:
                        profiler.disable()
                        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            db.session.rollback()
            db.engine.dispose()
    finally:
        drop_database()


def main():
    """Runs the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a temporary SQLite file")
    parser.add_argument("--rows", type=int, default=100_000, help="rows per file (default 100,000)")
    parser.add_argument("--types", default=",".join(TYPES), help="record types to import, in order")
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--profile", help="a record type whose first import is profiled (cProfile, top 30)")
    args = parser.parse_args()
    os.environ.setdefault("CASEWORK_INSTANCE_PATH", tempfile.mkdtemp(prefix="casework-bench-instance-"))
    bench(args.database_url, args.rows, args.types.split(","), args.seed, args.profile)


if __name__ == "__main__":
    main()
