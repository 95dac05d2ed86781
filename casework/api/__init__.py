"""The JSON API at /api/v1, for tablets, phones and other systems.

One blueprint; each feature adds its endpoints in its own ``api.py``
module (``from casework.api import bp``), imported by ``load_routes``.
Authentication is a bearer token, or the browser session (with CSRF) for
the app's own pages. Errors use the envelope from ``casework.core.errors``.
"""

from importlib import import_module

from flask import Blueprint

bp = Blueprint("api", __name__)

FEATURE_API_MODULES = (
    "casework.auth.api",
    "casework.reference.api",
    "casework.admin.api",
    "casework.clients.api",
    "casework.clients.photo_api",
    "casework.clients.merge_api",
    "casework.cases.api",
    "casework.cases.attachment_api",
    "casework.referrals.api",
    "casework.closure.api",
    "casework.notifications.api",
    "casework.tracing.api",
    "casework.transfers.api",
    "casework.findings.api",
    "casework.findings.triage_api",
    "casework.findings.figures_api",
    "casework.figures.target_api",
    "casework.aftercare.api",
    "casework.figures.api",
    "casework.figures.close_api",
    "casework.figures.quarterly_api",
    "casework.disasters.api",
    "casework.disasters.assistance_api",
    "casework.exports.api",
    "casework.imports.api",
    "casework.privacy.api",
    "casework.sync.api",
    "casework.sync.upload_api",
    "casework.sync.batch_api",
    # The OpenAPI document of all the above, at /api/v1/openapi.json.
    "casework.api.openapi",
)


def load_routes():
    """Imports every feature's API module so its routes attach to ``bp``."""
    for name in FEATURE_API_MODULES:
        import_module(name)
