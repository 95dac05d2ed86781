"""The desk page: each section of DESK_SECTIONS rendered with its own template and context."""

from functools import cache
from importlib import import_module

from flask import Blueprint, render_template
from flask_login import current_user
from markupsafe import Markup

from casework import desk
from casework.core.permissions import require

bp = Blueprint("desk", __name__)


@cache
def _section(path):
    """The section function a "module:function" path names."""
    module, name = path.split(":")
    return getattr(import_module(module), name)


def rendered_sections(user):
    """The HTML of each section with something to show for ``user``, in DESK_SECTIONS order."""
    parts = []
    for path in desk.DESK_SECTIONS:
        found = _section(path)(user)
        if found is not None:
            template, context = found
            # Rendered by Jinja with autoescaping: already safe HTML.
            parts.append(Markup(render_template(template, **context)))  # noqa: S704
    return parts


def render_desk(problem=None, status=200):
    """The desk page, with ``problem`` (a refused decision) above the sections."""
    return render_template("desk/index.html", sections=rendered_sections(current_user), problem=problem), status


@bp.route("/")
@require("desk.view")
def index():
    """The signed-in supervisor's desk."""
    return render_desk()
