"""Forms for deciding on a closure and for reopening a case (the proposal is the case page's TerminateForm)."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField

from casework.cases.forms import StepForm


class DecisionForm(StepForm):
    """Approving a closure at the version it was shown; ``next`` is "desk" when decided from the desk."""

    next = HiddenField()


class RejectForm(DecisionForm):
    """Rejecting a closure, with the reason the proposer reads."""

    fields_out = ("reason",)
    reason = TextAreaField(_l("Alasan penolakan"))


class ReopenForm(StepForm):
    """Reopening a terminated case, with the reason it is reopened."""

    fields_out = ("reason",)
    reason = TextAreaField(_l("Alasan membuka kembali"))
