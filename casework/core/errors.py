"""Service errors and the handlers that turn every error into a clear page or JSON envelope.

Services raise ``ServiceError`` subclasses; views and the API never build
error responses by hand. API responses use one envelope:
``{"error": {"code": ..., "message": ..., "fields": {...}}}``.
"""

import logging
import traceback
from contextlib import contextmanager

from flask import current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from casework.extensions import db

log = logging.getLogger(__name__)


class ServiceError(Exception):
    """A refusal by a service operation, with a message meant for the user."""

    status = 400
    code = "bad_request"

    def __init__(self, message, fields=None, current=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.current = current


class ValidationFailed(ServiceError):
    """Input that breaks a rule; ``fields`` maps field names to messages."""

    status = 422
    code = "validation_failed"


class NotFound(ServiceError):
    """The record does not exist, or the user may not know it does."""

    status = 404
    code = "not_found"


class Forbidden(ServiceError):
    """The user may not do this."""

    status = 403
    code = "forbidden"


class Restricted(Forbidden):
    """A sensitive record the user may not read: they may know it exists (``record``), not what it holds."""

    code = "restricted"

    def __init__(self, message, record=None):
        super().__init__(message)
        self.record = record


class OutOfScope(Restricted):
    """A case of the user's agency outside their work scope: they may know it exists, not what it holds."""

    code = "out_of_scope"


class Conflict(ServiceError):
    """The record changed since the caller read it; ``current`` holds its state now."""

    status = 409
    code = "conflict"


class TooManyRequests(ServiceError):
    """Throttled: too many attempts in a short time."""

    status = 429
    code = "too_many_requests"


def wants_json():
    """API paths always answer in JSON; pages answer in HTML."""
    return request.path.startswith("/api/")


def error_response(status, code, message, fields=None, current=None):
    """A JSON envelope for the API, an error page for everyone else."""
    if wants_json():
        body = {"error": {"code": code, "message": message, "fields": fields or {}}}
        if current is not None:
            body["error"]["current"] = current
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message, fields=fields or {}), status


_HTTP_MESSAGES = {
    400: lambda: _("Permintaan tidak dapat diproses."),
    401: lambda: _("Silakan masuk terlebih dahulu."),
    403: lambda: _("Anda tidak memiliki izin untuk membuka halaman ini."),
    404: lambda: _("Halaman atau data yang dicari tidak ditemukan."),
    405: lambda: _("Metode permintaan ini tidak didukung di alamat ini."),
    413: lambda: _(
        "Berkas yang dikirim terlalu besar. Ukuran paling besar %(mb)d MB.",
        mb=current_app.config["MAX_ATTACHMENT_BYTES"] // (1024 * 1024),
    ),
    429: lambda: _("Terlalu banyak permintaan. Coba lagi beberapa saat lagi."),
}


def describe_failure(error):
    """The exception's type and stack, for logs, without its message.

    Exception messages may hold personal data (a database error repeats the
    values it was given), so logs get where it failed, never what it said.
    """
    stack = "".join(traceback.format_tb(error.__traceback__))
    return f"{type(error).__name__}\n{stack}"


def register_error_handlers(app):
    """Installs the handlers for service errors, HTTP errors, CSRF failures and crashes."""

    @app.errorhandler(ServiceError)
    def handle_service_error(error):
        db.session.rollback()
        return error_response(error.status, error.code, error.message, error.fields, error.current)

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error):
        db.session.rollback()
        message = _(
            "Formulir kedaluwarsa atau tidak sah (token keamanan tidak ada). Muat ulang halaman lalu coba lagi."
        )
        return error_response(400, "csrf_failed", message)

    @app.errorhandler(IntegrityError)
    def handle_integrity_error(error):
        # Services check uniqueness first; this is the rare race where two
        # identical saves land at once and the database refuses the second.
        db.session.rollback()
        message = _("Data ini bentrok dengan perubahan yang baru saja disimpan. Muat ulang halaman, lalu coba lagi.")
        return error_response(409, "conflict", message)

    @app.errorhandler(HTTPException)
    def handle_http_error(error):
        db.session.rollback()
        message = _HTTP_MESSAGES.get(error.code, lambda: error.description)()
        return error_response(error.code, error.name.lower().replace(" ", "_"), message)

    @app.errorhandler(Exception)
    def handle_crash(error):
        db.session.rollback()
        log.error("unhandled %s on %s %s", describe_failure(error), request.method, request.path)
        return error_response(500, "internal_error", _("Terjadi kesalahan pada server. Tidak ada data yang tersimpan."))


def check_version(record, version, stale_message):
    """Refuses a change made from a copy of ``record`` at another ``version`` than its current one (a 409).

    ``version`` comes from a form or a JSON body: a number, its text, or nothing (refused as stale too).
    """
    try:
        current = version is not None and int(version) == record.version
    except (TypeError, ValueError):
        current = False
    if not current:
        raise Conflict(stale_message)


@contextmanager
def current_on_conflict(dump):
    """Turns a Conflict raised inside into a 409 that carries ``dump()``: the record as it is now, after a rollback."""
    try:
        yield
    except Conflict as error:
        db.session.rollback()
        error.current = dump()
        raise


def flush_versioned(stale_message):
    """Flushes the session; a row saved meanwhile by someone else (its version moved) becomes a Conflict.

    ``stale_message`` is the function that says so: called (translated) only
    on a conflict, not on every flush of a busy write path.
    """
    try:
        db.session.flush()
    except StaleDataError as error:
        raise Conflict(stale_message()) from error
