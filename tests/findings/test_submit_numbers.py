"""Reference numbers taken at once from several threads: distinct and consecutive per kind, on both databases."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from casework.extensions import db
from casework.findings.models import ReportKind
from casework.findings.services import next_report_number

THREADS = 4
PER_THREAD = 6


def _take_numbers(app, agency_id, kind):
    """Takes PER_THREAD numbers of ``kind``, each in its own committed transaction."""
    taken = []
    for _ in range(PER_THREAD):
        with app.app_context():
            taken.append(next_report_number(agency_id, kind, date.today().year))
            db.session.commit()
    return taken


def test_findings_and_complaints_filed_at_once_get_their_own_consecutive_numbers(committed_app, committed_agency_id):
    kinds = [ReportKind.FINDING, ReportKind.COMPLAINT] * (THREADS // 2)
    with ThreadPoolExecutor(THREADS) as pool:
        batches = list(pool.map(lambda kind: _take_numbers(committed_app, committed_agency_id, kind), kinds))
    numbers = [number for batch in batches for number in batch]
    for prefix in ("TM", "ADU"):
        serials = sorted(int(number.rsplit("-", 1)[1]) for number in numbers if number.startswith(f"{prefix}-"))
        assert serials == list(range(1, THREADS // 2 * PER_THREAD + 1))
