"""Alembic environment: runs against the app's engine, batch mode so SQLite can alter tables."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from casework.core.types import UTCDateTime

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):
    """Writes project column types into migrations as plain SQLAlchemy types."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online():
    """Runs migrations on a connection from the app's engine."""

    def skip_empty(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", skip_empty)
    conf_args.setdefault("render_item", render_item)
    with target_db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, "OFF")
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            _sqlite_foreign_keys(connection, "ON")


def _sqlite_foreign_keys(connection, state):
    """Turns SQLite's foreign keys OFF for a migration, or back ON after it, checking every reference.

    Batch mode changes a SQLite table by copying it, dropping the old one and
    renaming the copy; with foreign keys on, dropping a table that other rows
    reference (an agency, say) fails. SQLite only honours this pragma outside a
    transaction, so it goes straight to the driver's connection, before BEGIN
    and after COMMIT.
    """
    driver = connection.connection.driver_connection
    if state == "ON":
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left {len(broken)} broken references: {broken[:5]}")
    driver.execute(f"PRAGMA foreign_keys={state}")


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run 'flask db upgrade' against a database.")
run_migrations_online()
