"""Fixtures: one app and database per test session, a rolled-back transaction per test.

The same suite runs on SQLite (default) and on PostgreSQL when
``DATABASE_URL`` points at one; on PostgreSQL it works in its own schema,
created fresh for the run.
"""

import os
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id

from casework import create_app
from casework.extensions import db
from config import normalise_database_url
from tests.factories import TEST_PASSWORD, Factories

DATABASE_URL = os.environ.get("DATABASE_URL")
_schemas_created = []


def _run_sql(*statements):
    """Runs statements on the PostgreSQL server named by DATABASE_URL, outside any test schema."""
    engine = sa.create_engine(normalise_database_url(DATABASE_URL))
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    engine.dispose()


def database_config(name):
    """Config for a fresh database named ``name``: a SQLite file, or a new PostgreSQL schema."""
    if not DATABASE_URL:
        path = Path(tempfile.mkdtemp(prefix=f"casework-{name}-")) / "test.sqlite"
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}
    url = normalise_database_url(DATABASE_URL)
    # One schema per run and purpose, so parallel runs on one server never collide.
    schema = f"casework_{name}_{os.getpid()}"
    _run_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE", f"CREATE SCHEMA {schema}")
    _schemas_created.append(schema)
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    Without this, a request reuses the test's app context, so ``g`` (the
    signed-in user, the locale) and the database session leak from one request
    into the next.
    """

    def open(self, *args, **kwargs):
        """Sends the request in a fresh app context, then lets the test's session see its writes."""
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


def build_app(name, **overrides):
    """An app on a fresh, migrated database with the reference data loaded."""
    from casework.reference.loader import load_reference

    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        # Uploaded files go to a fresh folder, never into the working tree.
        "FILES_PATH": tempfile.mkdtemp(prefix=f"casework-{name}-files-"),
        # Demo data with fewer cases: each is made by the case operations, a few hundred take seconds.
        "DEMO_CASES": 40,
        # The security suites send thousands of API requests a minute with one token or user; the limit's own
        # tests lower it on the app's config.
        "API_RATE_LIMIT_PER_MINUTE": 1_000_000,
        "API_RATE_LIMIT_ANONYMOUS_PER_MINUTE": 1_000_000,
        **database_config(name),
        **overrides,
    }
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
        load_reference()
        db.session.commit()
    return app


def pytest_sessionfinish(session, exitstatus):
    """Drops the PostgreSQL schemas this run created, so none pile up."""
    # One transaction per schema: dropping them all at once can run out of PostgreSQL's lock table.
    for schema in _schemas_created:
        _run_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(scope="session")
def app():
    """The application under test, on its own migrated database."""
    instance = tempfile.mkdtemp(prefix="casework-instance-")
    os.environ["CASEWORK_INSTANCE_PATH"] = instance
    application = build_app("unit")
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def committed_app(request):
    """An app on its own database whose writes are committed for real, for tests of concurrent requests.

    A test using it runs outside the rolled-back transaction of ``_transaction``.
    """
    application = build_app(request.module.__name__.replace(".", "_"))
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def committed_agency_id(committed_app):
    """The id of an agency committed in ``committed_app``'s database."""
    with committed_app.app_context():
        agency = Factories().agency()
        db.session.commit()
        return agency.id


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Runs each test inside a transaction that is rolled back afterwards.

    Code under test may commit: commits release a savepoint, never the outer
    transaction.
    """
    if "committed_app" in request.fixturenames or (
        "app" not in request.fixturenames and "client" not in request.fixturenames
    ):
        yield
        return
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        # A plain SQLAlchemy session: Flask-SQLAlchemy's own picks the engine
        # and would ignore the connection bound here.
        factory = sa.orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        db.session = sa.orm.scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app):
    """A test client that does not keep request contexts alive between requests."""
    return app.test_client()


@pytest.fixture
def make(app):
    """Factories for agencies, units and users: ``make.user(role=...)``."""
    return Factories()


@pytest.fixture
def login(client):
    """Signs ``user`` in through the login page with the factories' test password."""

    def sign_in(user, password=TEST_PASSWORD):
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return sign_in
