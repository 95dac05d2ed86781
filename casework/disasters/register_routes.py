"""Pages for people: fast registration of a household at a site, a household, a person, and their one-tap actions.

The registration form is built for a tablet: one page, the head and any
number of members; "Tambah anggota" adds a row in the browser, or without
the script posts the form back with one more row (nothing saved). Saving
writes the household and all members or nothing. The household page offers
likely clients for members without a NIK ("Sama dengan klien …"), looked
for when the page is shown, not while saving.
"""

import uuid as uuid_module

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.clients.labels import SEX_LABELS
from casework.clients.services import PossibleDuplicate
from casework.core.errors import ServiceError
from casework.core.localtime import local_today
from casework.core.permissions import require
from casework.disasters import people, queries, registration, sites
from casework.disasters.forms import ActionForm, HouseholdForm, MemberForm
from casework.disasters.models import DisasterEvent, EventStatus
from casework.disasters.routes import bp, refusal_message
from casework.extensions import db

MAX_ROWS = registration.MAX_MEMBERS


def _open_sites(event):
    """The event's open sites, by name."""
    return [site for site in event.sites if site.closed_on is None]


@bp.route("/<event_uuid>/register", methods=["GET", "POST"])
@require("disasters.register")
def register(event_uuid):
    """Registers a household with its members; ``?site=<uuid>`` preselects the site."""
    event = queries.event(current_user.agency_id, event_uuid)
    form = HouseholdForm()
    form.offer_sites(_open_sites(event))
    # The empty row the page's script copies for "Tambah anggota" (``__i__`` becomes the row's index).
    blank = MemberForm(prefix="members-__i__-", formdata=None)
    context = {"event": event, "sex_labels": SEX_LABELS, "blank_member": blank, "max_members": MAX_ROWS}
    if not form.is_submitted():
        form.uuid.data = str(uuid_module.uuid4())
        form.site_uuid.data = request.args.get("site", "")
        form.arrived_on.data = local_today().isoformat()
        return render_template("disasters/register.html", form=form, **context)
    if "add_member" in request.form:
        if len(form.members) < MAX_ROWS:
            form.members.append_entry()
        return render_template("disasters/register.html", form=form, **context)
    try:
        household, created = registration.register_household(
            event, current_user, form.values(), uuid=form.uuid.data, today=local_today()
        )
    except ServiceError as error:
        db.session.rollback()
        problem, placed = form.place_errors(error)
        # Every message in one list too: on a tablet the member named may be far down the page.
        messages = [message for messages in (*placed.values(), *error.fields.values()) for message in messages]
        return (
            render_template("disasters/register.html", form=form, problem=problem, messages=messages, **context),
            error.status,
        )
    db.session.commit()
    if created:
        flash(
            _("Keluarga %(name)s (%(n)d orang) terdaftar.", name=household.members[0].name, n=len(household.members)),
            "success",
        )
    return redirect(url_for(".household", household_uuid=household.uuid))


@bp.route("/households/<household_uuid>")
@require("disasters.register")
def household(household_uuid):
    """A household: its members, their groups, links to clients and cases, and likely clients to link."""
    row = queries.household(current_user.agency_id, household_uuid)
    event = db.session.get(DisasterEvent, row.event_id)
    return render_template(
        "disasters/household.html",
        household=row,
        event=event,
        matches=people.likely_clients(current_user.agency_id, row.members),
        **queries.clients_and_cases(row.members),
        action=ActionForm(formdata=None),
        sex_labels=SEX_LABELS,
        registering=event.status != EventStatus.CLOSED,
        staying=bool(sites.staying(row)),
        today=local_today().isoformat(),
    )


@bp.route("/households/<household_uuid>/leave", methods=["POST"])
@require("disasters.register")
def leave_site(household_uuid):
    """The household goes home ("Keluar dari pengungsian") on the day given (default today)."""
    row = queries.household(current_user.agency_id, household_uuid)
    form = ActionForm()
    data = {"left_on": request.form.get("left_on", "").strip()}
    try:
        sites.leave_site(row, current_user, form.version.data, data, today=local_today())
    except ServiceError as error:
        db.session.rollback()
        flash(refusal_message(error), "error")
    else:
        db.session.commit()
        flash(_("Keluarga %(name)s tercatat keluar dari pengungsian.", name=row.members[0].name), "success")
    return redirect(url_for(".household", household_uuid=household_uuid))


@bp.route("/people/<person_uuid>", methods=["GET"])
@require("disasters.register")
def person(person_uuid):
    """One person: who they are, their household, site, client and case; the "open a case" action."""
    row = queries.person(current_user.agency_id, person_uuid)
    return _person_page(row, ActionForm(formdata=None, version=row.version, uuid=str(uuid_module.uuid4())))


def _person_page(row, form, duplicate=None, problem=None, status=200):
    """The person page, with the candidates of a refused new client when there are any."""
    matches = people.likely_clients(current_user.agency_id, [row]).get(row.id, [])
    return (
        render_template(
            "disasters/person.html",
            person=row,
            event=people.event_of(row),
            **queries.clients_and_cases([row]),
            form=form,
            matches=matches,
            duplicate=duplicate,
            problem=problem,
            sex_labels=SEX_LABELS,
        ),
        status,
    )


@bp.route("/people/<person_uuid>/link", methods=["POST"])
@require("disasters.register")
def link_client(person_uuid):
    """Links the person to the chosen client ("Sama dengan klien …")."""
    row = queries.person(current_user.agency_id, person_uuid)
    form = ActionForm()
    try:
        people.link_client(row, current_user, form.version.data, form.client_uuid.data)
    except ServiceError as error:
        db.session.rollback()
        flash(refusal_message(error), "error")
    else:
        db.session.commit()
        flash(_("%(name)s dihubungkan dengan data klien.", name=row.name), "success")
    if request.form.get("next_page") == "person":
        return redirect(url_for(".person", person_uuid=row.uuid))
    return redirect(url_for(".household", household_uuid=row.household.uuid))


@bp.route("/people/<person_uuid>/case", methods=["POST"])
@require("disasters.register")
def make_case(person_uuid):
    """Opens a case for the person with one action (registering them as a client if needed)."""
    row = queries.person(current_user.agency_id, person_uuid)
    form = ActionForm()
    data = {name: form[name].data for name in ("uuid", "client_uuid", "confirm_new", "circumstances")}
    try:
        case = people.case_from_person(row, current_user, form.version.data, data, today=local_today())
    except PossibleDuplicate as error:
        db.session.rollback()
        return _person_page(row, form, duplicate=error, status=error.status)
    except ServiceError as error:
        db.session.rollback()
        problem = refusal_message(error)
        return _person_page(row, form, problem=problem, status=error.status)
    db.session.commit()
    flash(_("Kasus %(number)s dibuka untuk %(name)s.", number=case.number, name=row.name), "success")
    return redirect(url_for("cases.detail", case_uuid=case.uuid))
