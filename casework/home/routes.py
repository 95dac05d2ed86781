"""A home page per role; later features fill its panels."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from casework.auth.models import Role
from casework.cases.forms import OVERDUE_LABELS
from casework.cases.models import OPEN_STAGES
from casework.cases.queries import caseload_counts
from casework.core.pagination import COUNT_BOUND
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
    return render_template(f"home/{current_user.role.value}.html", **_caseload_summary(current_user))


def _caseload_summary(user):
    """For a caseworker their open cases, for a supervisor their unit's: how many, and how many overdue by kind."""
    holders = {
        Role.CASEWORKER: ("mine", {"caseworker_id": user.id}),
        Role.SUPERVISOR: ("unit", {"unit_id": user.unit_id}),
    }
    if user.role not in holders:
        return {}
    scope, holder = holders[user.role]
    stage_counts, overdue_counts = caseload_counts(user.agency, **holder)
    return {
        "case_scope": scope,
        # Each stage's count stops past COUNT_BOUND; so then does their sum.
        "open_cases": min(sum(stage_counts[stage] for stage in OPEN_STAGES), COUNT_BOUND + 1),
        "overdue_cases": overdue_counts,
        "overdue_labels": OVERDUE_LABELS,
        "count_bound": COUNT_BOUND,
    }


@bp.route("/health")
@public
def health():
    """For the load balancer: the process answers."""
    return {"status": "ok"}
