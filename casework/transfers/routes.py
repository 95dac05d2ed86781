"""Transfer and return pages: proposing and deciding transfers, the agency's lists, and return-to-origin steps.

Each view parses its form, calls one operation, commits and redirects (to the
``next`` page when the form came from the desk). A refusal rolls back and shows
the page again with the state now: 422 with messages by field, 409 when it
was decided meanwhile or is in the wrong state, 403 for the proposer deciding
their own proposal, 404 for another agency's case or transfer.
"""

import uuid as uuid_module

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.admin.forms import attach_errors
from casework.cases.labels import SETTING_LABELS, STAGE_LABELS
from casework.cases.models import Outcome
from casework.cases.queries import readable_case
from casework.core.errors import ServiceError
from casework.core.i18n import safe_next_url
from casework.core.pagination import paginate
from casework.core.permissions import can, require
from casework.extensions import db
from casework.transfers import queries, returns, services
from casework.transfers.forms import (
    AcceptForm,
    ArrivalForm,
    DecisionForm,
    DeclineForm,
    DepartureForm,
    ReturnForm,
    TransferForm,
)
from casework.transfers.labels import (
    HANDOVER_LABELS,
    RETURN_STATUS_LABELS,
    TRANSFER_STATUS_LABELS,
    TRAVEL_MODE_LABELS,
)
from casework.transfers.models import ReturnStatus, TransferStatus

bp = Blueprint("transfers", __name__)


@bp.app_context_processor
def _labels():
    """Label tables, and the case page's transfer and return section data (``transfer_section(case)``)."""
    return {
        "transfer_status_labels": TRANSFER_STATUS_LABELS,
        "return_status_labels": RETURN_STATUS_LABELS,
        "travel_mode_labels": TRAVEL_MODE_LABELS,
        "handover_labels": HANDOVER_LABELS,
        "transfer_section": _case_section,
    }


def _case_section(case):
    """What the case page's transfer and return section shows: the transfer under way, the returns, their forms."""
    pending = services.pending_transfer(case)
    plans = returns.returns_of(case)
    step_forms = {}
    for plan in plans:
        if plan.status == ReturnStatus.PLANNED:
            step_forms[plan.id] = DepartureForm(formdata=None, version=plan.version, prefix="departure-")
        elif plan.status == ReturnStatus.DEPARTED:
            step_forms[plan.id] = ArrivalForm(formdata=None, version=plan.version, prefix="arrival-")
    return {
        "pending": pending,
        "plans": plans,
        "step_forms": step_forms,
        "can_manage": can(current_user, "cases.manage") and case.is_open,
        "can_propose": can(current_user, "transfers.propose") and case.is_open and pending is None,
        "can_plan": can(current_user, "cases.manage")
        and case.is_open
        and all(p.status == ReturnStatus.ARRIVED for p in plans),
        "returned": any(plan.status == ReturnStatus.ARRIVED for plan in plans) and case.is_open,
        "returned_outcome": Outcome.RETURNED_TO_ORIGIN,
    }


def _done(default):
    """Where to go after a step: the form's ``next`` page on this site, else ``default``."""
    return redirect(safe_next_url(request.form.get("next")) or default)


# ---------------------------------------------------------------- transfers


@bp.route("/transfers/")
@require("cases.view")
def index():
    """The agency's outgoing transfers (``?direction=out``, default) or incoming ones (``?direction=in``)."""
    direction = "in" if request.args.get("direction") == "in" else "out"
    status = request.args.get("status") or None
    if status not in {s.value for s in TransferStatus}:
        status = None
    lister = queries.incoming if direction == "in" else queries.outgoing
    page = paginate(lister(current_user.agency_id, status))
    return render_template("transfers/index.html", page=page, direction=direction, status=status)


def _transfer_page(transfer, forms=None, problem=None, status=200):
    """A transfer's page: its facts (as at hand-over once accepted) and the decisions the user may take."""
    forms = forms or {}
    user = current_user
    if can(user, "transfers.decide"):
        if transfer.status == TransferStatus.PROPOSED and user.agency_id == transfer.from_agency_id:
            forms.setdefault("decide", DecisionForm(formdata=None, version=transfer.version))
        if transfer.status == TransferStatus.APPROVED and user.agency_id == transfer.to_agency_id:
            candidates = services.receiving_candidates(transfer)
            forms.setdefault(
                "accept", AcceptForm.build(user.agency_id, candidates, formdata=None, version=transfer.version)
            )
            forms.setdefault("decline", DeclineForm(formdata=None, version=transfer.version, prefix="decline-"))
            if not forms["accept"].is_submitted():
                forms["accept"].unit_id.data = str(user.unit_id or "")
    context = {
        "transfer": transfer,
        "forms": forms,
        "problem": problem,
        "sender": user.agency_id == transfer.from_agency_id,
        "case_visible": transfer.case.agency_id == user.agency_id,
        "stage_labels": STAGE_LABELS,
        "setting_labels": SETTING_LABELS,
    }
    return render_template("transfers/detail.html", **context), status


@bp.route("/transfers/<transfer_uuid>")
@require("cases.view")
def detail(transfer_uuid):
    """One transfer, as the sending or receiving agency sees it."""
    return _transfer_page(services.readable_transfer(current_user, transfer_uuid))


@bp.route("/cases/<case_uuid>/transfers/new", methods=["GET", "POST"])
@require("transfers.propose")
def propose(case_uuid):
    """Proposes transferring the case to another agency; the form's UUID makes a double submit harmless."""
    case = readable_case(current_user, case_uuid)
    form = TransferForm.build(current_user.agency_id)
    if not form.is_submitted():
        form.uuid.data = str(uuid_module.uuid4())
    done = _("Usulan pemindahan dikirim ke supervisor.")
    return _create(case, form, services.propose_transfer, "transfers/new.html", done, "#transfers")


def _create(case, form, operation, template, done, anchor):
    """Runs a create ``operation`` of the case with the valid form; its page again with the reasons on a refusal."""
    problem, status = None, 200
    if form.validate_on_submit():
        try:
            _record, created = operation(case, current_user, form.values(), uuid=form.uuid.data)
        except ServiceError as error:
            db.session.rollback()
            problem, status = attach_errors(form, error), error.status
        else:
            db.session.commit()
            if created:
                flash(done, "success")
            return redirect(url_for("cases.detail", case_uuid=case.uuid) + anchor)
    return render_template(template, form=form, case=case, problem=problem), status


def _decide(transfer_uuid, build_form, operation, done, target=None):
    """Runs a decision on the transfer with its submitted form; a refusal shows the transfer page again.

    ``build_form(transfer)`` makes the form; after success the user goes to the form's ``next`` page, else
    ``target(transfer)``, else the transfer's page.
    """
    transfer = services.readable_transfer(current_user, transfer_uuid)
    form = build_form(transfer)
    name = {DecisionForm: "decide", DeclineForm: "decline", AcceptForm: "accept"}[type(form)]
    if not form.validate_on_submit():
        return _transfer_page(transfer, {name: form}, None, 422)
    try:
        operation(transfer, current_user, form.version.data, form.values())
    except ServiceError as error:
        db.session.rollback()
        problem = attach_errors(form, error)
        form.version.raw_data, form.version.data = [], transfer.version
        return _transfer_page(transfer, {name: form}, problem or error.message, error.status)
    db.session.commit()
    flash(str(done), "success")
    return _done(target(transfer) if target else url_for(".detail", transfer_uuid=transfer.uuid))


def _approve(transfer, actor, version, values):
    """The sending supervisor's approval."""
    return services.decide_transfer(transfer, actor, version, values, approve=True)


def _reject(transfer, actor, version, values):
    """The sending supervisor's rejection."""
    return services.decide_transfer(transfer, actor, version, values, approve=False)


@bp.post("/transfers/<transfer_uuid>/approve")
@require("transfers.decide")
def approve(transfer_uuid):
    """The sending supervisor approves the transfer."""
    done = _("Pemindahan disetujui; menunggu jawaban dinas penerima.")
    return _decide(transfer_uuid, lambda _transfer: DecisionForm(), _approve, done)


@bp.post("/transfers/<transfer_uuid>/reject")
@require("transfers.decide")
def reject(transfer_uuid):
    """The sending supervisor rejects the transfer, with a reason."""
    return _decide(transfer_uuid, lambda _transfer: DecisionForm(), _reject, _("Pemindahan ditolak."))


@bp.post("/transfers/<transfer_uuid>/accept")
@require("transfers.decide")
def accept(transfer_uuid):
    """The receiving agency accepts: the case becomes theirs, and the user goes to it."""

    def build(transfer):
        return AcceptForm.build(current_user.agency_id, services.receiving_candidates(transfer))

    done = _("Pemindahan diterima; kasus kini ditangani dinas ini.")
    target = lambda transfer: url_for("cases.detail", case_uuid=transfer.case.uuid)  # noqa: E731
    return _decide(transfer_uuid, build, services.accept_transfer, done, target)


@bp.post("/transfers/<transfer_uuid>/decline")
@require("transfers.decide")
def decline(transfer_uuid):
    """The receiving agency declines, with a reason."""
    form = lambda _transfer: DeclineForm(prefix="decline-")  # noqa: E731
    return _decide(transfer_uuid, form, services.decline_transfer, _("Pemindahan tidak diterima."))


# ---------------------------------------------------------------- returns


@bp.route("/cases/<case_uuid>/returns/new", methods=["GET", "POST"])
@require("cases.manage")
def plan_return(case_uuid):
    """Plans the return of the case's client to their village of origin."""
    case = readable_case(current_user, case_uuid)
    form = ReturnForm.build(current_user.agency_id)
    if not form.is_submitted():
        form.uuid.data = str(uuid_module.uuid4())
        form.from_place.data = case.intake_place
        form.to_region_code.data = case.client.origin_region_code
    done = _("Rencana pemulangan disimpan.")
    return _create(case, form, returns.plan_return, "transfers/return_new.html", done, "#returns")


def _return_step(case_uuid, plan_uuid, form, operation, done):
    """Runs a step of a return plan with its submitted form; a refusal shows the step's page with the message."""
    case = readable_case(current_user, case_uuid)
    plan = returns.case_return(case, plan_uuid)
    if form.validate_on_submit():
        try:
            operation(plan, current_user, form.version.data, form.values())
        except ServiceError as error:
            db.session.rollback()
            problem = attach_errors(form, error) or error.message
            form.version.raw_data, form.version.data = [], plan.version
            context = {"case": case, "plan": plan, "form": form, "problem": problem}
            return render_template("transfers/return_step.html", **context), error.status
        db.session.commit()
        flash(str(done), "success")
        return redirect(url_for("cases.detail", case_uuid=case.uuid) + "#returns")
    return render_template("transfers/return_step.html", case=case, plan=plan, form=form, problem=None), 422


@bp.post("/cases/<case_uuid>/returns/<plan_uuid>/departure")
@require("cases.manage")
def depart(case_uuid, plan_uuid):
    """Records that the client set off."""
    form = DepartureForm(prefix="departure-")
    return _return_step(case_uuid, plan_uuid, form, returns.record_departure, _("Keberangkatan dicatat."))


@bp.post("/cases/<case_uuid>/returns/<plan_uuid>/arrival")
@require("cases.manage")
def arrive(case_uuid, plan_uuid):
    """Confirms the client's arrival and who received them."""
    form = ArrivalForm(prefix="arrival-")
    return _return_step(
        case_uuid, plan_uuid, form, returns.confirm_arrival, _("Kedatangan di daerah asal dikonfirmasi.")
    )
