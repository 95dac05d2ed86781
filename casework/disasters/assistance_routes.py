"""Pages for assistance: a site's distribution list per day, one person's or household's assistance, the situation.

The distribution list works without JavaScript (one form for the whole
list); ``static/js/distribution.js`` saves each tick at once through the
API (``casework.disasters.assistance_api``). A refusal rolls back and says why, naming the person.
"""

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.core.errors import ServiceError
from casework.core.figures import percent
from casework.core.localtime import local_today
from casework.core.permissions import can, require
from casework.disasters import distribution
from casework.disasters.assistance import event_of, member_of, record_values, site_of
from casework.disasters.assistance_labels import KIND_LABELS, SHORT_LABELS
from casework.disasters.models import AffectedHousehold, AffectedPerson, AssistanceKind
from casework.disasters.situation import situation as event_situation
from casework.extensions import db
from casework.reference.models import Service

bp = Blueprint("disaster_assistance", __name__)


def _day(value):
    """The day a URL names (YYYY-MM-DD); 404 otherwise."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(404)


@bp.route("/<event_uuid>/situation")
@require("disasters.view")
def situation(event_uuid):
    """The event's situation: people by site and village, vulnerable groups, assistance per day, gaps, SPM 5."""
    event = event_of(current_user.agency_id, event_uuid)
    facts = event_situation(event)
    return render_template(
        "disasters/situation.html",
        event=event,
        kind_labels=KIND_LABELS,
        kind_meals=AssistanceKind.MEALS,
        day_kinds=tuple(SHORT_LABELS),
        short_labels=SHORT_LABELS,
        needs_percent=percent(facts["needs_met"], facts["needs_registered"]),
        may_assist=can(current_user, "disasters.assist"),
        **facts,
    )


@bp.route("/<event_uuid>/sites/<site_uuid>/distribution")
@require("disasters.assist")
def distribution_today(event_uuid, site_uuid):
    """Today's distribution list of the site."""
    return redirect(url_for(".distribution_list", event_uuid=event_uuid, site_uuid=site_uuid, day=local_today()))


@bp.route("/<event_uuid>/sites/<site_uuid>/distribution/<day>", methods=["GET", "POST"])
@require("disasters.assist")
def distribution_list(event_uuid, site_uuid, day):
    """The site's list for a day: tick meals and other assistance per person; without JS, send the whole list."""
    event = event_of(current_user.agency_id, event_uuid)
    site, day = site_of(event, site_uuid), _day(day)
    status, problems = 200, {}
    if request.method == "POST":
        try:
            changed = distribution.save_list(event, site, day, current_user, request.form)
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
            status, problems = error.status, error.fields
        else:
            db.session.commit()
            flash(_("Daftar distribusi disimpan (%(n)d perubahan).", n=changed), "success")
            return redirect(request.path)
    return (
        render_template(
            "disasters/distribution.html",
            event=event,
            site=site,
            day=day,
            today=local_today(),
            households=distribution.households(site, day),
            kinds=distribution.TICK_KINDS,
            kind_labels=KIND_LABELS,
            problems=problems,
        ),
        status,
    )


@bp.route("/<event_uuid>/assistance/new", methods=["GET", "POST"])
@require("disasters.assist")
def new_assistance(event_uuid):
    """Records one kind of assistance (or a catalogue item) for a person (``?person=``) or a ``?household=``."""
    event = event_of(current_user.agency_id, event_uuid)
    person_uuid, household_uuid = request.args.get("person"), request.args.get("household")
    person = member_of(event, AffectedPerson, person_uuid, _("Warga tidak ditemukan.")) if person_uuid else None
    household = (
        None
        if person is not None
        else member_of(event, AffectedHousehold, household_uuid or "", _("Keluarga tidak ditemukan."))
    )
    values, problems, status = request.form, {}, 200
    if request.method == "POST":
        try:
            record_values(event, current_user, values, person=person, household=household)
        except ServiceError as error:
            db.session.rollback()
            status, problems = error.status, error.fields
        else:
            db.session.commit()
            flash(_("Bantuan dicatat."), "success")
            return redirect(url_for(".situation", event_uuid=event.uuid))
    services = db.session.scalars(sa.select(Service).where(Service.active).order_by(Service.name)).all()
    context = {"event": event, "person": person, "household": household, "kind_labels": KIND_LABELS}
    context |= {"values": values, "problems": problems, "services": services, "today": local_today()}
    return render_template("disasters/assistance_new.html", **context), status
