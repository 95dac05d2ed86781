"""Closure pages: propose a closure from the case page, approve or reject it (from the case or the desk), reopen.

Each view parses its form, calls one closure operation, commits and
redirects: to the desk when the form came from there, else to the case. A
refusal rolls back and shows that page again with the reason and its status
(422, 403 for one's own proposal, 409 when stale or already decided).
"""

import uuid as uuid_module

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.admin.forms import attach_errors
from casework.cases import queries
from casework.cases.forms import TerminateForm
from casework.cases.models import Outcome
from casework.cases.routes import case_labels, detail_page
from casework.closure import services
from casework.closure.forms import DecisionForm, RejectForm, ReopenForm
from casework.closure.models import ClosureStatus
from casework.core.errors import ServiceError
from casework.core.permissions import can, require
from casework.desk.routes import render_desk
from casework.extensions import db

bp = Blueprint("closure", __name__)
# A refusal shows the case page, which reads the case blueprint's label tables.
bp.context_processor(case_labels)

DESK = "desk"


@bp.app_context_processor
def _closure_panel():
    """``closure_panel(case)`` for the case page: the pending closure, the last rejection, and the forms offered."""

    def closure_panel(case):
        history = services.closures(case)
        pending = next((closure for closure in history if closure.status == ClosureStatus.PENDING), None)
        panel = {
            "pending": pending,
            "rejected": history[0] if history and history[0].status == ClosureStatus.REJECTED else None,
            "can_decide": bool(pending) and can(current_user, "cases.close_decide"),
            "propose_form": None,
            "reopen_form": None,
            # A refused proposal or reopening is shown again, open, with its reason.
            "refused": "closure_form" in g or "reopen_form" in g,
        }
        if case.is_open and not pending and can(current_user, "cases.manage"):
            panel["propose_form"] = g.get("closure_form") or _proposal_form(case)
        if not case.is_open and can(current_user, "cases.close_decide"):
            panel["reopen_form"] = g.get("reopen_form") or _fresh(ReopenForm, case, "reopen-")
        return panel

    return {"closure_panel": closure_panel, "closure_form": _decision_form}


def _fresh(form_class, case, prefix, uuid=False):
    """A form as first shown: at the case's version, with a new UUID for a proposal."""
    form = form_class(formdata=None, prefix=prefix, version=case.version)
    if uuid:
        form.uuid.data = str(uuid_module.uuid4())
    return form


def _proposal_form(case):
    """A fresh closure proposal; ``?outcome=`` (a link from a reunification or an arrival home) preselects it."""
    form = _fresh(TerminateForm, case, "terminate-", uuid=True)
    suggested = request.args.get("outcome")
    if suggested in {outcome.value for outcome in Outcome}:
        form.outcome.data = suggested
    return form


def _decision_form(kind, closure, next_page=None):
    """An "approve" or "reject" form for ``closure`` at its version."""
    if kind == "approve":
        return DecisionForm(formdata=None, version=closure.version, next=next_page)
    form = RejectForm(formdata=None, version=closure.version, next=next_page)
    # Several closures on one desk: each reason box needs its own id for its label.
    form.reason.id = form.reason.label.field_id = f"reason-{closure.uuid}"
    return form


def _refused(case, error, form=None, slot=None, to_desk=False):
    """Rolls back and shows the desk or the case page again with the reason of ``error``."""
    db.session.rollback()
    if form is not None:
        attach_errors(form, error)
        g.setdefault(slot, form)
    if to_desk:
        return render_desk(error.message, error.status)
    return detail_page(case, status=error.status, problem=error.message)


def _done(case, message, to_desk=False):
    """Commits, tells the user, and returns to the desk or the case's step."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("desk.index") if to_desk else url_for("cases.detail", case_uuid=case.uuid) + "#step")


@bp.post("/cases/<case_uuid>/closure")
@require("cases.manage")
def propose(case_uuid):
    """Proposes to close the case: it stays open until a supervisor approves."""
    case = queries.readable_case(current_user, case_uuid)
    form = TerminateForm(prefix="terminate-")
    try:
        form.validate_on_submit()
        services.propose_closure(case, current_user, form.version.data, form.values(), uuid=form.uuid.data or None)
    except ServiceError as error:
        form.version.raw_data, form.version.data = [], case.version
        return _refused(case, error, form, "closure_form")
    return _done(case, _("Usulan terminasi dikirim. Kasus tetap terbuka sampai supervisor menyetujui."))


def _decide(case_uuid, closure_uuid, form_class, operation, message):
    """Runs a decision on the case's closure from its form; back to the desk when it came from there."""
    case = queries.readable_case(current_user, case_uuid)
    closure = services.case_closure(case, closure_uuid)
    form = form_class()
    form.validate_on_submit()
    to_desk = form.next.data == DESK
    try:
        operation(closure, current_user, form.version.data, form.values())
    except ServiceError as error:
        return _refused(case, error, to_desk=to_desk)
    return _done(case, message, to_desk)


@bp.post("/cases/<case_uuid>/closure/<closure_uuid>/approve")
@require("cases.close_decide")
def approve(case_uuid, closure_uuid):
    """Approves the closure: the case is terminated as proposed (and its aftercare starts)."""
    return _decide(case_uuid, closure_uuid, DecisionForm, services.approve_closure, _("Terminasi disetujui."))


@bp.post("/cases/<case_uuid>/closure/<closure_uuid>/reject")
@require("cases.close_decide")
def reject(case_uuid, closure_uuid):
    """Rejects the closure with a reason: the case stays open."""
    return _decide(case_uuid, closure_uuid, RejectForm, services.reject_closure, _("Usulan terminasi ditolak."))


@bp.post("/cases/<case_uuid>/reopen")
@require("cases.close_decide")
def reopen(case_uuid):
    """Reopens a terminated case with a reason."""
    case = queries.readable_case(current_user, case_uuid)
    form = ReopenForm(prefix="reopen-")
    try:
        form.validate_on_submit()
        services.reopen(case, current_user, form.version.data, form.values())
    except ServiceError as error:
        form.version.raw_data, form.version.data = [], case.version
        return _refused(case, error, form, "reopen_form")
    return _done(case, _("Kasus dibuka kembali."))
