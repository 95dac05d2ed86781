"""Case pages: the caseload, opening a case for a client, and the case page with its steps and timeline.

Each view parses its form, calls one case operation, commits and redirects. A
refusal rolls back and shows the page again with the current state: 422 with
messages by field, 409 with the stale-version notice (what was typed kept).
"""

import uuid as uuid_module
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from casework.access import gate
from casework.access import services as access_services
from casework.access.forms import BreakGlassForm
from casework.access.pages import handle_restricted, restricted_page
from casework.admin.forms import attach_errors
from casework.auth.models import Role
from casework.cases import intake, labels, queries
from casework.cases.forms import OVERDUE_LABELS, CaseloadFilterForm, IntakeForm
from casework.cases.models import OPEN_STAGES, Stage
from casework.cases.steps import STEPS, catalogue, page_forms
from casework.clients.queries import readable_client
from casework.core.errors import Conflict, Restricted, ServiceError
from casework.core.masking import identity
from casework.core.pagination import COUNT_BOUND, paginate
from casework.core.permissions import can, require
from casework.extensions import db
from casework.reference.models import Service

bp = Blueprint("cases", __name__)
# Sensitive records (casework.access), for every page and API call: the restricted page, the views' audit
# rows committed, and a client's identity as the signed-in user may read it in templates.
bp.app_errorhandler(Restricted)(handle_restricted)
bp.after_app_request(gate.commit_views)
bp.app_template_global("identity")(identity)

# The caseload's tabs, and the roles that see each; the first a role sees is its default.
TABS = {
    "mine": (_l("Kasus saya"), {Role.CASEWORKER, Role.SUPERVISOR}),
    "unit": (_l("Unit saya"), {Role.SUPERVISOR}),
    "all": (_l("Semua"), {Role.SUPERVISOR, Role.ADMIN, Role.DATA_OFFICER}),
}


@bp.context_processor
def case_labels():
    """Label tables for stages, channels, settings, outcomes, timeline events and overdue kinds."""
    return {
        "stage_labels": labels.STAGE_LABELS,
        "channel_labels": labels.CHANNEL_LABELS,
        "setting_labels": labels.SETTING_LABELS,
        "outcome_labels": labels.OUTCOME_LABELS,
        "event_labels": labels.EVENT_LABELS,
        "overdue_labels": OVERDUE_LABELS,
        "stages": list(Stage),
        "open_stages": OPEN_STAGES,
        "count_bound": COUNT_BOUND,
    }


def holder_filter(scope, user):
    """The caseload filter of a tab: my cases, my unit's, or the agency's."""
    if scope == "mine":
        return {"caseworker_id": user.id}
    if scope == "unit":
        return {"unit_id": user.unit_id}
    return {}


def _tabs():
    """The tabs the signed-in user sees, in order."""
    return [key for key, (_label, roles) in TABS.items() if current_user.role in roles]


@bp.route("/")
@require("cases.view")
def index():
    """The caseload of the chosen tab, filtered by stage, overdue kind and a search; counts link to filters."""
    filters = CaseloadFilterForm()
    values = filters.values()
    tabs = _tabs()
    scope = values.pop("scope", None)
    scope = scope if scope in tabs else tabs[0]
    filters.scope.data = scope
    agency = current_user.agency
    holder = holder_filter(scope, current_user)
    found = queries.caseload(agency, **holder, **values, user=current_user)
    parts = queries.caseload_parts(agency, **holder, **values, user=current_user)
    page = paginate(found, bound=COUNT_BOUND, parts=parts)
    gate.hide_unreadable(current_user, [case.client_id for case in page.items])
    stage_counts, overdue_counts = queries.caseload_counts(agency, **holder, user=current_user)
    context = {
        "filters": filters,
        "page": page,
        "tabs": [(key, TABS[key][0]) for key in tabs],
        "scope": scope,
        "flags": queries.overdue_flags(agency, [case.id for case in page.items]),
        "stage_counts": stage_counts,
        "overdue_counts": overdue_counts,
    }
    return render_template("cases/index.html", **context)


@bp.route("/new", methods=["GET", "POST"])
@require("cases.manage")
def new():
    """Opens a case for the client named by ``?client=``; the form's UUID makes a double submit open one case."""
    client = readable_client(current_user, request.args.get("client"))
    form = IntakeForm.build(current_user.agency_id)
    if not form.is_submitted():
        form.uuid.data = str(uuid_module.uuid4())
        form.unit_id.data = str(current_user.unit_id or "")
        form.caseworker_id.data = str(current_user.id) if current_user.role in intake.CASE_HOLDERS else ""
    if form.validate_on_submit():
        try:
            case, created = intake.open_case(
                current_user.agency, current_user, client, form.values(), uuid=form.uuid.data or None
            )
        except ServiceError as error:
            db.session.rollback()
            problem = attach_errors(form, error)
            return render_template("cases/new.html", form=form, client=client, problem=problem), error.status
        db.session.commit()
        if created:
            flash(_("Kasus %(number)s dibuka.", number=case.number), "success")
        return redirect(url_for(".detail", case_uuid=case.uuid))
    return render_template("cases/new.html", form=form, client=client)


@bp.route("/<case_uuid>")
@require("cases.view")
def detail(case_uuid):
    """A case: header, stage progress, the step for its stage, setting, needs, deliveries, notes and timeline."""
    return detail_page(queries.readable_case(current_user, case_uuid))


def detail_page(case, submitted=None, status=200, problem=None):
    """The case page at its current state, with a refused ``submitted`` (action, form) in its place."""
    forms = page_forms(case, submitted) if can(current_user, "cases.manage") else {}
    if "assign" in forms and not can(current_user, "cases.assign"):
        del forms["assign"]
    events = queries.timeline(case)
    context = {
        "case": case,
        "forms": forms,
        "problem": problem,
        "problem_action": submitted[0] if submitted else None,
        "assessment_services": catalogue(case)[0] if case.stage == Stage.ASSESSMENT else None,
        "needs": queries.needs(case),
        "totals": queries.delivered_totals(case),
        "deliveries": queries.deliveries(case),
        "notes": queries.notes(case),
        "attachments": queries.attachments(case),
        "events": events,
        "service_names": _service_names(events),
        "today": date.today(),
    }
    return render_template("cases/detail.html", **context), status


def _service_names(events):
    """{slug: name} of the services the timeline mentions."""
    slugs = {event.details.get("service") for event in events} - {None}
    if not slugs:
        return {}
    return dict(db.session.execute(sa.select(Service.slug, Service.name).where(Service.slug.in_(slugs))).all())


@bp.post("/<case_uuid>/break-glass")
@require("cases.manage")
def break_glass(case_uuid):
    """Emergency access to a restricted case: with a reason, for a while, reported to the unit's supervisors."""
    case = queries.agency_case(current_user.agency_id, case_uuid)
    form = BreakGlassForm()
    try:
        access_services.break_glass(current_user, case, form.reason.data)
    except ServiceError as error:
        db.session.rollback()
        problem = attach_errors(form, error)
        refused = gate.refusal(current_user, case) or Restricted(gate.restricted_message(), record=case)
        return restricted_page(refused, form, error.status, problem)
    db.session.commit()
    flash(_("Akses darurat diberikan dan dilaporkan kepada supervisor unit."), "success")
    return redirect(url_for(".detail", case_uuid=case.uuid))


@bp.post("/<case_uuid>/assign")
@require("cases.assign")
def assign(case_uuid):
    """Hands the case to another unit and caseworker."""
    return _perform(case_uuid, "assign")


@bp.post("/<case_uuid>/<action>")
@require("cases.manage")
def step(case_uuid, action):
    """Takes one step on the case (begin assessment, assess, plan, deliver, terminate, stay, note...)."""
    if action not in STEPS or action == "assign":
        abort(404)
    return _perform(case_uuid, action)


def _perform(case_uuid, action):
    """Runs ``action`` with its submitted form; a refusal shows the case page again, nothing saved."""
    case = queries.readable_case(current_user, case_uuid)
    form = STEPS[action].build(case, prefix=f"{action}-")
    if not form.validate_on_submit():
        return detail_page(case, (action, form), 422)
    try:
        STEPS[action].run(case, current_user, form)
    except ServiceError as error:
        db.session.rollback()
        problem = attach_errors(form, error)
        if isinstance(error, Conflict):
            # Offered again at the version stored now, with what was typed.
            problem = error.message
            form.version.raw_data, form.version.data = [], case.version
        return detail_page(case, (action, form), error.status, problem)
    db.session.commit()
    flash(str(STEPS[action].done), "success")
    return redirect(url_for(".detail", case_uuid=case.uuid) + f"#{_anchor(action)}")


def _anchor(action):
    """Where on the case page the user returns after ``action``."""
    anchors = {
        "deliver": "deliveries",
        "note": "notes",
        "attach": "attachments",
        "admit": "setting",
        "discharge": "setting",
    }
    return anchors.get(action, "step")
