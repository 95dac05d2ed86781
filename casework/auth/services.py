"""Signing in and out, throttling, and API tokens."""

import hashlib
import secrets
from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from casework.audit.services import client_address, record
from casework.auth.models import ApiToken, LoginAttempt, User, new_session_nonce
from casework.auth.passwords import hash_password, needs_rehash, password_problems, verify_password
from casework.core.errors import NotFound, TooManyRequests, ValidationFailed
from casework.core.types import utcnow
from casework.extensions import db

TOKEN_PREFIX = "cw_"  # noqa: S105 (a marker, not a secret)


def normalise_username(username):
    """Usernames are case-insensitive and trimmed."""
    return (username or "").strip().lower()


def _recent_failures(column, value, since):
    """Failed attempts matching ``column == value`` since ``since``."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(LoginAttempt)
        .where(column == value, LoginAttempt.success.is_(False), LoginAttempt.at >= since)
    )


def authenticate(username, password):
    """The active user with these credentials; raises on a wrong password or when throttled.

    Every attempt is recorded, so throttling works across all app processes.
    """
    config = current_app.config
    username = normalise_username(username)[:40]
    address = client_address() or "-"
    since = utcnow() - timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    if (
        _recent_failures(LoginAttempt.username, username, since) >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or _recent_failures(LoginAttempt.address, address, since) >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    ):
        raise TooManyRequests(
            _(
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.",
                minutes=config["LOGIN_WINDOW_MINUTES"],
            )
        )
    user = db.session.scalar(sa.select(User).where(User.username == username))
    ok = verify_password(user.password_hash if user else None, password) and user is not None and user.active
    db.session.add(LoginAttempt(username=username, address=address, success=ok))
    if not ok:
        record("auth.login_failed", user, actor=user)
        # The attempt must count even though the caller rolls back on the error.
        db.session.commit()
        raise ValidationFailed(_("Nama pengguna atau kata sandi salah."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    record("auth.login", user, actor=user)
    return user


def set_password(user, password):
    """Sets a new password after checking the policy; ends every other session of the account."""
    problems = password_problems(password, user.username)
    if problems:
        raise ValidationFailed(" ".join(problems), fields={"password": problems})
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.session_nonce = new_session_nonce()
    record("user.password_changed", user)


def _token_hash(token):
    """Tokens are random and long, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user, name):
    """Creates an API token for ``user``; returns (record, the token shown once)."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationFailed(
            _("Beri nama token (1–80 karakter), misalnya nama tablet."),
            fields={"name": [_("Wajib diisi, paling banyak 80 karakter.")]},
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record_ = ApiToken(
        user=user,
        name=name,
        token_hash=_token_hash(token),
        prefix=token[:10],
        expires_at=utcnow() + timedelta(days=current_app.config["API_TOKEN_DAYS"]),
    )
    db.session.add(record_)
    db.session.flush()
    record("token.issued", record_, name=name)
    return record_, token


def revoke_token(token_id, owner=None):
    """Revokes a token; with ``owner``, only one of that user's own."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (owner is not None and token.user_id != owner.id):
        raise NotFound(_("Token tidak ditemukan."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record("token.revoked", token)
    return token


def user_for_token(token):
    """The active user a usable bearer token belongs to, or None.

    Every API request pays for this: one query (built once) for the user and
    the token's id and times, no token object in the session.
    """
    now = utcnow()
    row = db.session.execute(_token_user_query(), {"token_hash": _token_hash(token)}).first()
    if row is None or not ApiToken.is_usable(row, now) or not row.User.active:
        return None
    _touch(row, now)
    return row.User


@cache
def _token_user_query():
    """SELECT the user, and the token's id and times (as the row's ``id``, ``expires_at`` …), by the token's hash."""
    return (
        sa.select(User, ApiToken.id, ApiToken.expires_at, ApiToken.revoked_at, ApiToken.last_used_at)
        .join_from(ApiToken, User, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == sa.bindparam("token_hash"))
    )


def _touch(api_token, now):
    """Notes the token's use: one write (and commit) per API_TOKEN_TOUCH_MINUTES at most, not one per request.

    The staleness test is repeated in the UPDATE itself, so when several
    processes see the same stale time at once, one writes and the others
    change nothing. Committed at once: a read-only request never commits.
    """
    since = now - timedelta(minutes=current_app.config["API_TOKEN_TOUCH_MINUTES"])
    if api_token.last_used_at is not None and api_token.last_used_at >= since:
        return
    table = ApiToken.__table__
    stale = sa.or_(table.c.last_used_at.is_(None), table.c.last_used_at < since)
    db.session.execute(sa.update(table).where(table.c.id == api_token.id, stale).values(last_used_at=now))
    db.session.commit()


def load_session_user(session_id):
    """The user for a session id "id:nonce", or None when the nonce was reset."""
    user_id, _sep, nonce = (session_id or "").partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not secrets.compare_digest(user.session_nonce, nonce):
        return None
    return user
