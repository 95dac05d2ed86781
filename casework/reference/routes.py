"""Reference data pages."""

from flask import Blueprint

bp = Blueprint("reference", __name__)


@bp.route("/")
def index():
    """Placeholder until the reference pages land."""
