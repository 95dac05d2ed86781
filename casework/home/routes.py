"""A home page per role; later features fill its panels."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from casework.core.permissions import public, require

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def root():
    """Signed-in users go to their home page, everyone else to sign in."""
    return redirect(url_for("home.index" if current_user.is_authenticated else "auth.login"))


@bp.route("/home")
@require("home.view")
def index():
    """The panels for the signed-in user's role."""
    return render_template(f"home/{current_user.role.value}.html")


@bp.route("/health")
@public
def health():
    """For the load balancer: the process answers."""
    return {"status": "ok"}
