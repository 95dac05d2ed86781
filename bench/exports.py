"""Benchmark: speed and memory of the streamed list exports at about 100,000 and 1,000,000 rows.

Takes the kept case databases of ``cases_data.py`` (10,000 cases hold about
100,000 service deliveries, 100,000 cases about 1,000,000), signs in the demo
data officer (names masked, as the role reads them) with Flask's test client,
in process, and downloads the agency's service deliveries
(``/exports/deliveries.csv`` and ``.xlsx``: every delivery, latest first),
reading the streamed body chunk by chunk as a browser would. Each download
runs in a fresh process, so its peak RSS is its own; the process's RSS after
signing in is the baseline. Prints rows, seconds, rows/s, peak RSS and the
growth over the baseline: the growth must not follow the row count.

    .venv/bin/python bench/exports.py [--sizes 10000,100000] [--formats csv,xlsx] [--database-url URL]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cases_data import build

from casework import create_app
from casework.auth.models import User
from casework.auth.passwords import hash_password
from casework.extensions import db

BENCH_PASSWORD = "Bench-Exports-2026"  # noqa: S105 (set on the benchmark database's own user only)
USERNAME = "data"  # the demo data officer


def _rss_mb(field):
    """The process's ``VmRSS`` (now) or ``VmHWM`` (peak) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def _download(url, fmt):
    """In this process: signs in, downloads every delivery as ``fmt``, prints one JSON line of figures."""
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == USERNAME))
        user.password_hash = hash_password(BENCH_PASSWORD)
        db.session.commit()
    client = app.test_client()
    assert client.post("/login", data={"username": USERNAME, "password": BENCH_PASSWORD}).status_code == 302
    # Warm: the first download compiles the statements and loads the templates' modules.
    client.get(f"/exports/deliveries.{fmt}?date_from=2100-01-01").close()
    baseline = _rss_mb("VmRSS")
    start = time.perf_counter()
    response = client.get(f"/exports/deliveries.{fmt}", buffered=False)
    assert response.status_code == 200, response.status_code
    size = lines = 0
    with tempfile.TemporaryFile() as file:
        for chunk in response.response:
            size += len(chunk)
            lines += chunk.count(b"\n")
            file.write(chunk)
        response.close()
        seconds, peak = time.perf_counter() - start, _rss_mb("VmHWM")
        if fmt == "xlsx":
            # Counted after the peak was read: reading the workbook back is not part of the export.
            from openpyxl import load_workbook

            file.seek(0)
            lines = sum(1 for _row in load_workbook(file, read_only=True).active.iter_rows(values_only=True))
    result = {"rows": lines - 1, "seconds": seconds, "mb": size / 2**20, "baseline": baseline, "peak": peak}
    print(json.dumps(result))


def bench(url, size, fmt):
    """Runs one download of the database of ``size`` cases in a fresh process; prints its figures."""
    command = [sys.executable, __file__, "--one", fmt, "--url", url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    rows, seconds = figures["rows"], figures["seconds"]
    print(
        f"{size:>9,} cases  {fmt:<4} {rows:>10,} rows  {seconds:7.1f} s  {rows / seconds:>9,.0f} rows/s  "
        f"{figures['mb']:7.1f} MB file  peak RSS {figures['peak']:6.0f} MB  "
        f"(+{figures['peak'] - figures['baseline']:.0f} MB over {figures['baseline']:.0f} MB after sign-in)",
        flush=True,
    )


def main():
    """Builds (or takes) the case databases, then times each download in its own process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: SQLite files")
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated case counts (10 deliveries each)")
    parser.add_argument("--formats", default="csv,xlsx", help="comma-separated file formats")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("CASEWORK_INSTANCE_PATH", tempfile.mkdtemp(prefix="casework-bench-instance-"))
    if args.one:
        _download(args.url, args.one)
        return
    for size in (int(size) for size in args.sizes.split(",")):
        url = build(args.database_url, size)
        for fmt in args.formats.split(","):
            bench(url, size, fmt)


if __name__ == "__main__":
    main()
