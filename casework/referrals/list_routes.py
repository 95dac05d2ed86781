"""The agency's referrals as one list: outgoing (proposed from the agency's cases) or incoming (to the user's unit).

The page (``/referrals/``), its API and its file read the same select
(``referrals_select``), latest proposal first, narrowed by direction and status.
"""

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from casework.access.scope import case_condition
from casework.admin.forms import FilterForm
from casework.cases.models import Case
from casework.core.pagination import COUNT_BOUND, paginate
from casework.core.permissions import require
from casework.referrals.labels import STATUS_LABELS
from casework.referrals.models import Referral, ReferralStatus
from casework.referrals.queries import LOADED

bp = Blueprint("referral_list", __name__)

DIRECTIONS = {"out": _l("Keluar (dari kasus kita)"), "in": _l("Masuk (ke unit saya)")}


class ReferralFilterForm(FilterForm):
    """The referrals' filters: direction (outgoing by default) and status."""

    direction = SelectField(
        _l("Arah"),
        choices=[SelectChoice(key, label) for key, label in DIRECTIONS.items()],
        default="out",
        invalid_choice_message=_l("Pilihan tidak dikenal."),
    )
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("Semua")), *(SelectChoice(s.value, label) for s, label in STATUS_LABELS.items())],
        default="",
        invalid_choice_message=_l("Pilihan tidak dikenal."),
    )


def referrals_select(user, direction="out", status=None):
    """The agency's referrals, latest first: outgoing ones of cases in ``user``'s scope, or those to their unit."""
    condition = Referral.agency_id == user.agency_id
    if direction == "in":
        condition &= Referral.to_unit_id == user.unit_id
    if status:
        condition &= Referral.status == ReferralStatus(status)
    within = case_condition(user)
    if direction != "in" and within is not None:
        # A subquery, not a join: the list's file joins the case itself.
        condition &= Referral.case_id.in_(sa.select(Case.id).where(within))
    return (
        sa.select(Referral).where(condition).options(*LOADED).order_by(Referral.proposed_at.desc(), Referral.id.desc())
    )


def filtered_referrals():
    """The referrals the query string's filters select, for the page, its API and its file."""
    return referrals_select(current_user, **ReferralFilterForm().values())


@bp.route("/")
@require("cases.view")
def index():
    """The agency's referrals, outgoing or incoming, by status; paged."""
    filters = ReferralFilterForm()
    page = paginate(referrals_select(current_user, **filters.values()), bound=COUNT_BOUND)
    return render_template("referrals/index.html", filters=filters, page=page, directions=DIRECTIONS)
