"""Recording a service delivered to a case's client; idempotent by the device's UUID.

A delivery is an addition, not a change of the case: it needs no case
version, so several workers (or one tablet sending a day's batch) can record
at once. The case itself changes only when the delivery completes what the
assessment required; that moves the case's version and adds "needs met" to
its timeline, the date the SPM figures count.
"""

from datetime import date
from functools import cache

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value

from casework.access.rules import with_sensitive_today
from casework.audit.services import record
from casework.cases.intake import parse_location
from casework.cases.models import OPEN_STAGES, Case, CaseNeed, ServiceDelivery
from casework.cases.needs import refresh_needs_met
from casework.cases.timeline import flush, log_event
from casework.core.errors import Conflict, NotFound
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.lookup import row_by_id, uuid_or_none
from casework.core.rows import insert_new
from casework.core.validation import Problems, required_date, text, whole_number
from casework.extensions import db
from casework.org.models import Unit
from casework.reference.models import Service

# Translated only when a delivery is dated before the intake, not on every delivery.
_BEFORE_INTAKE = _l("Layanan tidak bisa diberikan sebelum penerimaan.")


def delivery_case(agency_id, case_uuid, service_id=None, service_slug=None):
    """(the agency's case ``case_uuid``, the service with ``service_id`` or else ``service_slug``, its need).

    The service is None when none is named so; the need is the case's need
    for that service, or None (what ``record_delivery`` takes as ``needs``).
    One query, built once: the API records deliveries at a rate where
    building, keying and running a second and third would cost a fifth of
    the request. Another agency's case is as good as missing.
    """
    key = uuid_or_none(case_uuid)
    values = {"uuid": key, "service_id": service_id, "service_slug": service_slug}
    row = db.session.execute(_delivery_case_query(), values).first() if key else None
    if row is None or row[0].agency_id != agency_id:
        raise NotFound(_("Kasus tidak ditemukan."))
    return tuple(row)


@cache
def _delivery_case_query():
    """SELECT the case by ``:uuid``, the service ``:service_id`` or ``:service_slug``, and the case's need of it."""
    named = (Service.id == sa.bindparam("service_id")) | (Service.slug == sa.bindparam("service_slug"))
    return (
        sa.select(Case, Service, CaseNeed)
        .select_from(Case)
        .outerjoin(Service, named)
        .outerjoin(CaseNeed, (CaseNeed.case_id == Case.id) & (CaseNeed.service_id == Service.id))
        .where(Case.uuid == sa.bindparam("uuid"))
        .options(with_sensitive_today(Case, Case.client_id))
    )


def _service(problems, value):
    """The active catalogued service with the id in ``value``."""
    service = row_by_id(Service, value)
    if service is None or not service.active:
        problems.add("service_id", _("Layanan yang dipilih tidak ada di katalog layanan."))
        return None
    return service


def _provider(problems, agency_id, value):
    """The agency's unit or partner that gave the service, None when not given."""
    if value in (None, ""):
        return None
    unit = row_by_id(Unit, value)
    if unit is None or unit.agency_id != agency_id:
        problems.add("provider_unit_id", _("Pemberi layanan tidak dikenal."))
        return None
    return unit


def _within_limit(problems, case, service, quantity):
    """Refuses a delivery that would take a capped service (meals outside panti) beyond its days."""
    if not service.max_days or not quantity:
        return
    given = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(ServiceDelivery.quantity), 0)).where(
            ServiceDelivery.case_id == case.id, ServiceDelivery.service_id == service.id
        )
    )
    if given + quantity > service.max_days:
        problems.add(
            "quantity",
            _(
                "%(name)s paling lama %(days)d hari; sudah diberikan %(given)d.",
                name=service.name,
                days=service.max_days,
                given=given,
            ),
        )


def _note_first_delivery(case, delivered_on):
    """Moves the case's first delivery day back to ``delivered_on`` when that is earlier, or the first.

    A guarded UPDATE, not a change of the case: deliveries need no case
    version, and the earliest day wins whatever order concurrent ones commit
    in. Most deliveries come after the first one and write nothing.
    """
    if case.first_delivered_on is not None and case.first_delivered_on <= delivered_on:
        return
    table = Case.__table__
    db.session.execute(
        sa.update(table)
        .where(table.c.id == case.id)
        .where(sa.or_(table.c.first_delivered_on.is_(None), table.c.first_delivered_on > delivered_on))
        .values(first_delivered_on=delivered_on)
    )
    set_committed_value(case, "first_delivered_on", delivered_on)


def record_delivery(case, actor, data, uuid=None, today=None, needs=None):
    """Records a delivered service; returns (delivery, created). A repeated ``uuid`` returns the first delivery.

    ``needs``: the case's needs of the service named, when the caller has read them (default ``case.needs``).
    """
    today = today or date.today()
    problems = Problems()
    delivery_uuid = parse_uuid(problems, uuid)

    def first_recorded():
        """The delivery recorded before with this UUID (a retry), or None; a UUID of another case is refused."""
        return earlier_create(problems, ServiceDelivery, delivery_uuid, lambda delivery: delivery.case_id == case.id)

    # A new UUID is found out by the INSERT itself; a retry is looked up only where the create would be refused
    # (the case closed since, or a check the first delivery passed, such as the meals limit it reached).
    if case.stage not in OPEN_STAGES:
        existing = first_recorded()
        if existing is not None:
            return existing, False
        raise Conflict(_("Kasus sudah diterminasi: layanan tidak bisa dicatat lagi."))
    service = _service(problems, data.get("service_id"))
    delivered_on = required_date(problems, data, "delivered_on", today, case.intake_date, _BEFORE_INTAKE)
    # Blank means one; a zero is refused, not taken for one.
    quantity = data.get("quantity")
    quantity = (
        1 if quantity in (None, "") else whole_number(problems, quantity, "quantity", _("Jumlah harus 1 atau lebih."))
    )
    columns = ServiceDelivery.__table__.c
    provider = _provider(problems, case.agency_id, data.get("provider_unit_id"))
    provider_name = text(problems, data, columns.provider_name)
    unit_label = text(problems, data, columns.unit_label)
    if service is not None:
        _within_limit(problems, case, service, quantity)
    location = parse_location(problems, data)
    if problems.fields:
        existing = first_recorded()
        if existing is not None:
            return existing, False
        problems.raise_any()
    delivery = ServiceDelivery(
        uuid=delivery_uuid,
        case_id=case.id,
        service_id=service.id,
        delivered_on=delivered_on,
        quantity=quantity,
        unit_label=unit_label or service.default_unit,
        provider_unit_id=provider.id if provider else None,
        provider_name=provider_name,
        notes=(data.get("notes") or "").strip() or None,
        recorded_by_id=actor.id,
    )
    if insert_new(delivery) is None:
        return first_recorded(), False
    _note_first_delivery(case, delivered_on)
    # Only a need for this service, not met yet or met after this day, can change when the needs were met.
    # The event and audit rows are inserted at once; a case that became met is flushed last (a stale one is a 409).
    need = next((need for need in (case.needs if needs is None else needs) if need.service_id == service.id), None)
    changes_need = need is not None and (need.met_on is None or delivered_on < need.met_on)
    became_met = changes_need and refresh_needs_met(case)
    facts = {"service": service.slug, "quantity": quantity, "on": delivered_on.isoformat(), "delivery_id": delivery.id}
    log_event(case, "service_delivered", actor, location, **facts)
    record("case.service_delivered", delivery, actor=actor, case_id=case.id, service=service.slug)
    if became_met:
        log_event(case, "needs_met", actor, on=case.needs_met_on.isoformat())
    flush()
    return delivery, True
