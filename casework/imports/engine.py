"""Running an import: the dry run and the confirmed import, in batches, each batch its own transaction.

A job reads its stored file again for each phase (nothing of a file is held in
memory beyond one batch). The dry run checks every row and keeps the verdict
of each row that is not unchanged in ``import_row`` (the report, errors
first); it writes no record. The confirmed import checks each batch again
against the database as it is then, applies the user's decisions on likely
duplicates, writes the batch and its source keys, and commits it. A failure
rolls that batch back, leaves the earlier batches in, and marks the job
failed with the line to resume from. After each batch the tables that grew
are analysed where the database plans from statistics
(``casework.core.statistics``): a job grows them faster than autovacuum looks.
"""

import logging

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from casework.audit.services import record
from casework.core import statistics
from casework.core.errors import describe_failure
from casework.core.types import utcnow
from casework.extensions import db
from casework.files.storage import path_of
from casework.imports.cells import Context
from casework.imports.models import ImportJob, ImportKey, ImportRow, JobStatus
from casework.imports.reader import FileProblem, read_table
from casework.imports.types import KEY_COLUMN, RECORD_TYPES, Action, RowError, row_hash

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
DECIDED = (Action.CREATE, Action.LINK, Action.UPDATE)


def record_type_of(name):
    """The registered record type called ``name``, or None."""
    from casework.imports import load_types

    load_types()
    return RECORD_TYPES.get(name)


def header_aliases(columns):
    """Each column's header in every language of the interface: a template downloaded in English imports too."""
    aliases = {}
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            aliases.update({str(column.header): column.id for column in columns})
    return aliases


def read_rows(record_type, stream, start_line=0):
    """The file's data rows (``Row``) from ``start_line`` on; ``FileProblem`` when the file cannot be read."""
    from casework.imports.types import Row

    columns = record_type.columns
    aliases = header_aliases(columns)
    required = [column.id for column in columns if column.required]
    _positions, rows = read_table(
        stream, [column.id for column in columns], required, sheet_name=record_type.name, aliases=aliases
    )
    for line, cells in rows:
        if line >= start_line:
            yield Row(line, cells)


def batched(rows, size=None, group=None):
    """Lists of at most ``size`` (``BATCH_SIZE``) rows; consecutive rows of one ``group(row)`` stay in one list.

    A record type whose rows form groups written together (a household's
    members) names them with ``batch_group``; a list then grows past ``size``
    until the group changes.
    """
    size = size or BATCH_SIZE
    batch = []
    for row in rows:
        if len(batch) >= size and (group is None or group(row) != group(batch[-1])):
            yield batch
            batch = []
        batch.append(row)
    if batch:
        yield batch


def _batches(record_type, stream, start_line=0):
    """The file's rows from ``start_line`` on, in batches that keep each of the type's groups whole."""
    return batched(read_rows(record_type, stream, start_line), group=getattr(record_type, "batch_group", None))


def _stored_keys(agency_id, record_type, keys):
    """{source key: (record id, row hash)} stored by earlier imports."""
    found = {}
    keys = list(keys)
    for start in range(0, len(keys), 500):
        found.update(
            (key, (record_id, hashed))
            for key, record_id, hashed in db.session.execute(
                sa.select(ImportKey.source_key, ImportKey.record_id, ImportKey.row_hash).where(
                    ImportKey.agency_id == agency_id,
                    ImportKey.record_type == record_type,
                    ImportKey.source_key.in_(keys[start : start + 500]),
                )
            )
        )
    return found


def check_batch(ctx, record_type, rows, seen):
    """Keys, hashes, duplicates in the file, unchanged rows, then the type's own check of the rest."""
    for row in rows:
        row.hash = row_hash(row.cells)
        row.key = (row.cell(KEY_COLUMN) or record_type.natural_key(row) or row.hash)[:100]
        if seen is not None:
            first = seen.setdefault(row.key, row.line)
            if first != row.line:
                column = KEY_COLUMN if row.cell(KEY_COLUMN) else None
                row.error(column, _("Sama dengan baris %(line)d: setiap baris hanya boleh ada satu kali.", line=first))
    stored = _stored_keys(ctx.agency.id, record_type.name, {row.key for row in rows if row.ok})
    for row in rows:
        row.known = stored.get(row.key)
        if row.ok and row.known and row.known[1] == row.hash:
            row.action, row.target_id = Action.UNCHANGED, row.known[0]
    record_type.check(ctx, [row for row in rows if row.ok and row.action is None])
    for row in rows:
        if row.ok and row.action is None:
            row.error(None, _("Baris ini tidak dapat diproses."))


def _report_values(job_id, row):
    """The ``import_row`` values of a row's verdict."""
    return {
        "job_id": job_id,
        "line": row.line,
        "action": verdict(row),
        "label": (row.label or "")[:200] or None,
        "target_id": row.target_id,
        "errors": [[error.column, error.message] for error in row.errors],
        "candidates": [candidate._asdict() for candidate in row.candidates],
        "decision": None,
    }


def verdict(row):
    """What the dry run says of a row: its action, or "decide" for a new row with likely duplicates."""
    return "decide" if row.candidates and row.action == Action.CREATE else str(row.action)


def _tally(counts, rows, verdict_of=verdict):
    """Adds the rows' verdicts to ``counts``."""
    for row in rows:
        action = verdict_of(row)
        counts[action] = counts.get(action, 0) + 1


def _begin_batch(job, job_id=None):
    """Starts a job's transaction with a write (its heartbeat), so it holds the write lock from the start.

    On SQLite a transaction that read before another connection committed
    cannot write later ("database is locked" at once).
    """
    # The identity, not ``job.id``: reading an expired attribute would SELECT before the write.
    job_id = job_id or sa.inspect(job).identity[0]
    db.session.execute(sa.update(ImportJob).where(ImportJob.id == job_id).values(heartbeat_at=utcnow()))


def dry_run(job, ctx):
    """Checks the whole file, storing the report rows and counts; commits per batch. Writes no record."""
    record_type = record_type_of(job.record_type)
    db.session.execute(sa.delete(ImportRow).where(ImportRow.job_id == job.id))
    job.counts, job.done, job.total, job.error_count = {}, 0, 0, 0
    seen = {}
    try:
        with path_of(job.file.storage_key).open("rb") as stream:
            for batch in _batches(record_type, stream):
                _begin_batch(job)
                check_batch(ctx, record_type, batch, seen)
                shown = [_report_values(job.id, row) for row in batch if row.action != Action.UNCHANGED]
                if shown:
                    db.session.execute(ImportRow.__table__.insert(), shown)
                counts = dict(job.counts)
                _tally(counts, batch)
                job.counts = counts
                job.total += len(batch)
                job.done = job.total
                job.error_count += sum(1 for row in batch if not row.ok)
                db.session.commit()
                statistics.refresh()
    except FileProblem as problem:
        db.session.rollback()
        _begin_batch(job)
        db.session.execute(sa.delete(ImportRow).where(ImportRow.job_id == job.id))
        db.session.add(ImportRow(job_id=job.id, line=0, action=str(Action.ERROR), errors=[[None, str(problem)]]))
        job.counts, job.total, job.done, job.error_count = {"error": 1}, 0, 0, 1
    _begin_batch(job)
    if not job.total and not job.error_count:
        db.session.add(
            ImportRow(
                job_id=job.id, line=0, action=str(Action.ERROR), errors=[[None, _("Berkas tidak berisi baris data.")]]
            )
        )
        job.counts, job.error_count = {"error": 1}, 1
    job.status = JobStatus.CHECKED
    job.heartbeat_at = utcnow()
    db.session.commit()
    return job


def undecided(job):
    """How many rows with likely duplicates still wait for a decision."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ImportRow)
        .where(ImportRow.job_id == job.id, ImportRow.action == "decide", ImportRow.decision.is_(None))
    )


def _decisions(job, first, last):
    """{line: decision} the user made for the lines ``first``..``last``."""
    return dict(
        db.session.execute(
            sa.select(ImportRow.line, ImportRow.decision).where(
                ImportRow.job_id == job.id, ImportRow.line.between(first, last), ImportRow.decision.is_not(None)
            )
        ).all()
    )


def _store_keys(job, record_type, rows):
    """Stores (or moves) the source keys of the rows written or linked, with their hashes."""
    known = [row for row in rows if row.known]
    fresh = [row for row in rows if not row.known]
    if fresh:
        db.session.execute(
            ImportKey.__table__.insert(),
            [
                {
                    "agency_id": job.agency_id,
                    "record_type": record_type.name,
                    "source_key": row.key,
                    "record_id": row.target_id,
                    "row_hash": row.hash,
                    "job_id": job.id,
                    "updated_at": utcnow(),
                }
                for row in fresh
            ],
        )
    table = ImportKey.__table__
    for row in known:
        db.session.execute(
            table.update()
            .where(
                table.c.agency_id == job.agency_id,
                table.c.record_type == record_type.name,
                table.c.source_key == row.key,
            )
            .values(record_id=row.target_id, row_hash=row.hash, job_id=job.id, updated_at=utcnow())
        )


def _settle(ctx, rows, decisions):
    """Applies the decisions to rows with candidates: link, create, or skip when undecided."""
    for row in rows:
        if not (row.ok and row.candidates and row.action == Action.CREATE):
            continue
        decision = decisions.get(row.line)
        if decision == "new" or (decision is None and ctx.new_when_unsure):
            continue
        if decision and decision.isdigit() and int(decision) in {candidate.id for candidate in row.candidates}:
            row.action, row.target_id = Action.LINK, int(decision)
        else:
            row.action = Action.SKIP


def _apply_batch(job, ctx, record_type, batch):
    """Checks and writes one batch; returns the rows' tally. The caller commits."""
    check_batch(ctx, record_type, batch, None)
    _settle(ctx, batch, _decisions(job, batch[0].line, batch[-1].line))
    written = [row for row in batch if row.ok and row.action in (Action.CREATE, Action.UPDATE)]
    if written:
        record_type.apply(ctx, written)
    _store_keys(job, record_type, [row for row in batch if row.ok and row.action in DECIDED])
    failed = [row for row in batch if not row.ok]
    if failed:
        # Rows that became wrong since the dry run (the database changed) are reported, not imported.
        table = ImportRow.__table__
        for row in failed:
            db.session.execute(table.delete().where(table.c.job_id == job.id, table.c.line == row.line))
        db.session.execute(ImportRow.__table__.insert(), [_report_values(job.id, row) for row in failed])
    tally = {}
    _tally(tally, batch, lambda row: str(row.action))
    return tally


def run_import(job, ctx, fail_at_line=None, progress=None):
    """The confirmed import from ``job.resume_line`` on, one committed batch at a time; returns the job.

    ``progress(job)`` is called after each batch (the CLI's progress line);
    ``fail_at_line`` makes the batch holding that line fail (tests of resume).
    """
    record_type = record_type_of(job.record_type)
    job.status, job.failure, job.heartbeat_at = JobStatus.RUNNING, None, utcnow()
    db.session.commit()
    try:
        with path_of(job.file.storage_key).open("rb") as stream:
            for batch in _batches(record_type, stream, job.resume_line):
                _begin_batch(job)
                tally = _apply_batch(job, ctx, record_type, batch)
                if fail_at_line is not None and batch[0].line <= fail_at_line <= batch[-1].line:
                    raise RuntimeError("failure requested by test")
                applied = dict(job.applied or {})
                for action, count in tally.items():
                    applied[action] = applied.get(action, 0) + count
                job.applied = applied
                job.done = min(job.total, job.done + len(batch))
                job.resume_line = batch[-1].line + 1
                db.session.commit()
                statistics.refresh()
                if progress is not None:
                    progress(job)
    except Exception as error:
        job_id = sa.inspect(job).identity[0]
        db.session.rollback()
        _begin_batch(None, job_id)
        job = db.session.get(ImportJob, job_id)
        job.status = JobStatus.FAILED
        job.failure = _(
            "Gagal di sekitar baris %(line)d (%(why)s).", line=job.resume_line or 2, why=type(error).__name__
        )[:500]
        job.heartbeat_at = utcnow()
        log.error("import job %s failed: %s", job.id, describe_failure(error))
        db.session.commit()
        return job
    _begin_batch(job)
    job.status, job.finished_at, job.done = JobStatus.DONE, utcnow(), job.total
    record(
        f"import.{job.record_type}_finished",
        job,
        actor=ctx.actor,
        record_type=job.record_type,
        rows=job.total,
        **(job.applied or {}),
    )
    db.session.commit()
    return job


def context_for(job, today=None):
    """The context a job runs in: its agency, its creator, and its duplicate rule."""
    from casework.org.models import Agency

    return Context(
        db.session.get(Agency, job.agency_id),
        job.created_by,
        today=today,
        new_when_unsure=job.new_when_unsure,
        job=job,
    )


def file_errors(job):
    """The file-level problems of a checked job (line 0), as RowError."""
    rows = db.session.scalars(sa.select(ImportRow).where(ImportRow.job_id == job.id, ImportRow.line == 0))
    return [RowError(0, column, message) for row in rows for column, message in row.errors]
