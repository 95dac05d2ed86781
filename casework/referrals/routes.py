"""Referral pages: proposing one from a case, the referral with its decisions, and the printable letter.

Each view parses its form, calls one referral operation, commits and
redirects (to the desk when the form came from it). A refusal rolls back and
shows the page again with the current state and the reason.
"""

import uuid as uuid_module

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.admin.forms import attach_errors
from casework.cases.queries import readable_case
from casework.clients.labels import SEX_LABELS
from casework.core.errors import Conflict, ServiceError
from casework.core.i18n import safe_next_url
from casework.core.permissions import require
from casework.extensions import db
from casework.referrals import labels, queries, services
from casework.referrals.forms import DECISION_TEXT, DecisionForm, ProposeForm
from casework.referrals.models import ReferralStatus

bp = Blueprint("referrals", __name__)

# The statuses in which the letter may leave: only after a supervisor approved the referral.
LETTER_STATUSES = (ReferralStatus.APPROVED, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)
DONE = {
    "approve": lambda: _("Rujukan disetujui."),
    "reject": lambda: _("Rujukan ditolak."),
    "accept": lambda: _("Rujukan diterima."),
    "decline": lambda: _("Rujukan ditolak oleh penerima."),
    "complete": lambda: _("Hasil rujukan dicatat."),
}


@bp.app_context_processor
def _referral_helpers():
    """Label tables and look-ups for referral templates, the case page's section and the desk's included."""
    return {
        "referral_status_labels": labels.STATUS_LABELS,
        "referral_urgency_labels": labels.URGENCY_LABELS,
        "referral_destination_labels": labels.DESTINATION_LABELS,
        "referral_no_consent_labels": labels.NO_CONSENT_LABELS,
        "case_referrals": queries.case_referrals,
        "referral_actions": services.actions_for,
        "referral_decision_text": DECISION_TEXT,
    }


@bp.route("/cases/<case_uuid>/referrals/new", methods=["GET", "POST"])
@require("referrals.propose")
def new(case_uuid):
    """Proposes a referral for the case; the form's UUID makes a double submit propose one referral."""
    case = readable_case(current_user, case_uuid)
    form = ProposeForm.build(case)
    if not form.is_submitted():
        form.uuid.data = str(uuid_module.uuid4())
    if form.validate_on_submit():
        try:
            referral, created = services.propose(case, current_user, form.values(), uuid=form.uuid.data or None)
        except ServiceError as error:
            db.session.rollback()
            error.fields = form.own_fields(error.fields)
            problem = attach_errors(form, error)
            return render_template("referrals/new.html", form=form, case=case, problem=problem), error.status
        db.session.commit()
        if created:
            flash(
                _("Rujukan %(number)s diusulkan; menunggu persetujuan supervisor.", number=referral.number), "success"
            )
        return redirect(url_for(".detail", referral_uuid=referral.uuid))
    return render_template("referrals/new.html", form=form, case=case)


@bp.route("/referrals/<referral_uuid>")
@require("cases.view")
def detail(referral_uuid):
    """A referral: destination, services, reason, consent, each step taken, and the decisions open to the user."""
    return _detail_page(queries.readable_referral(current_user, referral_uuid))


def _detail_page(referral, submitted=None, status=200, problem=None):
    """The referral page at its current state, with a refused ``submitted`` (action, form) in its place."""
    forms = {
        action: DecisionForm(formdata=None, prefix=action, version=referral.version)
        for action in services.actions_for(referral, current_user)
    }
    if submitted is not None and submitted[0] in forms:
        forms[submitted[0]] = submitted[1]
    context = {
        "referral": referral,
        "forms": forms,
        "problem": problem,
        "problem_action": submitted[0] if submitted else None,
        "overdue": referral.id in queries.overdue_ids(current_user.agency, [referral.id]),
    }
    return render_template("referrals/detail.html", **context), status


@bp.post("/referrals/<referral_uuid>/<any(approve, reject):action>")
@require("referrals.decide")
def decide(referral_uuid, action):
    """A supervisor approves or rejects the referral."""
    return _perform(referral_uuid, action)


@bp.post("/referrals/<referral_uuid>/<any(accept, decline, complete):action>")
@require("referrals.answer")
def answer(referral_uuid, action):
    """The receiving side accepts or declines the referral, or records its result."""
    return _perform(referral_uuid, action)


def _perform(referral_uuid, action):
    """Runs decision ``action`` with its submitted form; a refusal shows the referral again, nothing saved."""
    referral = queries.readable_referral(current_user, referral_uuid)
    form = DecisionForm(prefix=action)
    if not form.validate_on_submit():
        return _detail_page(referral, (action, form), 422)
    operation = services.DECISIONS[action][0]
    field = DECISION_TEXT[action][0]
    try:
        operation(referral, current_user, form.version.data, {field: form.text.data})
    except ServiceError as error:
        db.session.rollback()
        form.text.errors = [*form.text.errors, *error.fields.get(field, [])]
        if isinstance(error, Conflict):
            # Offered again at the version stored now, with what was typed.
            form.version.raw_data, form.version.data = [], referral.version
        return _detail_page(referral, (action, form), error.status, None if form.text.errors else error.message)
    db.session.commit()
    flash(DONE[action](), "success")
    return redirect(safe_next_url(form.next.data) or url_for(".detail", referral_uuid=referral.uuid))


@bp.route("/referrals/<referral_uuid>/letter")
@require("cases.view")
def letter(referral_uuid):
    """The referral letter (surat rujukan), A4, printed from the browser; only once a supervisor approved it."""
    referral = queries.readable_referral(current_user, referral_uuid)
    if referral.status not in LETTER_STATUSES:
        raise Conflict(_("Surat rujukan baru bisa dicetak setelah rujukan disetujui supervisor."))
    return render_template(
        "referrals/letter.html", referral=referral, agency=current_user.agency, sex_labels=SEX_LABELS
    )
