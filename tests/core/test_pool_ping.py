"""A pooled connection is pinged before use only after lying idle; one that died meanwhile is replaced."""

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

import casework


@pytest.fixture
def engine(app):
    """An engine like the app's, on the test database, with a pool of its own."""
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], **app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    yield engine
    engine.dispose()


def _pooled_connection(engine):
    """Uses a connection and returns it to the pool; its DBAPI connection."""
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
        return connection.connection.dbapi_connection


def _kill(engine, dbapi_connection):
    """Ends the connection behind the pool's back, as a database restart or a dropped socket would."""
    if engine.dialect.name == "postgresql":
        killer = sa.create_engine(engine.url, poolclass=NullPool)
        with killer.connect() as connection:
            pid = dbapi_connection.info.backend_pid
            assert connection.exec_driver_sql(f"SELECT pg_terminate_backend({pid})").scalar()
        killer.dispose()
    else:
        dbapi_connection.close()


def test_a_connection_that_died_while_idle_is_replaced_before_use(engine, monkeypatch):
    monkeypatch.setattr(casework, "POOL_PING_IDLE_SECONDS", 0)
    dead = _pooled_connection(engine)
    _kill(engine, dead)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT 1").scalar() == 1
        assert connection.connection.dbapi_connection is not dead


def test_a_connection_used_moments_ago_is_not_pinged(engine, monkeypatch):
    # Without a ping, a connection that died in the last seconds fails its first statement: the price of
    # saving a round trip per checkout. SQLAlchemy then discards it, and the next checkout gets a new one.
    monkeypatch.setattr(casework, "POOL_PING_IDLE_SECONDS", 3600)
    dead = _pooled_connection(engine)
    _kill(engine, dead)
    with pytest.raises(sa.exc.DBAPIError), engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT 1").scalar() == 1
