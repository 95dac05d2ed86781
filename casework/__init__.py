"""Casework: case management for Indonesian social-service agencies (Dinas Sosial)."""

import os
import secrets
import time
from pathlib import Path

from flask import Flask, has_request_context
from flask_babel import get_locale
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from werkzeug.middleware.proxy_fix import ProxyFix

from casework.extensions import babel, csrf, db, login_manager, migrate
from config import config_for

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_override=None):
    """Builds the Flask application; ``config_override`` wins over the environment."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("CASEWORK_INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config_for(os.environ.get("CASEWORK_ENV", "development")))
    if config_override:
        app.config.update(config_override)
    _configure_instance(app)
    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    _init_extensions(app)
    _register_blueprints(app)
    _register_shared(app)
    return app


def _configure_instance(app):
    """Instance folder, the default SQLite database, and a persistent development secret key."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'casework.sqlite'}"
    if not app.config.get("SECRET_KEY"):
        if os.environ.get("CASEWORK_ENV") == "production":
            raise RuntimeError("SECRET_KEY must be set in production")
        key_file = Path(app.instance_path) / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(ROOT / "casework" / "translations"))


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """Foreign keys on, WAL for concurrent readers, and a wait instead of 'database is locked'.

    The driver's own transaction handling is switched off so that SQLAlchemy
    emits BEGIN itself (see ``_sqlite_begin``): savepoints then work as on
    PostgreSQL.
    """
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


# A pooled connection unused this long is pinged before use: a database restart, failover or a firewall
# dropping idle connections since then shows there, not as a failed request.
POOL_PING_IDLE_SECONDS = 10


@event.listens_for(Pool, "checkin")
def _note_checkin(_dbapi_connection, record):
    record.info["checked_in"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection, record, _proxy):
    """Pings a connection that lay in the pool POOL_PING_IDLE_SECONDS or more; a dead one is replaced.

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout, and an API request
    checks out twice (its rate-limit count commits on its own): two round
    trips of a dozen on the busiest path, for connections used a few
    milliseconds before. A connection that broke while in use is handled by
    SQLAlchemy itself (the error invalidates the pool), so what is left to
    catch is a connection that died while idle. Raising DisconnectionError
    makes the pool discard it and check out a new one.
    """
    checked_in = record.info.get("checked_in")
    if checked_in is None or time.monotonic() - checked_in < POOL_PING_IDLE_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()  # PostgreSQL's driver began a transaction for the SELECT
    except Exception as error:  # whatever the driver raises for a dead connection
        raise exc.DisconnectionError() from error


# Set on a SQLite connection whose request transaction has not written yet (see ``_sqlite_write_lock``).
_SQLITE_READING = "casework.sqlite_reading"


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    """Starts SQLite transactions explicitly (the driver no longer does); a request's starts as a reader.

    A request's transaction reads without the write lock, so other
    processes keep writing while it looks up its caller, its records and
    checks its input; ``_sqlite_write_lock`` takes the lock at its first write.
    Work outside a request (the CLI, the scheduler, the tests' outer
    transaction) is left as it is: a plain deferred BEGIN.
    """
    if connection.dialect.name == "sqlite":
        connection.info[_SQLITE_READING] = False  # the last transaction's mark, if it never wrote
        connection.exec_driver_sql("BEGIN")
        connection.info[_SQLITE_READING] = has_request_context()


@event.listens_for(Engine, "before_cursor_execute")
def _sqlite_write_lock(connection, _cursor, statement, _parameters, _context, _executemany):
    """Before a request transaction's first statement that is not a SELECT: COMMIT the reads, BEGIN IMMEDIATE.

    In WAL mode a deferred transaction that read before another connection
    committed cannot start writing: it fails at once with "database is
    locked", whatever the busy timeout. Ending the reading transaction and
    beginning one that takes the write lock (waiting up to busy_timeout for
    it) avoids that, and holds the one writer's lock only from the first
    write to the commit, not through the request's lookups: what the reads
    saw may have been changed by a commit in between, as under PostgreSQL's
    READ COMMITTED, and versions, guarded updates and unique keys catch it
    there as here. SAVEPOINT and anything else not a SELECT counts as a
    write, so no savepoint is ever ended by the COMMIT.
    """
    if connection.info.get(_SQLITE_READING) and statement.lstrip()[:6].upper() != "SELECT":
        connection.info[_SQLITE_READING] = False
        driver = connection.connection.dbapi_connection
        driver.execute("COMMIT")
        driver.execute("BEGIN IMMEDIATE")


def _init_extensions(app):
    """Binds the module-level extensions to this app."""
    import casework.models  # noqa: F401  (every table in the metadata)
    from casework.auth.routes import init_login
    from casework.core.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    init_login(login_manager)


def _register_blueprints(app):
    """One blueprint per feature."""
    from casework.admin.routes import bp as admin_bp
    from casework.aftercare.routes import bp as aftercare_bp
    from casework.api import bp as api_bp
    from casework.api import load_routes
    from casework.audit.routes import bp as audit_bp
    from casework.auth.routes import bp as auth_bp
    from casework.cases.delivery_list import bp as deliveries_bp
    from casework.cases.routes import bp as cases_bp
    from casework.clients.merge_routes import bp as client_merges_bp
    from casework.clients.routes import bp as clients_bp
    from casework.closure.routes import bp as closure_bp
    from casework.dashboards.routes import bp as dashboards_bp
    from casework.desk.routes import bp as desk_bp
    from casework.disasters.assistance_routes import bp as disaster_assistance_bp
    from casework.disasters.routes import bp as disasters_bp
    from casework.exports.agency_routes import bp as agency_export_bp
    from casework.exports.routes import bp as exports_bp
    from casework.field.routes import bp as field_bp
    from casework.figures.close_routes import bp as figure_close_bp
    from casework.figures.quarterly_routes import bp as figures_quarterly_bp
    from casework.figures.routes import bp as figures_bp
    from casework.figures.target_routes import bp as figure_targets_bp
    from casework.files.routes import bp as files_bp
    from casework.findings.figures_routes import bp as finding_figures_bp
    from casework.findings.routes import bp as findings_bp
    from casework.findings.triage_routes import bp as triage_bp
    from casework.home.routes import bp as home_bp
    from casework.imports.routes import bp as imports_bp
    from casework.notifications.routes import bp as notifications_bp
    from casework.privacy.routes import bp as privacy_bp
    from casework.reference.routes import bp as reference_bp
    from casework.referrals.list_routes import bp as referral_list_bp
    from casework.referrals.routes import bp as referrals_bp
    from casework.tracing.routes import bp as tracing_bp
    from casework.transfers.routes import bp as transfers_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(audit_bp, url_prefix="/admin/audit")
    app.register_blueprint(reference_bp, url_prefix="/reference")
    app.register_blueprint(clients_bp, url_prefix="/clients")
    app.register_blueprint(client_merges_bp, url_prefix="/clients")
    app.register_blueprint(cases_bp, url_prefix="/cases")
    app.register_blueprint(deliveries_bp, url_prefix="/services")
    app.register_blueprint(files_bp, url_prefix="/files")
    app.register_blueprint(tracing_bp, url_prefix="/cases")
    app.register_blueprint(closure_bp)
    app.register_blueprint(referrals_bp)
    app.register_blueprint(referral_list_bp, url_prefix="/referrals")
    app.register_blueprint(transfers_bp)
    app.register_blueprint(desk_bp, url_prefix="/desk")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(triage_bp, url_prefix="/triage")
    app.register_blueprint(findings_bp, url_prefix="/findings")
    app.register_blueprint(finding_figures_bp, url_prefix="/findings/figures")
    app.register_blueprint(figures_bp, url_prefix="/figures")
    app.register_blueprint(imports_bp, url_prefix="/imports")
    app.register_blueprint(figure_close_bp, url_prefix="/figures/close")
    app.register_blueprint(figure_targets_bp, url_prefix="/figures")
    app.register_blueprint(figures_quarterly_bp, url_prefix="/figures/quarterly")
    app.register_blueprint(aftercare_bp, url_prefix="/aftercare")
    app.register_blueprint(dashboards_bp, url_prefix="/dashboards")
    app.register_blueprint(disasters_bp, url_prefix="/disasters")
    app.register_blueprint(agency_export_bp, url_prefix="/exports/agency")
    app.register_blueprint(exports_bp, url_prefix="/exports")
    app.register_blueprint(disaster_assistance_bp, url_prefix="/disasters")
    app.register_blueprint(privacy_bp, url_prefix="/privacy")
    app.register_blueprint(field_bp, url_prefix="/field")
    load_routes()
    app.register_blueprint(api_bp, url_prefix="/api/v1")


def _register_shared(app):
    """Error handlers, security headers, template helpers and the CLI."""
    from casework.auth.idle import register_idle_timeout
    from casework.auth.limits import register_rate_limits
    from casework.auth.models import ROLE_LABELS
    from casework.cli import register_cli
    from casework.core.assets import register_assets
    from casework.core.errors import register_error_handlers
    from casework.core.i18n import register_filters
    from casework.core.permissions import can
    from casework.core.security import register_security

    register_assets(app)
    register_error_handlers(app)
    register_security(app)
    register_idle_timeout(app)
    register_rate_limits(app)
    register_filters(app)
    register_cli(app)
    app.jinja_env.globals["can"] = can
    # Flask-Babel leaves it out of the template globals; base.html needs it for <html lang> and the switch.
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["role_label"] = ROLE_LABELS.__getitem__
