"""Benchmark: a year of official figures, a closed month's report page and a streamed export, at 100k and 1M cases.

For each size, takes (or builds, see ``cases_data.py``) a synthetic case
database and measures, in process unless said otherwise:

- ``spm``: the SPM index of the year — every SPM recipients and quality
  indicator of the agency's level (``casework.figures.spm.spm_index``); the
  target is <= 5 s on PostgreSQL and <= 20 s on SQLite at 1M cases. First
  checks the year has SPM facts (people in need, needs met): figures of
  zeros would prove nothing.
- ``all``: every active indicator of the agency for the year (what a
  monthly close computes), each timed once per repeat.
- ``close``: closes the last full month (``casework.figures.close``) when it
  is not closed yet, then times GET ``/figures/achievement`` of every
  indicator for that month as the data officer (served from the snapshot;
  the target is <= 100 ms).
- ``export``: the rows behind the biggest number of the year (the
  documents figure's total: one row per delivery) written as XLSX and CSV
  by ``flask casework report counted`` in a child process, whose peak RSS is
  read from ``wait4``; also a month's rows, to show memory does not grow
  with the rows (target: under 300 MB).

Prints median and p95 (ms), facts/s or rows/s, and peak memory.

    .venv/bin/python bench/figures.py [--sizes 100000,1000000] [--database-url URL] [--year Y]
        [--repeats N] [--skip close,export]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from caseload import BENCH_PASSWORD, _server_cpu_ms
from cases_data import build
from region_lookup import percentiles

from casework import create_app
from casework.auth.models import User
from casework.auth.passwords import hash_password
from casework.demo import AGENCY_CODE
from casework.extensions import db
from casework.figures import spm
from casework.figures.achievement import Period, achievement, agency_indicators
from casework.figures.close import close_month
from casework.figures.close_queries import latest_close
from casework.org.models import Agency

ROOT = Path(__file__).resolve().parent.parent
# The demo agency's data officer (casework.demo), given the benchmark password.
DATA_OFFICER = "data"
# One row per delivery of the civil documents service: the longest drill-down of the synthetic data.
EXPORT_INDICATOR = "DOCUMENTS"
PEAK_MB_TARGET = 300


def _agency():
    """The demo agency, which holds the synthetic cases."""
    return db.session.scalar(sa.select(Agency).where(Agency.code == AGENCY_CODE))


def _rate(count, seconds):
    """``count`` per second, formatted."""
    return f"{count / seconds:,.0f}/s" if seconds else "-"


class Clock:
    """Wall time and CPU time of calls: this process's and, on PostgreSQL, its server backends' (from /proc).

    The machine is shared: wall times grow with the others' load, CPU times hardly do.
    """

    def __init__(self, engine):
        self.backends = set()
        if engine.dialect.name == "postgresql":
            sa.event.listen(
                engine, "checkout", lambda connection, *_args: self.backends.add(connection.info.backend_pid)
            )

    def time(self, call):
        """``(result, wall ms, CPU ms)`` of ``call()``."""
        start, cpu, server = time.perf_counter(), time.process_time(), _server_cpu_ms(self.backends)
        result = call()
        wall = (time.perf_counter() - start) * 1000
        return result, wall, (time.process_time() - cpu) * 1000 + _server_cpu_ms(self.backends) - server


def bench_spm(clock, agency, year, repeats):
    """Times the year's SPM index; fails when the year has no SPM facts."""
    period = Period(year)
    rows, overall = spm.spm_index(agency, period)  # warm: the first run compiles the statements
    needed, met = overall.recipients.denominator or 0, overall.recipients.realisation
    for row in rows:
        met_of = f"{row.recipients.realisation:>9,} of {row.recipients.denominator or 0:>9,}"
        print(f"  {row.spm_type.code:<8} recipients met {met_of}")
    if not needed or not met:
        raise SystemExit(f"no SPM facts in {year}: the synthetic data proves nothing (see casework/cases/synth.py)")
    walls, cpus = [], []
    for _n in range(repeats):
        _result, wall, cpu = clock.time(lambda: spm.spm_index(agency, period))
        walls.append(wall)
        cpus.append(cpu)
    seconds = statistics.median(walls) / 1000
    print(f"  spm index {year}: {len(rows)} types, {len(rows) * 2} indicators, {needed:,} people in need")
    print(f"  {'spm: whole year, wall':<30} {percentiles(walls)}  ({repeats} runs; {_rate(needed, seconds)} facts)")
    print(f"  {'spm: whole year, CPU':<30} {percentiles(cpus)}")


def bench_all(clock, agency, year, repeats):
    """Times every active indicator of the agency for the year, and all of them together."""
    period = Period(year)
    indicators = db.session.scalars(agency_indicators(agency)).all()
    walls = {indicator.code: [] for indicator in indicators}
    cpus = {indicator.code: [] for indicator in indicators}
    counted = {}
    for _n in range(repeats):
        for indicator in indicators:
            report, wall, cpu = clock.time(lambda indicator=indicator: achievement(agency, indicator, period))
            walls[indicator.code].append(wall)
            cpus[indicator.code].append(cpu)
            counted[indicator.code] = report.total.realisation
    for code in walls:
        print(
            f"  {code:<30} median {statistics.median(walls[code]):8.1f} ms, CPU {statistics.median(cpus[code]):8.1f} ms"
            f"  (realisation {counted[code]:,})"
        )
    totals = [sum(times[n] for times in walls.values()) for n in range(repeats)]
    cpu_totals = [sum(times[n] for times in cpus.values()) for n in range(repeats)]
    print(f"  {'all indicators: year, wall':<30} {percentiles(totals)}  ({repeats} runs)")
    print(f"  {'all indicators: year, CPU':<30} {percentiles(cpu_totals)}")


def _signed_in(app):
    """A test client signed in as the demo agency's data officer (given the benchmark password first)."""
    with app.app_context():
        officer = db.session.scalar(sa.select(User).where(User.username == DATA_OFFICER))
        officer.password_hash = hash_password(BENCH_PASSWORD)
        db.session.commit()
    client = app.test_client()
    response = client.post("/login", data={"username": DATA_OFFICER, "password": BENCH_PASSWORD})
    assert response.status_code == 302, "the data officer could not sign in"
    return client


def bench_close(app, year, month, repeats):
    """Closes the month when not closed yet (timed), then times each indicator's report page for it."""
    with app.app_context():
        agency = _agency()
        if latest_close(agency.id, year, month) is None:
            start = time.perf_counter()
            close_month(agency, year, month)
            db.session.commit()
            print(f"  close {year}-{month:02d}: {time.perf_counter() - start:.1f} s", flush=True)
        codes = [indicator.code for indicator in db.session.scalars(agency_indicators(agency))]
        clock = Clock(db.engine)
    client = _signed_in(app)
    walls, cpus = [], []
    for code in codes:
        url = f"/figures/achievement?indicator={code}&year={year}&month={month}"
        page = client.get(url)  # warm
        assert page.status_code == 200 and "data-closed" in page.get_data(as_text=True), (code, page.status_code)
        for _n in range(repeats):
            response, wall, cpu = clock.time(lambda url=url: client.get(url))
            assert response.status_code == 200
            walls.append(wall)
            cpus.append(cpu)
    print(f"  {'closed month page, wall':<30} {percentiles(walls)}  ({len(walls)} requests, {len(codes)} indicators)")
    print(f"  {'closed month page, CPU':<30} {percentiles(cpus)}")


def _xlsx_rows(path):
    """The rows of the workbook's one sheet, counted in its XML as it is unzipped (loading it would take minutes)."""
    rows, tail = 0, b""
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as sheet:
        while chunk := sheet.read(1 << 20):
            # A tag cut between two chunks is counted once: the carried tail is shorter than the tag.
            rows += (tail + chunk).count(b"</row>")
            tail = chunk[-5:]
    return rows


def _memory_mb(field):
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process, in MB.

    Counted from the process's start, unlike ``ru_maxrss``, which a child inherits from the parent it was forked from.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def export_child(url, year, fmt, month):
    """In a fresh process: downloads the documents figure's rows like a browser; prints one line of JSON."""
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    client = _signed_in(app)
    period = f"&month={month}" if month else ""
    path = f"/figures/achievement/counted.{fmt}?indicator={EXPORT_INDICATOR}&year={year}{period}&row=total"
    # The peak from here on: signing in (the password hash) takes more memory than a small export.
    Path("/proc/self/clear_refs").write_text("5")
    before = _memory_mb("VmRSS")
    output = Path(tempfile.mkdtemp(prefix="casework-bench-export-")) / f"rows.{fmt}"
    start = time.perf_counter()
    response = client.get(path, buffered=False)
    assert response.status_code == 200, response.status_code
    with output.open("wb") as file:
        file.writelines(response.iter_encoded())
    response.close()
    seconds = time.perf_counter() - start
    if fmt == "csv":
        with output.open("rb") as file:
            rows = sum(1 for _line in file) - 1
    else:
        rows = _xlsx_rows(output) - 3
    size_mb = output.stat().st_size / 1e6
    output.unlink()
    output.parent.rmdir()
    figures = {"rows": rows, "seconds": seconds, "before_mb": before, "peak_mb": _memory_mb("VmHWM"), "mb": size_mb}
    print(json.dumps(figures))


def bench_export(url, year):
    """Downloads a month's and the year's documents rows as XLSX and CSV, each in a child process.

    Prints the rows/s and the child's peak memory.
    """
    for fmt in ("xlsx", "csv"):
        for month in (1, None):
            command = [sys.executable, __file__, "--export-child", fmt, "--year", str(year), "--export-url", url]
            command += ["--export-month", str(month)] if month else []
            child = subprocess.run(command, capture_output=True, text=True, check=False)
            assert child.returncode == 0, child.stderr
            got = json.loads(child.stdout.splitlines()[-1])
            verdict = "ok" if got["peak_mb"] < PEAK_MB_TARGET else f"OVER {PEAK_MB_TARGET} MB"
            label = f"{year}-{month:02d}" if month else str(year)
            print(
                f"  export {fmt} {label:<8} {got['rows']:>10,} rows in {got['seconds']:6.1f} s "
                f"({_rate(got['rows'], got['seconds'])} rows), file {got['mb']:,.0f} MB, "
                f"RSS {got['before_mb']:,.0f} MB before, peak {got['peak_mb']:,.0f} MB ({verdict})",
                flush=True,
            )


def bench_size(url, size, year, repeats, skip):
    """Runs the parts not skipped on the database of ``size`` cases."""
    url = build(url, size)
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.test_request_context():
        print(f"\n{db.engine.dialect.name} {size:,} cases, figures of {year}", flush=True)
        clock = Clock(db.engine)
        bench_spm(clock, _agency(), year, repeats)
        if "all" not in skip:
            bench_all(clock, _agency(), year, max(2, repeats // 2))
        db.session.rollback()
    today = date.today()
    # The last full month of the year (December when the year is over).
    month = 12 if year < today.year else today.month - 1
    if "close" not in skip and month:
        bench_close(app, year, month, repeats)
    if "export" not in skip:
        bench_export(url, year)
    print(f"  peak RSS of this process {_memory_mb('VmHWM'):,.0f} MB")
    with app.app_context():
        db.engine.dispose()


def main():
    """Runs the benchmark for each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: SQLite files")
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated case counts")
    parser.add_argument("--year", type=int, default=date.today().year, help="the year counted (default: this one)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each timing (default 5)")
    parser.add_argument("--skip", default="", help="comma-separated parts to leave out: all, close, export")
    # The export's child process (see bench_export).
    parser.add_argument("--export-child", choices=("csv", "xlsx"), help=argparse.SUPPRESS)
    parser.add_argument("--export-url", help=argparse.SUPPRESS)
    parser.add_argument("--export-month", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("CASEWORK_INSTANCE_PATH", tempfile.mkdtemp(prefix="casework-bench-instance-"))
    if args.export_child:
        export_child(args.export_url, args.year, args.export_child, args.export_month)
        return
    skip = set(filter(None, args.skip.split(",")))
    for size in (int(size) for size in args.sizes.split(",")):
        bench_size(args.database_url, size, args.year, args.repeats, skip)


if __name__ == "__main__":
    main()
