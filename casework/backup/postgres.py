"""PostgreSQL: ``pg_dump`` of the schema the app uses, and ``pg_restore`` of it in one transaction.

``pg_dump`` reads one snapshot and holds only ACCESS SHARE locks (which
block schema changes, not reads or writes) for as long as the dump runs.
The connection settings travel in ``PG*`` environment variables; the
password is never put on a command line, where ``ps`` would show it.
"""

import os
import shutil
import subprocess

import sqlalchemy as sa

from casework.backup.archive import BackupError

SUFFIX = ".pgdump"
# Query parameters of the database URL that libpq reads from the environment.
_LIBPQ_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "connect_timeout": "PGCONNECT_TIMEOUT"}


def _environment(url):
    """The process environment with the ``PG*`` variables for ``url`` (its password included, if any)."""
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value is not None:
            env[name] = str(value)
    for key, variable in _LIBPQ_ENV.items():
        if key in url.query:
            env[variable] = str(url.query[key])
    return env


def _program(name):
    """The path of ``pg_dump`` / ``pg_restore``, or a clear refusal when it is not installed."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found on PATH; install the PostgreSQL client of the server's version")
    return path


def _run(engine, arguments):
    """Runs a client program against the app's database; a failure raises with the program's own message."""
    # The arguments are the program's path, fixed options and names read from the app's own settings.
    result = subprocess.run(  # noqa: S603
        arguments, env=_environment(engine.url), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        # Only the error lines: a CONTEXT or DETAIL line may quote a row, that is personal data.
        detail = [line for line in result.stderr.splitlines() if "error:" in line][-2:]
        message = " / ".join(detail) or f"exit status {result.returncode}"
        raise BackupError(f"{os.path.basename(arguments[0])} failed: {message}")


def current_schema(engine):
    """The schema the app's tables live in (first on its ``search_path``)."""
    with engine.connect() as connection:
        return connection.scalar(sa.text("SELECT current_schema()"))


def revision(engine, schema):
    """The Alembic revision of ``schema`` in the live database."""
    with engine.connect() as connection:
        # ``schema`` is the database's own current_schema(), not input.
        return connection.scalar(sa.text(f'SELECT version_num FROM "{schema}".alembic_version'))  # noqa: S608


def dump(engine, schema, target):
    """Dumps ``schema`` in pg_dump's custom format to ``target``."""
    _run(engine, [_program("pg_dump"), "--format=custom", "--no-owner", f"--schema={schema}", f"--file={target}"])


def restore(engine, staged):
    """Restores the dump ``staged`` over the same schema, all or nothing (``--single-transaction``)."""
    program = _program("pg_restore")
    # Idle pooled connections hold no locks, but a closed pool also rereads the restored tables.
    engine.dispose()
    options = ["--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={engine.url.database}"]
    _run(engine, [program, *options, str(staged)])
