"""Settings for Casework, read from environment variables.

Every setting has a safe default for a developer's machine; production sets
``CASEWORK_ENV=production``, ``SECRET_KEY`` and ``DATABASE_URL``.
"""

import os
from datetime import timedelta


def _bool(name, default):
    """Reads a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url):
    """Maps ``postgres://`` and bare ``postgresql://`` URLs onto the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    """Defaults shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    # None means: a SQLite file in the instance folder (set in create_app).
    SQLALCHEMY_DATABASE_URI = (
        normalise_database_url(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else None
    )
    # hide_parameters: database errors must not carry personal data into logs. No ping on every checkout:
    # ``casework._ping_if_idle`` pings a connection that lay unused for POOL_PING_IDLE_SECONDS.
    SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True}

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "10")))
    # CSRF is checked by casework.security for every cookie-authenticated
    # request; bearer-token API calls carry no cookie and need none.
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_TIME_LIMIT = None

    # Login throttling: failures per account and per address in a window.
    LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", "15"))
    LOGIN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", "5"))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "30"))

    # How many reverse proxies / load balancers stand in front of the app. Their
    # X-Forwarded-For/-Proto headers are trusted only for that many hops, so
    # throttling sees the client's address and HTTPS is recognised.
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))

    # A browser session not used for this many minutes ends at its next request (0: no idle timeout). The
    # cookie carries the last activity and changes at most once a minute; it is re-sent only when it changes.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_REFRESH_EACH_REQUEST = False

    # API rate limits: requests per one-minute window per token or signed-in user, and per address for calls
    # without credentials (0 switches a limit off). 2,000/min is far above a person's use, and lets the field
    # app replay a day offline (1,000 queued writes, one request each) and download its caseload in one
    # window without a wait; a runaway client is stopped at about 33 requests a second.
    API_RATE_LIMIT_PER_MINUTE = int(os.environ.get("API_RATE_LIMIT_PER_MINUTE", "2000"))
    API_RATE_LIMIT_ANONYMOUS_PER_MINUTE = int(os.environ.get("API_RATE_LIMIT_ANONYMOUS_PER_MINUTE", "120"))

    API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
    # A token's "last used" time is written at most once per this many minutes, not on every request.
    API_TOKEN_TOUCH_MINUTES = int(os.environ.get("API_TOKEN_TOUCH_MINUTES", "5"))
    PER_PAGE_DEFAULT = 25
    PER_PAGE_MAX = 100

    SCHEDULER_TIMEZONE = "Asia/Jakarta"

    # Uploaded photos and documents: a folder outside static/ (None means instance/files), the
    # largest upload accepted, and the longest edge a photo is shrunk to. A request may be a
    # little larger than one file (the form's other fields), no more.
    FILES_PATH = os.environ.get("FILES_PATH")
    MAX_ATTACHMENT_BYTES = int(os.environ.get("MAX_ATTACHMENT_MB", "10")) * 1024 * 1024
    MAX_CONTENT_LENGTH = MAX_ATTACHMENT_BYTES + 256 * 1024
    IMAGE_MAX_EDGE = int(os.environ.get("IMAGE_MAX_EDGE", "1600"))

    # Emergency access to a sensitive case ("break glass"): how long one grant lasts.
    BREAK_GLASS_MINUTES = int(os.environ.get("BREAK_GLASS_MINUTES", "60"))
    # The offline field app: days a device keeps its caseload without reaching the server (then wipes it);
    # a sync cursor older than this (plus a day) is refused and the device downloads its caseload afresh.
    OFFLINE_MAX_DAYS = int(os.environ.get("OFFLINE_MAX_DAYS", "7"))
    # Where `flask casework backup` writes its archives when no --out is given (None means instance/backups).
    BACKUP_PATH = os.environ.get("BACKUP_PATH")


class ProductionConfig(Config):
    """Behind HTTPS, with a real secret and PostgreSQL."""

    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


def config_for(name):
    """The config class named by ``CASEWORK_ENV`` (default: development)."""
    return ProductionConfig if name == "production" else Config
