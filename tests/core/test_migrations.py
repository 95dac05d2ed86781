"""Migrations: one head, agreement with the models, and a clean downgrade and upgrade."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from casework import create_app
from casework.extensions import db
from tests.conftest import database_config


def test_there_is_one_head(app):
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    assert len(script.get_heads()) == 1


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_downgrade_to_nothing_and_upgrade_again():
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", **database_config("migrations")})
    with scratch.app_context():
        upgrade()
        downgrade(revision="base")
        assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
        assert "user_account" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_a_migration_that_rebuilds_a_referenced_table_keeps_the_rows_that_reference_it():
    # On SQLite batch mode rebuilds ``agency`` (a CHECK is added); units reference it.
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", **database_config("migrations_data")})
    with scratch.app_context():
        upgrade(revision="b1c0ffee0002")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO region (code, level, kind, name, path, table_version, retired)"
                " VALUES ('32', 1, 'provinsi', 'JAWA BARAT', 'JAWA BARAT', 'test', false)"
            )
            connection.exec_driver_sql(
                "INSERT INTO agency (id, code, name, level, region_code, created_at)"
                " VALUES (1, 'X', 'Dinas X', 'province', '32', CURRENT_TIMESTAMP)"
            )
            connection.exec_driver_sql(
                "INSERT INTO unit (id, agency_id, code, name, kind, active, version)"
                " VALUES (1, 1, 'S', 'Sekretariat', 'division', true, 1)"
            )
        upgrade()
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT referral_due_days FROM agency").scalar_one() == 3
            assert connection.exec_driver_sql("SELECT agency_id FROM unit").scalar_one() == 1
            if connection.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        db.engine.dispose()
