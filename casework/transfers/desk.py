"""The supervisor's desk section for transfers: proposals to decide, and incoming transfers to answer."""

from casework.core.permissions import can
from casework.extensions import db
from casework.transfers.forms import DecisionForm
from casework.transfers.labels import TRANSFER_STATUS_LABELS
from casework.transfers.queries import awaiting_acceptance, awaiting_approval

# Transfers shown at once in each list.
SHOWN = 50


def section(user):
    """("transfers/_desk.html", context) when transfers wait for ``user``'s decision or answer, else None."""
    if not can(user, "transfers.decide"):
        return None
    to_decide = db.session.scalars(awaiting_approval(user).limit(SHOWN)).unique().all()
    to_answer = db.session.scalars(awaiting_acceptance(user).limit(SHOWN)).unique().all()
    if not to_decide and not to_answer:
        return None
    forms = {transfer.id: DecisionForm(formdata=None, version=transfer.version) for transfer in to_decide}
    context = {
        "to_decide": to_decide,
        "to_answer": to_answer,
        "decision_forms": forms,
        "transfer_status_labels": TRANSFER_STATUS_LABELS,
    }
    return "transfers/_desk.html", context
