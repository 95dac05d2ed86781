"""API endpoints for disaster assistance: record it, tick a distribution list, read a list and the situation.

Creates are idempotent: the device's ``uuid`` returns the first record, and
a person's (or household's) record of a kind on a day is one row, so a
repeated tick changes nothing (200 instead of 201). Errors use the JSON
envelope, by field. The distribution list's script ticks through here.
"""

from datetime import date

from flask_babel import gettext as _
from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_json
from casework.core.errors import NotFound
from casework.core.permissions import require
from casework.disasters import distribution
from casework.disasters.assistance import event_of, member_of, record_values, site_of
from casework.disasters.assistance_schemas import (
    AssistanceInputSchema,
    AssistanceSchema,
    DistributionLineSchema,
    SituationSchema,
    TickSchema,
)
from casework.disasters.models import AffectedPerson
from casework.disasters.situation import situation
from casework.extensions import db

_EVENT = "/disasters/<event_uuid>"
_LIST = f"{_EVENT}/sites/<site_uuid>/distribution/<day>"


def _dump(row, changed, kind):
    """The record as the API shows it; a removed (or never given) one as its kind with quantity 0."""
    body = AssistanceSchema().dump(row) if row is not None else {"uuid": None, "kind": kind, "quantity": 0}
    return {**body, "changed": changed}


def _list_day(value):
    """The day a list URL names; 404 otherwise."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise NotFound(_("Tanggal tidak valid.")) from None


@bp.post(f"{_EVENT}/assistance")
@require("disasters.assist")
@documented(AssistanceSchema, body=AssistanceInputSchema, status=(201, 200))
def create_disaster_assistance(event_uuid):
    """Sets a person's or household's assistance of a kind on a day: 201 when written, 200 when already so.

    Meals are per person (1-3) on a day of the emergency-response period
    while the person stayed at a site; a quantity of 0 removes the record.
    A refusal is a 422 naming the field, and writes nothing.
    """
    event = event_of(current_user.agency_id, event_uuid)
    values = load_json(AssistanceInputSchema())
    row, changed = record_values(event, current_user, values)
    body = _dump(row, changed, values.get("kind"))
    db.session.commit()
    return body, 201 if changed else 200


@bp.post(f"{_LIST}/ticks")
@require("disasters.assist")
@documented(AssistanceSchema, body=TickSchema, status=(201, 200))
def tick_distribution(event_uuid, site_uuid, day):
    """Ticks a person off the site's list for the day: the quantity of a kind now given (meals 0-3)."""
    event = event_of(current_user.agency_id, event_uuid)
    site, day = site_of(event, site_uuid), _list_day(day)
    values = load_json(TickSchema())
    person = member_of(event, AffectedPerson, values["person"], _("Warga tidak ditemukan."))
    row, changed = distribution.tick(event, site, day, current_user, person, values)
    body = _dump(row, changed, values["kind"])
    db.session.commit()
    return body, 201 if changed else 200


@bp.get(_LIST)
@require("disasters.assist")
@documented(DistributionLineSchema, many=True)
def distribution_list(event_uuid, site_uuid, day):
    """The people at the site on the day, household by household, with what each was given that day."""
    event = event_of(current_user.agency_id, event_uuid)
    site, day = site_of(event, site_uuid), _list_day(day)
    return {"items": DistributionLineSchema(many=True).dump(distribution.lines(site, day))}


@bp.get(f"{_EVENT}/situation")
@require("disasters.view")
@documented(SituationSchema)
def disaster_situation(event_uuid):
    """The event's situation figures: totals, sites, villages, assistance per day, gaps and SPM type 5."""
    event = event_of(current_user.agency_id, event_uuid)
    facts = situation(event)
    count, _people = facts["unfed"]
    return SituationSchema().dump(
        {
            **facts,
            "sites": [
                {"uuid": str(site.uuid), "name": site.name, "capacity": site.capacity}
                | {"registered": registered, "present": present, "fed": fed}
                for site, registered, present, fed in facts["sites"]
            ],
            "villages": [row._asdict() for row in facts["villages"]],
            "days": [
                {
                    "day": day.day.isoformat(),
                    "records": {str(kind): n for kind, n in day.records.items()},
                    "quantities": {str(kind): n for kind, n in day.quantities.items()},
                }
                for day in facts["days"]
            ],
            "unfed": count,
        }
    )
