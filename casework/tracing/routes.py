"""Pages of family tracing and reunification: the case page's section, and one page per operation.

The case page shows the section (``templates/tracing/_case_section.html``)
with its forms; each posts to its operation's route here. Success returns to
the case page (or to ``next``, e.g. the supervisor's desk); a refusal shows
the operation's own page with what was typed and the messages by field,
nothing saved. The same pages answer GET, so the desk can link to them.
"""

import uuid as uuid_module
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from casework.admin.forms import attach_errors
from casework.cases.models import OPEN_STAGES
from casework.cases.queries import readable_case
from casework.core.errors import Conflict, ServiceError
from casework.core.i18n import safe_next_url
from casework.core.permissions import can, require
from casework.extensions import db
from casework.tracing import queries, services
from casework.tracing.forms import CloseTracingForm, LeadForm, OpenTracingForm, ReunificationForm, VisitForm
from casework.tracing.labels import KINSHIP_LABELS, METHOD_LABELS, STATUS_LABELS
from casework.tracing.models import TracingStatus

bp = Blueprint("tracing", __name__)


def _fresh(form_class, record=None, **kwargs):
    """A form as first shown: a new UUID for creates, the record's version for changes."""
    form = form_class.build(formdata=None, **kwargs)
    if "uuid" in form:
        form.uuid.data = str(uuid_module.uuid4())
    if record is not None:
        form.version.data = record.version
    return form


def _found(requests):
    """The requests that found the family member sought."""
    return [found for found in requests if found.status == TracingStatus.FOUND]


@bp.app_template_global("tracing_section")
def tracing_section(case):
    """What the case page's tracing section shows: requests, reunification, visits, and the forms that apply."""
    requests = queries.requests(case)
    reunion = queries.reunification(case)
    forms = {"lead": {}, "close": {}, "visit": {}}
    if can(current_user, "cases.manage"):
        if case.stage in OPEN_STAGES:
            forms["open"] = _fresh(OpenTracingForm, prefix="tracing-")
            for tracing in requests:
                if tracing.is_open:
                    forms["lead"][tracing.id] = _fresh(LeadForm, prefix=f"lead{tracing.id}-")
                    forms["close"][tracing.id] = _fresh(CloseTracingForm, tracing, prefix=f"close{tracing.id}-")
            if reunion is None:
                forms["reunify"] = _fresh(ReunificationForm, found_requests=_found(requests), prefix="reunify-")
        for visit in reunion.visits if reunion else ():
            if visit.visited_on is None:
                forms["visit"][visit.id] = _fresh(VisitForm, visit, prefix=f"visit{visit.id}-")
    return {
        "requests": requests,
        "reunification": reunion,
        "forms": forms,
        "today": date.today(),
        "kinship_labels": KINSHIP_LABELS,
        "status_labels": STATUS_LABELS,
        "method_labels": METHOD_LABELS,
    }


def _back(case):
    """Where a finished operation returns: ``next`` when it stays on the site, else the case's tracing section."""
    return safe_next_url(request.values.get("next")) or url_for("cases.detail", case_uuid=case.uuid) + "#tracing"


def _operate(case, kind, form, run, done, title, record=None):
    """Shows the operation's page, or runs it on a valid submission; a refusal shows the page again, unsaved."""
    context = {
        "case": case,
        "kind": kind,
        "form": form,
        "title": title,
        "back": _back(case),
        "next": safe_next_url(request.values.get("next")),
    }
    if not form.is_submitted():
        return render_template("tracing/form.html", **context)
    if not form.validate():
        return render_template("tracing/form.html", **context), 422
    try:
        run()
    except ServiceError as error:
        db.session.rollback()
        problem = attach_errors(form, error)
        if isinstance(error, Conflict):
            problem = error.message
            if record is not None:
                form.version.raw_data, form.version.data = [], record.version
        return render_template("tracing/form.html", problem=problem, **context), error.status
    db.session.commit()
    flash(str(done), "success")
    return redirect(_back(case))


def _case(case_uuid):
    """The signed-in user's agency's case (404 otherwise)."""
    return readable_case(current_user, case_uuid)


def _form(form_class, prefix, record=None, **kwargs):
    """The submitted form, or a fresh one on GET."""
    if request.method == "GET":
        return _fresh(form_class, record, prefix=prefix, **kwargs)
    return form_class.build(prefix=prefix, **kwargs)


@bp.route("/<case_uuid>/tracing/new", methods=["GET", "POST"])
@require("cases.manage")
def open_request(case_uuid):
    """Opens a family tracing request on the case."""
    case = _case(case_uuid)
    form = _form(OpenTracingForm, "tracing-")

    def run():
        services.open_request(case, current_user, form.values(), uuid=form.uuid.data or None)

    return _operate(case, "open", form, run, _l("Penelusuran keluarga dibuka."), _("Buka penelusuran keluarga"))


@bp.route("/<case_uuid>/tracing/<request_uuid>/leads", methods=["GET", "POST"])
@require("cases.manage")
def add_lead(case_uuid, request_uuid):
    """Records a lead followed for a tracing request."""
    case = _case(case_uuid)
    tracing = queries.case_request(case, request_uuid)
    form = _form(LeadForm, f"lead{tracing.id}-")

    def run():
        services.add_lead(case, tracing, current_user, form.values(), uuid=form.uuid.data or None)

    title = _("Jejak penelusuran: %(name)s", name=tracing.sought_name)
    return _operate(case, "lead", form, run, _l("Jejak penelusuran dicatat."), title)


@bp.route("/<case_uuid>/tracing/<request_uuid>/close", methods=["GET", "POST"])
@require("cases.manage")
def close_request(case_uuid, request_uuid):
    """Ends a tracing request found or not found."""
    case = _case(case_uuid)
    tracing = queries.case_request(case, request_uuid)
    form = _form(CloseTracingForm, f"close{tracing.id}-", tracing)

    def run():
        services.close_request(case, tracing, current_user, form.version.data, form.values())

    title = _("Tutup penelusuran: %(name)s", name=tracing.sought_name)
    return _operate(case, "close", form, run, _l("Penelusuran ditutup."), title, tracing)


@bp.route("/<case_uuid>/reunification", methods=["GET", "POST"])
@require("cases.manage")
def reunify(case_uuid):
    """Records the client's reunification with their family, and schedules the follow-up visits."""
    case = _case(case_uuid)
    form = _form(ReunificationForm, "reunify-", found_requests=_found(queries.requests(case)))

    def run():
        services.reunify(case, current_user, form.values(), uuid=form.uuid.data or None)

    return _operate(case, "reunify", form, run, _l("Reunifikasi dicatat."), _("Catat reunifikasi"))


@bp.route("/<case_uuid>/reunification/visits/<int:visit_id>", methods=["GET", "POST"])
@require("cases.manage")
def record_visit(case_uuid, visit_id):
    """Records a follow-up visit after the reunification, against its scheduled slot."""
    case = _case(case_uuid)
    visit = queries.case_visit(case, visit_id)
    form = _form(VisitForm, f"visit{visit.id}-", visit)

    def run():
        services.record_visit(case, visit, current_user, form.version.data, form.values())

    title = _("Kunjungan lanjutan hari ke-%(n)d", n=visit.day_offset)
    return _operate(case, "visit", form, run, _l("Kunjungan lanjutan dicatat."), title, visit)
