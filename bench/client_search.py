"""Benchmark: synthesising clients, then name and NIK search at 10k, 100k and 1M clients.

For each size, builds a fresh database (a temporary SQLite file, or a schema
of its own on the PostgreSQL server given by ``--database-url``), loads the
reference data and the demo agency, synthesises the clients (rows/s, peak
RSS), then times searches through ``queries.search`` paged by ``paginate``,
exactly as the /clients page and the API run them, and prints latency
percentiles per query kind.

    .venv/bin/python bench/client_search.py [--sizes 10000,100000,1000000] [--database-url URL]
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

from flask_migrate import upgrade
from region_lookup import fresh_database, percentiles, timed

from casework import create_app
from casework.clients.models import Client, ClientNameToken
from casework.clients.queries import search
from casework.clients.synth import synthesise
from casework.core.pagination import paginate
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
    """One search as the /clients page runs it: the first page and the total."""
    page = paginate(search(agency_id, q))
    return page.total, len(page.items)


def bench_size(url, size, searches, seed):
    """Builds a database of ``size`` clients, synthesises them, runs the searches; prints the figures."""
    config, drop_database = fresh_database(url)
    app = create_app({"SECRET_KEY": "bench", **config})
    try:
        with app.test_request_context():
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
            if dialect == "postgresql":
                # A live server's autovacuum would have vacuumed and analysed the new rows (the visibility
                # map lets NIK counts read the index alone); a bench must do it itself, outside a transaction.
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.exec_driver_sql("VACUUM (ANALYZE) client, client_category, client_name_token")
            print(
                f"\n{dialect} {size:,} clients: synth {elapsed:.1f} s, {size / elapsed:,.0f} clients/s, "
                f"peak RSS {peak_mb:,.0f} MB"
            )
            rng = random.Random(seed)
            kinds = {**name_queries(agency.id, searches, rng), **nik_queries(searches, rng)}
            for kind, queries in kinds.items():
                samples = []
                for q in queries:
                    samples.append(timed(run_search, agency.id, q)[1])
                    # Each request starts with an empty session, as in the app.
                    db.session.close()
                print(f"  {kind:<20} {percentiles(samples)}  ({len(samples)} searches)")
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
    args = parser.parse_args()
    os.environ.setdefault("CASEWORK_INSTANCE_PATH", tempfile.mkdtemp(prefix="casework-bench-instance-"))
    for size in (int(size) for size in args.sizes.split(",")):
        bench_size(args.database_url, size, args.searches, args.seed)


if __name__ == "__main__":
    main()
