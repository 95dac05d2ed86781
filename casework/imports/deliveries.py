"""Import of service deliveries (*layanan diberikan*): which service a case's client got, when, how much, from whom.

The rules are ``casework.cases.deliveries.record_delivery``'s, read for
history: a delivery is not before the case's intake nor in the future, and
not after the case's termination (an ended case keeps the deliveries it had);
a capped service (meals outside panti) stays within its days, counting what
the case has, what earlier rows of the file add and what the row adds. After
each batch the cases it touched get their first delivery day and their
"needs met" dates recomputed in SQL from all their deliveries (the running
total of each required service reaching the assessed quantity), with a
"needs met" timeline event for each case that became met.
"""

from collections import defaultdict

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.cases.models import ServiceDelivery
from casework.extensions import db
from casework.imports.bulk import insert_returning_ids
from casework.imports.case_refs import case_cell, case_column, resolve_cases
from casework.imports.cells import date_cell, int_cell, text_cell
from casework.imports.needs_refresh import refresh_cases
from casework.imports.types import Action, Column, key_column, register

MAX_QUANTITY = 100_000
NOTES_MAX = 4000
# Quantities of capped services checked but not written yet: the dry run's earlier batches.
_PENDING = "deliveries.pending"


class Deliveries:
    """The ``deliveries`` record type (see ``casework.imports.types``)."""

    name = "deliveries"
    label = _l("Layanan diberikan")
    can_update = True
    columns = (
        key_column(),
        case_column(),
        Column(
            "service",
            _l("Layanan"),
            required=True,
            codes="services",
            example="permakanan",
            help=_l("Slug layanan nasional atau kode sub-kegiatan anggarannya."),
        ),
        Column(
            "delivered_on",
            _l("Tanggal layanan"),
            required=True,
            example="17/08/2024",
            help=_l("HH/BB/TTTT; tidak sebelum penerimaan kasus dan tidak sesudah terminasinya."),
        ),
        Column("quantity", _l("Jumlah"), example="3", help=_l("Bilangan bulat 1 atau lebih; kosong berarti 1.")),
        Column("unit_label", _l("Satuan"), example="hari", help=_l("Kosong: satuan baku layanan (hari, paket, unit).")),
        Column(
            "provider_unit",
            _l("Kode unit/mitra pemberi"),
            codes="units",
            help=_l("Kode unit dinas atau mitra yang memberi layanan."),
        ),
        Column("provider_name", _l("Nama pemberi"), help=_l("Nama pemberi bila bukan unit/mitra yang terdaftar.")),
        Column("notes", _l("Catatan")),
    )

    def natural_key(self, row):
        """None: two deliveries of one service on one day are two rows, so the row's hash is its key."""
        return None

    def check(self, ctx, rows):
        """Parses and resolves each row; the capped services are checked against the case's days in one query."""
        refs = resolve_cases(ctx, rows)
        columns = ServiceDelivery.__table__.c
        before_intake = _("Layanan tidak bisa diberikan sebelum penerimaan.")
        for row in rows:
            case = case_cell(row, refs)
            service = ctx.service(row, "service", is_required=True)
            delivered_on = date_cell(
                row,
                "delivered_on",
                is_required=True,
                today=ctx.today,
                not_before=case.intake_date if case else None,
                not_before_message=before_intake,
            )
            if case and delivered_on and case.terminated_on and delivered_on > case.terminated_on:
                row.error(
                    "delivered_on",
                    _(
                        "Layanan tidak bisa sesudah terminasi kasus (%(date)s).",
                        date=case.terminated_on.strftime("%d/%m/%Y"),
                    ),
                )
            quantity = int_cell(row, "quantity", minimum=1, maximum=MAX_QUANTITY)
            unit_label = text_cell(row, "unit_label", columns.unit_label.type.length)
            provider = ctx.unit(row, "provider_unit")
            provider_name = text_cell(row, "provider_name", columns.provider_name.type.length)
            notes = text_cell(row, "notes", NOTES_MAX)
            if not row.ok:
                continue
            row.label = f"{case.number} · {service.name}"
            row.values = {
                "case_id": case.id,
                "service_id": service.id,
                "delivered_on": delivered_on,
                "quantity": quantity or 1,
                "unit_label": unit_label or service.default_unit,
                "provider_unit_id": provider.id if provider else None,
                "provider_name": provider_name,
                "notes": notes,
            }
            row.values["cap"] = service.max_days
            row.values["service_name"] = service.name
            if row.known:
                row.action, row.target_id = Action.UPDATE, row.known[0]
            else:
                row.action = Action.CREATE
        _check_caps(ctx, [row for row in rows if row.ok and row.values.get("cap")])

    def apply(self, ctx, rows):
        """Inserts the new deliveries, updates the changed ones, then refreshes the cases they belong to."""
        table = ServiceDelivery.__table__
        pending = ctx.state.setdefault(_PENDING, defaultdict(int))
        creates = [row for row in rows if row.action == Action.CREATE]
        updates = [row for row in rows if row.action == Action.UPDATE]
        if creates:
            ids = insert_returning_ids(
                ServiceDelivery, [{**_written(row), "recorded_by_id": ctx.actor.id} for row in creates]
            )
            for row, delivery_id in zip(creates, ids, strict=True):
                row.target_id = delivery_id
        if updates:
            earlier = dict(
                db.session.execute(
                    sa.select(table.c.id, table.c.case_id).where(table.c.id.in_([row.target_id for row in updates]))
                ).all()
            )
            statement = (
                table.update()
                .where(table.c.id == sa.bindparam("target"))
                .values({name: sa.bindparam(name) for name in _WRITTEN})
            )
            db.session.execute(statement, [{**_written(row), "target": row.target_id} for row in updates])
        for row in rows:
            if row.values.get("cap"):
                pending[(row.values["case_id"], row.values["service_id"])] -= row.values["quantity"]
        touched = {row.values["case_id"] for row in rows}
        touched |= set(earlier.values()) if updates else set()
        refresh_cases(ctx, sorted(touched))
        db.session.flush()


_WRITTEN = (
    "case_id",
    "service_id",
    "delivered_on",
    "quantity",
    "unit_label",
    "provider_unit_id",
    "provider_name",
    "notes",
)


def _written(row):
    """The row's column values as the delivery table takes them."""
    return {name: row.values[name] for name in _WRITTEN}


def _check_caps(ctx, rows):
    """Refuses rows taking a capped service beyond its days: the case's deliveries, the file's earlier rows, the row."""
    if not rows:
        return
    table = ServiceDelivery.__table__
    pairs = {(row.values["case_id"], row.values["service_id"]) for row in rows}
    replaced = [row.target_id for row in rows if row.target_id]
    given = defaultdict(int)
    case_ids = sorted({case_id for case_id, _service in pairs})
    for start in range(0, len(case_ids), 500):
        query = (
            sa.select(table.c.case_id, table.c.service_id, sa.func.sum(table.c.quantity))
            .where(table.c.case_id.in_(case_ids[start : start + 500]))
            .where(table.c.service_id.in_(sorted({service for _case, service in pairs})))
            .group_by(table.c.case_id, table.c.service_id)
        )
        if replaced:
            query = query.where(table.c.id.not_in(replaced))
        for case_id, service_id, total in db.session.execute(query):
            given[(case_id, service_id)] = int(total)
    pending = ctx.state.setdefault(_PENDING, defaultdict(int))
    for row in rows:
        pair = (row.values["case_id"], row.values["service_id"])
        so_far = given[pair] + pending[pair]
        if so_far + row.values["quantity"] > row.values["cap"]:
            row.error(
                "quantity",
                _(
                    "%(name)s paling lama %(days)d hari; sudah diberikan %(given)d.",
                    name=row.values["service_name"],
                    days=row.values["cap"],
                    given=so_far,
                ),
            )
            continue
        pending[pair] += row.values["quantity"]


DELIVERIES = register(Deliveries())
