"""Helpers for E1's import tests: files built in memory, an import run through the services, inline."""

import csv
import io

from openpyxl import Workbook

from casework.extensions import db
from casework.imports import services
from casework.imports.models import ImportRow


def csv_bytes(header, rows, delimiter=",", bom=False):
    """A CSV file of ``header`` and ``rows`` (lists of text)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


def xlsx_bytes(header, rows, sheet="Sheet1", before=()):
    """An XLSX workbook whose sheet ``sheet`` holds ``header`` and ``rows``; ``before`` are sheets ahead of it."""
    book = Workbook()
    first = book.active
    first.title = before[0] if before else sheet
    for title in before[1:]:
        book.create_sheet(title)
    target = book.create_sheet(sheet) if before else first
    target.append(list(header))
    for row in rows:
        target.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def checked(agency, actor, record_type, data, filename="data.csv", today=None, new_when_unsure=False):
    """Uploads ``data`` and runs its dry run at once; returns the job."""
    job = services.upload(agency, actor, record_type, data, filename, new_when_unsure=new_when_unsure)
    db.session.commit()
    return services.process(job.id, today=today)


def imported(job, actor, today=None, fail_at_line=None):
    """Confirms a checked job and runs its import; returns the job."""
    services.confirm(job, actor)
    db.session.commit()
    return services.process(job.id, today=today, fail_at_line=fail_at_line)


def report(job):
    """{line: ImportRow} of the job's report."""
    return {row.line: row for row in db.session.query(ImportRow).filter_by(job_id=job.id)}


def errors(job):
    """[(line, column, message)] of the job's report, in line order."""
    rows = sorted(report(job).values(), key=lambda row: row.line)
    return [(row.line, column, message) for row in rows for column, message in row.errors]
