"""Helpers shared by the administration tests."""

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.extensions import db


def audit_rows(action):
    """The audit rows recorded for ``action``, oldest first."""
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def bearer(token):
    """Headers for a bearer-token request."""
    return {"Authorization": f"Bearer {token}"}


def page_text(response):
    """The response body as text."""
    return response.get_data(as_text=True)


def table_body(response):
    """The rows of the page's table, without the menus and filters around it."""
    page = page_text(response)
    return page[page.index("<tbody>") : page.index("</tbody>")]


def sign_in(app, username, password):
    """A sign-in attempt from a fresh client (its own cookies); returns the client and the response."""
    client = app.test_client()
    return client, client.post("/login", data={"username": username, "password": password})
