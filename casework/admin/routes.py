"""Administration pages."""

from flask import Blueprint

bp = Blueprint("admin", __name__)


@bp.route("/users")
def users():
    """Placeholder until the admin pages land."""
