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
