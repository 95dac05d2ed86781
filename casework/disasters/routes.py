"""Disaster pages: the events, one event with its sites, event and site forms, status steps, a site's occupancy.

Each page parses its form, calls one operation of ``casework.disasters``,
commits once and redirects; a refusal rolls back and shows the form again
with the messages beside the fields (a stale version: the record as it is
now). Names of people are personal data: pages showing them need
``disasters.register``; viewers see counts only. Registration, households
and people are in ``register_routes``, on this blueprint.
"""

import uuid as uuid_module

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.admin.forms import attach_errors
from casework.core.errors import ServiceError
from casework.core.localtime import local_today
from casework.core.pagination import paginate
from casework.core.permissions import can, require
from casework.disasters import events, labels, queries, sites
from casework.disasters.forms import EventForm, SiteForm, StepForm
from casework.extensions import db

bp = Blueprint("disasters", __name__)


@bp.app_context_processor
def _disaster_labels():
    """Label tables for the disaster templates (D2's pages use them too)."""
    return {
        "disaster_kind_labels": labels.KIND_LABELS,
        "disaster_status_labels": labels.STATUS_LABELS,
        "disaster_relation_labels": labels.RELATION_LABELS,
        "disaster_vulnerable_labels": labels.VULNERABLE_LABELS,
    }


def _save(form, template, operation, done, context):
    """Shows ``form``; on a submission runs ``operation(values)``, commits and goes to ``done(result)``."""
    if not form.is_submitted():
        if not form.uuid.data:
            form.uuid.data = str(uuid_module.uuid4())
        return render_template(template, form=form, **context)
    try:
        result = operation(form.values())
    except ServiceError as error:
        db.session.rollback()
        problem = attach_errors(form, error)
        return render_template(template, form=form, problem=problem, **context), error.status
    db.session.commit()
    return done(result)


@bp.route("/")
@require("disasters.view")
def index():
    """The agency's disaster events, latest first, with households and people registered."""
    page = paginate(queries.events_select(current_user.agency_id))
    counts = queries.registered_counts([event.id for event in page.items])
    return render_template("disasters/index.html", page=page, counts=counts)


@bp.route("/new", methods=["GET", "POST"])
@require("disasters.manage")
def new_event():
    """Opens a disaster event in emergency response."""
    form = EventForm()
    if not form.is_submitted():
        form.emergency_from.data = form.occurred_on.data

    def create(values):
        event, created = events.create_event(current_user.agency, current_user, values, uuid=form.uuid.data)
        if created:
            flash(_("Bencana %(number)s dicatat.", number=event.number), "success")
        return event

    return _save(form, "disasters/event_form.html", create, _to_event, {"event": None})


def _to_event(event):
    """Back to the event's page."""
    return redirect(url_for(".event", event_uuid=event.uuid))


@bp.route("/<event_uuid>")
@require("disasters.view")
def event(event_uuid):
    """One event: its status and period, villages, sites with people there now, and the latest households."""
    row = queries.event(current_user.agency_id, event_uuid)
    households = queries.latest_households(row) if can(current_user, "disasters.register") else []
    step = StepForm(version=row.version, status=events.NEXT_STATUS.get(row.status, ""), formdata=None)
    return render_template(
        "disasters/event.html",
        event=row,
        counts=queries.registered_counts([row.id]).get(row.id, (0, 0)),
        site_counts=sites.current_counts(row.id),
        households=households,
        step=step,
        next_status=events.NEXT_STATUS.get(row.status),
        today=local_today(),
    )


@bp.route("/<event_uuid>/edit", methods=["GET", "POST"])
@require("disasters.manage")
def edit_event(event_uuid):
    """Corrects the event at the version read."""
    row = queries.event(current_user.agency_id, event_uuid)
    form = EventForm(obj=None if request.method == "POST" else row)
    if not form.is_submitted():
        form.villages.data = [village.region_code for village in row.villages]
        form.version.data = row.version
        form.uuid.data = str(row.uuid)

    def update(values):
        events.update_event(row, current_user, form.version.data, values)
        flash(_("Data bencana disimpan."), "success")
        return row

    return _save(form, "disasters/event_form.html", update, _to_event, {"event": row})


@bp.route("/<event_uuid>/status", methods=["POST"])
@require("disasters.manage")
def advance_status(event_uuid):
    """Moves the event one step: emergency → recovery → closed."""
    row = queries.event(current_user.agency_id, event_uuid)
    done = _step(events.advance_status, row)
    if done:
        flash(_("Status bencana sekarang: %(status)s.", status=labels.STATUS_LABELS[row.status]), "success")
    return redirect(url_for(".event", event_uuid=event_uuid))


def _step(operation, row):
    """Runs ``operation(row, actor, version, form data)`` from a StepForm and commits; flashes a refusal."""
    form = StepForm()
    try:
        operation(row, current_user, form.version.data, form.data, today=local_today())
    except ServiceError as error:
        db.session.rollback()
        flash(refusal_message(error), "error")
        return False
    db.session.commit()
    return True


def refusal_message(error):
    """A refusal in one line: its message and its field messages."""
    details = [message for messages in error.fields.values() for message in messages]
    return " ".join([error.message, *details]) if details else error.message


@bp.route("/<event_uuid>/sites/new", methods=["GET", "POST"])
@require("disasters.manage")
def new_site(event_uuid):
    """Adds an evacuation site to the event."""
    row = queries.event(current_user.agency_id, event_uuid)
    form = SiteForm()

    def create(values):
        site, created = sites.add_site(row, current_user, values, uuid=form.uuid.data)
        if created:
            flash(_("Tempat pengungsian %(name)s ditambahkan.", name=site.name), "success")
        return site

    return _save(form, "disasters/site_form.html", create, _to_site, {"event": row, "site": None})


def _to_site(site):
    """Back to the site's page."""
    return redirect(url_for(".site", event_uuid=site.event.uuid, site_uuid=site.uuid))


@bp.route("/<event_uuid>/sites/<site_uuid>")
@require("disasters.view")
def site(event_uuid, site_uuid):
    """A site: capacity, people there now, occupancy per day, and (for registering staff) its latest households."""
    row = queries.event(current_user.agency_id, event_uuid)
    site_row = queries.site(current_user.agency_id, site_uuid, row)
    occupancy = sites.occupancy(site_row, local_today())
    households = queries.latest_households(row, site_row, 20) if can(current_user, "disasters.register") else []
    return render_template(
        "disasters/site.html",
        event=row,
        site=site_row,
        occupancy=occupancy,
        peak=max((count for _day, count in occupancy), default=0),
        now=sites.current_counts(row.id).get(site_row.id, 0),
        households=households,
        close=StepForm(version=site_row.version, formdata=None),
        today=local_today(),
    )


@bp.route("/<event_uuid>/sites/<site_uuid>/edit", methods=["GET", "POST"])
@require("disasters.manage")
def edit_site(event_uuid, site_uuid):
    """Corrects a site at the version read."""
    row = queries.event(current_user.agency_id, event_uuid)
    site_row = queries.site(current_user.agency_id, site_uuid, row)
    form = SiteForm(obj=None if request.method == "POST" else site_row)
    if not form.is_submitted():
        form.version.data, form.uuid.data = site_row.version, str(site_row.uuid)
        form.opened_on.data = site_row.opened_on.isoformat()

    def update(values):
        sites.update_site(site_row, current_user, form.version.data, values)
        flash(_("Tempat pengungsian disimpan."), "success")
        return site_row

    return _save(form, "disasters/site_form.html", update, _to_site, {"event": row, "site": site_row})


@bp.route("/<event_uuid>/sites/<site_uuid>/close", methods=["POST"])
@require("disasters.manage")
def close_site(event_uuid, site_uuid):
    """Closes a site; everyone still there leaves that day."""
    row = queries.event(current_user.agency_id, event_uuid)
    if _step(sites.close_site, queries.site(current_user.agency_id, site_uuid, row)):
        flash(_("Tempat pengungsian ditutup."), "success")
    return redirect(url_for(".site", event_uuid=event_uuid, site_uuid=site_uuid))


# Registration, households and people: their views attach to ``bp``.
from casework.disasters import register_routes  # noqa: E402, F401
