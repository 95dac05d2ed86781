"""The agency's service deliveries as one list: by date range, service and the case's unit, latest first.

The page (``/services``), its API (``/api/v1/exports/deliveries``) and its
file read the same select (``deliveries_select``); filters come from the
query string (``DeliveryFilterForm``), a bad date is a 422 with the reason.
"""

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from casework.access.gate import hide_unreadable
from casework.access.scope import scoped
from casework.admin.forms import FilterForm
from casework.admin.queries import unit_choices
from casework.cases.models import Case, ServiceDelivery
from casework.core.errors import ValidationFailed
from casework.core.pagination import COUNT_BOUND, paginate
from casework.core.permissions import require
from casework.core.validation import Problems, date_value
from casework.extensions import db
from casework.reference.models import Service

bp = Blueprint("deliveries", __name__)


def _optional_id(value):
    """A chosen id, or None for "all"."""
    return int(value) if value not in (None, "") else None


class DeliveryFilterForm(FilterForm):
    """The deliveries' filters: from and to dates (ISO), service, and the unit holding the case."""

    date_from = StringField(_l("Dari tanggal"))
    date_to = StringField(_l("Sampai tanggal"))
    service = SelectField(_l("Layanan"), choices=[], coerce=_optional_id, validate_choice=False)
    unit = SelectField(_l("Unit"), choices=[], coerce=_optional_id, validate_choice=False)

    @classmethod
    def build(cls, agency_id):
        """The form with the catalogue's services and the agency's units as choices."""
        form = cls()
        services = db.session.execute(sa.select(Service.id, Service.name).order_by(Service.name))
        form.service.choices = [SelectChoice("", _l("Semua")), *(SelectChoice(str(i), n) for i, n in services)]
        form.unit.choices = [
            SelectChoice("", _l("Semua")),
            *(SelectChoice(str(i), n) for i, n in unit_choices(agency_id)),
        ]
        return form

    def filters(self, today=None):
        """{date_from, date_to, service_id, unit_id}: the chosen filters, or a 422 naming each bad one."""
        values = self.values()
        problems, today = Problems(), today or date.today()
        chosen = {
            "date_from": date_value(problems, values.get("date_from"), "date_from", today),
            "date_to": date_value(problems, values.get("date_to"), "date_to", date.max),
            "service_id": values.get("service"),
            "unit_id": values.get("unit"),
        }
        problems.raise_any()
        if chosen["date_from"] and chosen["date_to"] and chosen["date_to"] < chosen["date_from"]:
            message = _("Tanggal akhir tidak boleh sebelum tanggal awal.")
            raise ValidationFailed(message, fields={"date_to": [message]})
        return chosen


def deliveries_select(user, date_from=None, date_to=None, service_id=None, unit_id=None):
    """The deliveries of the cases in ``user``'s scope, latest first, narrowed by dates, service and the case's unit."""
    select = scoped(
        sa.select(ServiceDelivery)
        .join(Case, Case.id == ServiceDelivery.case_id)
        .where(Case.agency_id == user.agency_id),
        user,
    )
    select = select.options(
        joinedload(ServiceDelivery.service),
        joinedload(ServiceDelivery.provider_unit),
        joinedload(ServiceDelivery.case).joinedload(Case.client),
    ).order_by(ServiceDelivery.delivered_on.desc(), ServiceDelivery.id.desc())
    if date_from:
        select = select.where(ServiceDelivery.delivered_on >= date_from)
    if date_to:
        select = select.where(ServiceDelivery.delivered_on <= date_to)
    if service_id:
        select = select.where(ServiceDelivery.service_id == service_id)
    if unit_id:
        select = select.where(Case.unit_id == unit_id)
    return select


def filtered_deliveries():
    """The deliveries the query string's filters select, for the page, its API and its file."""
    return deliveries_select(current_user, **DeliveryFilterForm.build(current_user.agency_id).filters())


@bp.route("/")
@require("cases.view")
def index():
    """Every service delivered in the user's scope, latest first, filtered by dates, service and unit; paged."""
    filters = DeliveryFilterForm.build(current_user.agency_id)
    select = deliveries_select(current_user, **filters.filters())
    page = paginate(select, bound=COUNT_BOUND)
    hide_unreadable(current_user, [delivery.case.client_id for delivery in page.items])
    return render_template("cases/deliveries.html", filters=filters, page=page)
