"""Rate limits on the JSON API: requests per caller in fixed one-minute windows, counted in the database.

Every ``/api/v1`` request counts against its caller: the API token it
presents, else the signed-in user of its session cookie, else its client
address. The count is one ``INSERT … ON CONFLICT DO UPDATE … RETURNING``
on ``api_rate_window`` (PostgreSQL and SQLite), committed at once at the
start of the request: every app process behind the load balancer sees the
same count, a request that fails and rolls back still counted, and no lock
on the counter row is held while the request runs. On PostgreSQL the
statement runs in autocommit, so the row is locked only while it runs. Old
windows are deleted by the ``auth.prune_api_rate_windows`` job
(``casework/auth/tasks.py``).
"""

import hashlib
import math
import time
from functools import cache

import sqlalchemy as sa
from flask import current_app, g, request, session
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from casework.audit.services import client_address
from casework.core.errors import TooManyRequests
from casework.core.security import bearer_token
from casework.extensions import db

WINDOW_SECONDS = 60
# PostgreSQL: the count commits by itself, with no BEGIN before it and no COMMIT after. Every request of one token
# updates the same row, which stayed locked until the COMMIT came back: 311-319 deliveries/s through one token at
# 1M cases, 353-356/s this way. (Not on SQLite, whose driver setting SQLAlchemy changes for autocommit.)
_ALONE = {"postgresql": {"isolation_level": "AUTOCOMMIT"}}
# Set in the environment of a write run inside ``POST /api/v1/sync/batch``: the batch counted it already.
BATCHED = "casework.batched"


class ApiRateWindow(db.Model):
    """How many API requests one caller made in one window (``window_start``: seconds since the epoch, UTC).

    The key starts with the window, so the upsert and the pruning of old
    windows both use the primary key's index, and no other index is kept.
    """

    __tablename__ = "api_rate_window"

    window_start: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    # "token:<hash prefix>", "user:<id>" or "addr:<address>"; never a name or anything personal beyond the address.
    caller: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    hits: Mapped[int]


def token_caller(token):
    """The caller key of a bearer token: a prefix of its SHA-256 (the token itself is never stored)."""
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def address_caller():
    """The caller key of a request without credentials: its client address."""
    return f"addr:{client_address() or '-'}"


def _caller():
    """The caller key and its per-minute limit: the token, else the session's user, else the address."""
    config = current_app.config
    token = bearer_token()
    if token:
        return token_caller(token), config["API_RATE_LIMIT_PER_MINUTE"]
    user_id = session.get("_user_id", "").partition(":")[0]
    if user_id:
        return f"user:{user_id}", config["API_RATE_LIMIT_PER_MINUTE"]
    return address_caller(), config["API_RATE_LIMIT_ANONYMOUS_PER_MINUTE"]


@cache
def _upsert(dialect_name):
    """``INSERT … ON CONFLICT (window_start, caller) DO UPDATE SET hits = hits + :n RETURNING hits``, built once."""
    insert = postgresql.insert if dialect_name == "postgresql" else sqlite.insert
    table = ApiRateWindow.__table__
    requests = sa.bindparam("n", type_=sa.Integer)
    statement = insert(table).values(window_start=sa.bindparam("window"), caller=sa.bindparam("caller"), hits=requests)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.window_start, table.c.caller], set_={"hits": table.c.hits + requests}
    )
    return statement.returning(table.c.hits)


def count(caller, limit, requests=1):
    """Counts ``requests`` requests of ``caller`` in the current window; raises TooManyRequests past ``limit``.

    Runs in its own short transaction, committed at once: what the request
    read before is rolled back first (it has written nothing yet), so on
    SQLite the upsert is the transaction's first statement and waits for the
    write lock instead of failing. A limit of 0 counts nothing (the limit is off).
    """
    if limit <= 0:
        return
    db.session.rollback()
    now = time.time()
    window = int(now) // WINDOW_SECONDS * WINDOW_SECONDS
    params = {"window": window, "caller": caller, "n": requests}
    bind = db.session.get_bind()
    # Only a connection of the session's own can be switched; one joined to an outer transaction (a caller's, a
    # test's) counts inside that transaction.
    options = _ALONE.get(bind.dialect.name, {}) if isinstance(bind, sa.Engine) else {}
    hits = db.session.connection(execution_options=options).execute(_upsert(bind.dialect.name), params).scalar_one()
    db.session.commit()
    retry_after = max(1, math.ceil(window + WINDOW_SECONDS - now))
    g.api_rate = (limit, hits, retry_after)
    if hits > limit:
        raise TooManyRequests(
            _("Terlalu banyak permintaan ke API. Coba lagi dalam %(seconds)d detik.", seconds=retry_after)
        )


def count_api_request():
    """Counts an API request against its caller (before anything else of the request touches the database).

    A bearer token is counted before it is checked, so the count costs no
    lookup; a token that turns out unusable is counted against the address
    too (the token loader in ``routes.init_login`` calls ``count_failed_token``), so made-up
    tokens do not escape the limit for calls without credentials.
    """
    caller, limit = _caller()
    count(caller, limit)
    if caller.startswith("token:"):
        # Checks the token now, also on the one public endpoint (openapi.json), which never asks who calls.
        current_user._get_current_object()


def count_batch(writes):
    """Counts the ``writes`` of a batch as requests of this request's caller (each then runs uncounted)."""
    count(*_caller(), requests=writes)


def count_failed_token():
    """Counts a request whose bearer token is unknown, revoked or expired against its address."""
    count(address_caller(), current_app.config["API_RATE_LIMIT_ANONYMOUS_PER_MINUTE"])


def add_headers(response):
    """``RateLimit-Limit``/``-Remaining``/``-Reset`` on every counted API response, and ``Retry-After`` on a 429."""
    if request.environ.get(BATCHED):
        return response  # a write of a batch: the batch's own answer carries the headers
    counted = g.pop("api_rate", None)
    if counted is None:
        return response
    limit, hits, reset = counted
    response.headers["RateLimit-Limit"] = str(limit)
    response.headers["RateLimit-Remaining"] = str(max(0, limit - hits))
    response.headers["RateLimit-Reset"] = str(reset)
    if hits > limit:
        response.headers["Retry-After"] = str(reset)
    return response


def prune(keep_seconds=10 * WINDOW_SECONDS):
    """Deletes the windows that ended more than ``keep_seconds`` ago; returns how many."""
    cutoff = int(time.time()) - keep_seconds - WINDOW_SECONDS
    result = db.session.execute(sa.delete(ApiRateWindow).where(ApiRateWindow.window_start < cutoff))
    return result.rowcount


def register_rate_limits(app):
    """Counts every request to ``/api/`` (unknown paths too); pages are not limited, sign-in has its own throttle."""

    @app.before_request
    def limit_api():
        if request.path.startswith("/api/") and not request.environ.get(BATCHED):
            count_api_request()

    app.after_request(add_headers)
