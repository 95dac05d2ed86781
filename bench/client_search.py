"""Benchmark: synthesising clients, then name and NIK search at 10k, 100k and 1M clients.

For each size, builds a fresh database (a temporary SQLite file, or a schema
of its own on the PostgreSQL server given by ``--database-url``), loads the
reference data and the demo agency, synthesises the clients (rows/s, peak
RSS), then times searches through ``queries.search`` paged by ``paginate``,
exactly as the /clients page and the API run them, and prints latency
percentiles per query kind: wall time, and the CPU time of this process
(which, on SQLite, includes the database's) and, on PostgreSQL, the mean CPU
time of the server backend per search, since the machine may be shared.

With ``--keep`` the database of each size is kept (``clients_<size>``, beside
``cases_data``'s) and reused by the next run, migrated to head first.

    .venv/bin/python bench/client_search.py [--sizes 10000,100000,1000000] [--database-url URL] [--keep]
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cases_data import database_url
from flask_migrate import upgrade
from region_lookup import fresh_database, percentiles

from casework import create_app
from casework.clients.models import Client, ClientNameToken
from casework.clients.queries import search
from casework.clients.synth import synthesise
from casework.core.pagination import COUNT_BOUND, paginate
from casework.demo import AGENCY_CODE, load_demo_data
from casework.extensions import db
from casework.org.models import Agency
from casework.reference.loader import load_reference

COMMON_NAMES = ("Siti", "Muhammad", "Nur", "Agus", "Sri", "Ahmad", "Dewi", "Budi", "Moh.", "Rizky")
# Old and short spellings a caseworker may type for what the registry holds (normalised alike).
RESPELLINGS = {"Muhammad": "Moch.", "Siti": "St.", "Nur": "Noor", "Ahmad": "Achmad", "Rizki": "Rizky", "Joko": "Djoko"}


def typo(word, rng):
    """``word`` with one letter dropped, doubled or swapped with the next."""
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:at] + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at] + word[at:]
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def name_queries(agency_id, count, rng):
    """``count`` realistic name queries of each kind, drawn from the registry itself."""
    last = db.session.scalar(sa.select(sa.func.max(Client.id)))
    names = []
    while len(names) < 4 * count:
        name = db.session.scalar(sa.select(Client.full_name).where(Client.id == rng.randint(1, last)))
        if name:
            names.append(name)
    multi = [name.split() for name in names if " " in name and "." not in name]
    variant = []
    for words in multi[:count]:
        at = rng.randrange(len(words))
        respelt = RESPELLINGS.get(words[at])
        words = [*words[:at], respelt or typo(words[at], rng), *words[at + 1 :]]
        variant.append(" ".join(words))
    partial = [f"{words[0]} {words[1][: rng.randint(3, 5)]}" for words in multi[count : 2 * count]]
    rare_tokens = db.session.scalars(
        sa.select(ClientNameToken.token)
        .where(ClientNameToken.agency_id == agency_id)
        .group_by(ClientNameToken.token)
        .having(sa.func.count() <= 3)
        .order_by(ClientNameToken.token)
    ).all()
    rare = [rng.choice(rare_tokens).capitalize() for _n in range(count)]
    common = [rng.choice(COMMON_NAMES) for _n in range(count)]
    return {"name: typo/variant": variant, "name: first+partial": partial, "name: common": common, "name: rare": rare}


def nik_queries(count, rng):
    """``count`` exact NIKs and ``count`` NIK prefixes (6–14 digits) of registered clients."""
    niks = db.session.scalars(sa.select(Client.nik).where(Client.nik.is_not(None)).order_by(Client.id)).all()
    exact = [rng.choice(niks) for _n in range(count)]
    prefix = [rng.choice(niks)[: rng.randint(6, 14)] for _n in range(count)]
    return {"nik: exact": exact, "nik: prefix": prefix}


def run_search(agency_id, q):
    """One search as the /clients page runs it: the first page and the total (counted up to the bound)."""
    page = paginate(search(agency_id, q), bound=COUNT_BOUND)
    return page.total, len(page.items)


def _server_cpu_ms():
    """CPU time (ms) used so far by the PostgreSQL backend of the session's connection; 0 elsewhere."""
    connection = db.session.connection().connection.dbapi_connection
    info = getattr(connection, "info", None)
    pid = getattr(info, "backend_pid", None)
    if pid is None:
        return 0.0
    # Fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks (the server runs here).
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def timed_search(agency_id, q):
    """(wall ms, this process's CPU ms, the server backend's CPU ms) of one search, in a new session as a request."""
    server = _server_cpu_ms()
    wall, cpu = time.perf_counter(), time.process_time()
    run_search(agency_id, q)
    wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
    server = _server_cpu_ms() - server
    db.session.close()
    return wall, cpu, server


def _kept(url, size):
    """Config for the kept database of ``size`` clients, and a no-op in place of dropping it."""
    return {"SQLALCHEMY_DATABASE_URI": database_url(url, size, "clients")}, lambda: None


def _populated(size):
    """True when the database already holds ``size`` synthetic clients."""
    if not sa.inspect(db.engine).has_table("client"):
        return False
    return db.session.scalar(sa.select(sa.func.count()).select_from(Client)) >= size


def _build(size, seed):
    """Loads the reference and demo data and synthesises the clients; prints rows/s and peak memory."""
    upgrade()
    load_reference()
    load_demo_data()
    db.session.commit()
    agency = db.session.scalar(sa.select(Agency).where(Agency.code == AGENCY_CODE))
    start = time.perf_counter()
    for _done in synthesise(agency, size, seed=seed):
        db.session.commit()
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    dialect = db.engine.dialect.name
    # A live server's autovacuum would have vacuumed and analysed the new rows (the visibility map
    # lets NIK counts read the index alone); a bench must do it itself, outside a transaction.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if dialect == "postgresql":
            connection.exec_driver_sql("VACUUM (ANALYZE) client, client_category, client_name_token")
        else:
            connection.exec_driver_sql("ANALYZE")
    print(
        f"\n{dialect} {size:,} clients: synth {elapsed:.1f} s, {size / elapsed:,.0f} clients/s, "
        f"peak RSS {peak_mb:,.0f} MB",
        flush=True,
    )


def bench_size(url, size, searches, seed, keep=False):
    """Builds (or, kept, reuses) a database of ``size`` clients, runs the searches; prints the figures."""
    config, drop_database = _kept(url, size) if keep else fresh_database(url)
    app = create_app({"SECRET_KEY": "bench", **config})
    try:
        with app.test_request_context():
            if keep and _populated(size):
                # Cheap at head; a migration added since the build (an index, a backfill) runs here.
                upgrade()
                print(f"\n{db.engine.dialect.name} {size:,} clients: kept database, reused", flush=True)
            else:
                _build(size, seed)
            agency_id = db.session.scalar(sa.select(Agency.id).where(Agency.code == AGENCY_CODE))
            rng = random.Random(seed)
            kinds = {**name_queries(agency_id, searches, rng), **nik_queries(searches, rng)}
            db.session.close()
            for kind, queries in kinds.items():
                walls, cpus, servers = zip(*(timed_search(agency_id, q) for q in queries), strict=True)
                print(f"  {kind:<20} wall {percentiles(walls)}  ({len(walls)} searches)")
                print(
                    f"  {'':<20} cpu  {percentiles(cpus)}  server cpu mean {sum(servers) / len(servers):5.2f} ms",
                    flush=True,
                )
            db.session.rollback()
            db.engine.dispose()
    finally:
        drop_database()


def main():
    """Runs the benchmark for each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a temporary SQLite file")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated client counts")
    parser.add_argument("--searches", type=int, default=250, help="searches per query kind (default 250)")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--keep", action="store_true", help="keep each database and reuse it on the next run")
    args = parser.parse_args()
    os.environ.setdefault("CASEWORK_INSTANCE_PATH", tempfile.mkdtemp(prefix="casework-bench-instance-"))
    for size in (int(size) for size in args.sizes.split(",")):
        bench_size(args.database_url, size, args.searches, args.seed, keep=args.keep)


if __name__ == "__main__":
    main()
