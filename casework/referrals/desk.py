"""The referrals' section of the supervisor's desk (see ``casework.desk.DESK_SECTIONS``)."""

from casework.core.permissions import can
from casework.referrals import queries


def section(user):
    """Referrals waiting for ``user``: decisions (supervisors), overdue ones, answers of their unit; None when none."""
    deciding = can(user, "referrals.decide")
    to_decide = queries.waiting_for_decision(user.agency) if deciding else []
    overdue = queries.overdue(user.agency) if deciding else []
    to_answer = queries.waiting_for_answer(user) if can(user, "referrals.answer") else []
    if not (to_decide or overdue or to_answer):
        return None
    context = {
        "to_decide": to_decide,
        "overdue_referrals": overdue,
        "overdue_referral_ids": {referral.id for referral in overdue},
        "to_answer": to_answer,
    }
    return "referrals/_desk_section.html", context
