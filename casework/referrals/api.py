"""API endpoints for referrals, through the same operations as the referral pages.

A proposal carries the device's UUID: a retry returns the first referral
(200 instead of 201). Every decision carries the referral's ``version``; a
stale version, or a step its status does not allow, is a 409 whose envelope
carries the referral as it is now under ``current``.
"""

from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_json
from casework.cases.api import located
from casework.cases.queries import readable_case
from casework.core.errors import current_on_conflict
from casework.core.permissions import require
from casework.extensions import db
from casework.referrals import queries, services
from casework.referrals.schemas import ReferralCreateSchema, ReferralDecisionSchema, ReferralSchema

_REFERRAL = ReferralSchema()
_CREATE = ReferralCreateSchema()
_DECISION = ReferralDecisionSchema()


def _referrals_json(referrals):
    """The referrals as the API returns them, each with whether it is overdue (one query for them all)."""
    late = queries.overdue_ids(current_user.agency, [referral.id for referral in referrals])
    return [{**_REFERRAL.dump(referral), "overdue": referral.id in late} for referral in referrals]


def _referral_json(referral):
    """One referral as the API returns it."""
    return _referrals_json([referral])[0]


@bp.get("/cases/<case_uuid>/referrals")
@require("cases.view")
@documented(ReferralSchema, many=True)
def list_referrals(case_uuid):
    """The case's referrals, latest first (a case has a handful)."""
    case = readable_case(current_user, case_uuid)
    return {"items": _referrals_json(queries.case_referrals(case))}


@bp.post("/cases/<case_uuid>/referrals")
@require("referrals.propose")
@documented(ReferralSchema, body=ReferralCreateSchema, status=(201, 200))
def create_referral(case_uuid):
    """Proposes a referral; 201 when proposed, 200 when the UUID was already used. It waits for a supervisor."""
    case = readable_case(current_user, case_uuid)
    data = located(load_json(_CREATE))
    referral, created = services.propose(case, current_user, data, uuid=data.pop("uuid", None))
    body = _referral_json(referral)
    db.session.commit()
    return body, 201 if created else 200


@bp.get("/referrals/<referral_uuid>")
@require("cases.view")
@documented(ReferralSchema)
def get_referral(referral_uuid):
    """One referral of the agency, with its steps and version."""
    return _referral_json(queries.readable_referral(current_user, referral_uuid))


def _decision_view(action):
    """A view taking decision ``action`` on the URL's referral at the body's ``version``; answers the referral."""
    operation = services.DECISIONS[action][0]

    def view(referral_uuid):
        referral = queries.readable_referral(current_user, referral_uuid)
        data = located(load_json(_DECISION))
        version = data.pop("version")
        with current_on_conflict(lambda: _referral_json(referral)):
            operation(referral, current_user, version, data)
        body = _referral_json(referral)
        db.session.commit()
        return body

    return view


# Each decision, a POST sub-resource taking the referral's version: its summary.
DECISION_SUMMARIES = {
    "approve": "A supervisor approves (proposed → approved); never the proposer (403). Optional `note`.",
    "reject": "A supervisor rejects (proposed → rejected) with a `reason`; never the proposer (403).",
    "accept": "The receiver accepts (approved → accepted): a user of the receiving unit, or the case's caseworker.",
    "decline": "The receiver declines (approved → declined) with a `reason`.",
    "complete": "The receiver records the `result` (accepted → completed).",
}


def _add_decisions():
    """Adds one documented endpoint per decision (``api.referral_approve`` ...)."""
    for action, summary in DECISION_SUMMARIES.items():
        view = _decision_view(action)
        view.__name__ = view.__qualname__ = f"referral_{action}"
        view.__doc__ = f"{summary}\n\n``version`` is required; a stale one or a step out of order is a 409."
        permission = services.DECISIONS[action][1]
        view = require(permission)(documented(ReferralSchema, body=ReferralDecisionSchema)(view))
        bp.add_url_rule(f"/referrals/<referral_uuid>/{action}", view_func=view, methods=["POST"])


_add_decisions()
