"""Writes committed at the same time from several threads: distinct case numbers, and interleaved requests both land."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import sqlalchemy as sa

from casework.cases.intake import next_case_number
from casework.extensions import db

THREADS = 4
PER_THREAD = 10


def _take_numbers(app, agency_id):
    """Takes PER_THREAD numbers, each in its own committed transaction."""
    taken = []
    for _ in range(PER_THREAD):
        with app.app_context():
            taken.append(next_case_number(agency_id, date.today().year))
            db.session.commit()
    return taken


def test_concurrent_openings_get_distinct_consecutive_numbers(committed_app, committed_agency_id):
    with ThreadPoolExecutor(THREADS) as pool:
        batches = pool.map(lambda _: _take_numbers(committed_app, committed_agency_id), range(THREADS))
        numbers = [number for batch in batches for number in batch]
    serials = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    assert serials == list(range(1, THREADS * PER_THREAD + 1))


def test_interleaved_write_requests_both_commit(committed_app, committed_agency_id):
    """A request that read before another one committed can still write (on SQLite its reading transaction ends
    before its first write takes the lock: not "database is locked", a 500)."""
    agency_id = committed_agency_id
    failures = []

    def other_request():
        try:
            with committed_app.test_request_context(method="POST"):
                next_case_number(agency_id, 2031)
                db.session.commit()
        except Exception as error:  # reported by the assertion below
            failures.append(error)

    with committed_app.test_request_context(method="POST"):
        db.session.execute(sa.text("SELECT count(*) FROM agency")).scalar()
        other = threading.Thread(target=other_request)
        other.start()
        other.join(timeout=10)  # It commits while this request has only read: no lock is held yet.
        assert not other.is_alive()
        number = next_case_number(agency_id, 2030)
        db.session.commit()
    other.join(timeout=30)
    assert failures == [] and not other.is_alive()
    assert number == "KS-2030-000001"
