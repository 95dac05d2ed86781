"""``POST /api/v1/sync/batch``: a device's queued writes in one request, each run as if it were sent alone.

A day offline leaves a device hundreds of writes to send. One request each
costs a round trip each: on a field connection with a 300 ms round trip,
1,000 writes wait five minutes for the network alone. The outbox sends them
here in batches instead, in order.

Each write is run as its own request inside this one (``_dispatch``): the
same URL map, permission checks, schemas, services, error envelope and
commit as when it is sent alone, with the caller's credentials (the same
bearer token, or the same session cookie and CSRF token) and address. The
writes are not one transaction: each commits as it would alone, so what
landed stays landed if the answer is lost, and a resent batch is answered
by the writes' own idempotency (a known UUID returns the record, a stale
version a 409 with the current one). The batch stops at the first write
that does not succeed: later writes may depend on it (a case on its new
client), and the device decides what to do with it before sending more.

Every write counts against the caller's API rate limit as a request of its
own (``limits.count_batch``); a batch past the limit is refused whole.

A batch is one request: its caller is authenticated once, when it starts,
like any request, and its writes run as that user (``_keep_caller``).
Writes that change accounts, units or tokens are sent alone, never in a
batch, so nothing in a batch changes who the caller is.
"""

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, fields, validate
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.test import EnvironBuilder

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_json
from casework.auth import limits
from casework.auth.idle import BACKGROUND_HEADER
from casework.core.errors import ValidationFailed
from casework.core.permissions import require
from casework.extensions import db

MAX_WRITES = 100
BATCH_PATH = "/api/v1/sync/batch"
# What a write may name: an API path of letters, digits, '-', '_' and '/' (UUIDs, slugs, ids), no query.
WRITE_PATH = r"^/api/v1/[A-Za-z0-9_\-/]{1,300}$"
# Writes that change who a caller is or what they may do: sent alone, not in a batch.
ACCOUNT_PATHS = ("/api/v1/users", "/api/v1/units", "/api/v1/tokens")
# The caller's headers a write is sent with: its credentials, its language, whether the user or a timer sent it.
FORWARDED_HEADERS = ("Authorization", "Cookie", "X-CSRFToken", "Accept-Language", "User-Agent", BACKGROUND_HEADER)


class WriteSchema(Schema):
    """One queued write: ``method`` and ``path`` of an API call and its JSON ``body``."""

    method = fields.Str(
        required=True,
        validate=validate.OneOf(
            ("POST", "PATCH", "PUT", "DELETE"), error=_l("Metode harus POST, PATCH, PUT atau DELETE.")
        ),
    )
    path = fields.Str(
        required=True,
        validate=validate.Regexp(WRITE_PATH, error=_l("Alamat harus berupa alamat API /api/v1/… tanpa parameter.")),
    )
    body = fields.Dict(load_default=dict)


class BatchSchema(Schema):
    """Up to ``MAX_WRITES`` writes, run in the order given."""

    writes = fields.List(
        fields.Nested(WriteSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_WRITES, error=_l("Kirim 1 sampai {max} penulisan dalam satu batch.")),
    )


class WriteResultSchema(Schema):
    """What one write got: the ``status`` and JSON ``body`` it would have got alone."""

    status = fields.Int()
    body = fields.Raw(allow_none=True)


class BatchResultSchema(Schema):
    """One result per write run, in order; fewer than sent when one did not succeed (the last result)."""

    results = fields.List(fields.Nested(WriteResultSchema))


def _environ(write):
    """The WSGI environment of ``write`` sent alone by this request's caller."""
    headers = {name: request.headers[name] for name in FORWARDED_HEADERS if name in request.headers}
    builder = EnvironBuilder(
        path=write["path"],
        base_url=request.host_url,
        method=write["method"],
        json=write["body"],
        headers=headers,
        environ_base={"REMOTE_ADDR": request.remote_addr, limits.BATCHED: True},
    )
    try:
        return builder.get_environ()
    finally:
        builder.close()


def _keep_caller():
    """A function that puts back the caller and their agency as loaded when the batch began.

    Each write commits, and a commit expires every loaded row: without this,
    every write would load the user and the agency again, two of the seven or
    so queries of a write. The batch authenticated its caller once; its writes run as
    that caller (nothing in a batch changes the account, see ``ACCOUNT_PATHS``).
    """
    user = current_user._get_current_object()
    agency = user.agency
    loaded = [
        (row, {attr.key: getattr(row, attr.key) for attr in sa.inspect(row).mapper.column_attrs})
        for row in (user, agency)
    ]

    def restore():
        for row, values in loaded:
            for key, value in values.items():
                set_committed_value(row, key, value)
        set_committed_value(user, "agency", agency)

    return restore


def _dispatch(write):
    """Runs ``write`` through the app as a request of its own; its (status, JSON body)."""
    app = current_app._get_current_object()
    with app.request_context(_environ(write)):
        response = app.full_dispatch_request()
    return response.status_code, response.get_json(silent=True)


def _refuse_unbatchable(writes):
    """A 422 naming the writes a batch may not carry: another batch, or a change to accounts, units or tokens."""
    problems = {}
    for index, write in enumerate(writes):
        path = write["path"].rstrip("/")
        if path == BATCH_PATH:
            problems[str(index)] = [_("Sebuah batch tidak dapat memuat batch lain.")]
        elif any(path == prefix or path.startswith(prefix + "/") for prefix in ACCOUNT_PATHS):
            problems[str(index)] = [_("Perubahan akun, unit dan token dikirim sendiri, tidak dalam batch.")]
    if problems:
        raise ValidationFailed(
            _("Batch ini memuat penulisan yang tidak dapat dikirim dalam batch."), fields={"writes": problems}
        )


@bp.post("/sync/batch")
@require("sync.caseload")
@documented(BatchResultSchema, body=BatchSchema)
def sync_batch():
    """Runs up to 100 queued writes in order, each as if sent alone; stops after the first that does not succeed.

    Every write answers with the status and body it would get alone (its own
    409, 422 …). A batch naming this endpoint, or changing accounts, units or
    tokens (``/users``, ``/units``, ``/tokens``: send those alone), is refused with 422.
    """
    writes = load_json(BatchSchema())["writes"]
    _refuse_unbatchable(writes)
    limits.count_batch(len(writes))
    restore_caller = _keep_caller()
    results = []
    for write in writes:
        restore_caller()
        status, body = _dispatch(write)
        results.append({"status": status, "body": body})
        if not 200 <= status < 300:
            db.session.rollback()
            break
    return BatchResultSchema().dump({"results": results})
