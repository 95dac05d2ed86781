"""Import of referrals (*rujukan*) as history: each with its final status and who took each step, and when.

An imported referral is not proposed and decided again: its status is set
directly, but every step the status implies must be in the row, as the
model's CHECK constraints demand (a decider, never the proposer, for a
decided one; a reason for a rejection or a decline; a result for a completed
one) and in order of dates (proposed, decided, answered, completed; not
before the case's intake, not in the future). The receiver and the consent
follow ``casework.referrals.services.propose``. Proposer and answerer default
to the case's caseworker; the completer to the answerer. Numbers are kept
when given (unique in the agency) or taken from the agency's counter for the
year of the proposal. Each referral adds one "referral_imported" event to its
case's timeline. A changed row of a referral imported before is refused:
the import keeps history, the referral's later steps are taken in the app.
"""

import uuid as uuid_module
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.cases.models import CaseEvent
from casework.core.localtime import local_midnight
from casework.extensions import db
from casework.imports.bulk import insert_returning_ids
from casework.imports.case_refs import case_cell, case_column, resolve_cases
from casework.imports.cells import bool_cell, date_cell, enum_cell, text_cell
from casework.imports.types import Action, Column, Row, key_column, register
from casework.org.models import UnitKind
from casework.referrals.labels import DESTINATION_LABELS, NO_CONSENT_LABELS, STATUS_LABELS, URGENCY_LABELS
from casework.referrals.models import (
    ANSWERED,
    DECIDED,
    DestinationKind,
    NoConsentReason,
    Referral,
    ReferralStatus,
    Urgency,
    referral_service,
)
from casework.referrals.services import AGENCY_REGION_LEVELS, TEXT_MAX_CHARS, next_referral_number

_NUMBERS = "referrals.numbers"
# The steps a status implies: (date column, user column, note column, the note required) in order.
STEPS = (
    ("decided_on", "decided_by", "decision_note", DECIDED),
    ("answered_on", "answered_by", "answer_note", ANSWERED),
    ("completed_on", "completed_by", "result", (ReferralStatus.COMPLETED,)),
)
# The step notes a status needs: a rejection's reason, a decline's reason, a completion's result.
NOTE_REQUIRED = {
    "decision_note": ReferralStatus.REJECTED,
    "answer_note": ReferralStatus.DECLINED,
    "result": ReferralStatus.COMPLETED,
}
NON_PARTNER_KINDS = tuple(kind for kind in UnitKind if kind != UnitKind.PARTNER)


class Referrals:
    """The ``referrals`` record type (see ``casework.imports.types``)."""

    name = "referrals"
    label = _l("Rujukan")
    can_update = False
    columns = (
        key_column(),
        case_column(),
        Column("number", _l("Nomor rujukan"), example="RJ-2024-000012", help=_l("Kosong: diberi nomor baru.")),
        Column("destination_kind", _l("Jenis tujuan"), required=True, codes="referral_destinations", example="partner"),
        Column("to_unit", _l("Kode unit/mitra tujuan"), codes="units", help=_l("Untuk tujuan unit atau mitra.")),
        Column("to_agency_name", _l("Nama dinas tujuan"), help=_l("Untuk tujuan Dinas Sosial daerah lain.")),
        Column("to_region", _l("Wilayah dinas tujuan"), help=_l("Kode/nama provinsi atau kabupaten/kota.")),
        Column(
            "services",
            _l("Layanan diminta"),
            required=True,
            codes="services",
            help=_l("Satu atau lebih kode layanan, dipisah titik koma."),
            example="rujukan",
        ),
        Column("reason", _l("Alasan rujukan"), required=True),
        Column("urgency", _l("Urgensi"), codes="urgencies", help=_l("Kosong: biasa.")),
        Column("consent_given", _l("Persetujuan klien"), codes="yes_no", example="ya"),
        Column("no_consent_reason", _l("Alasan tanpa persetujuan"), codes="no_consent_reasons"),
        Column("consent_notes", _l("Catatan persetujuan")),
        Column("status", _l("Status akhir"), required=True, codes="referral_statuses", example="completed"),
        Column("proposed_on", _l("Tanggal usulan"), required=True, example="02/03/2024"),
        Column("proposed_by", _l("Diusulkan oleh"), help=_l("Nama pengguna; kosong: pekerja sosial kasus.")),
        Column("decided_on", _l("Tanggal putusan supervisor")),
        Column("decided_by", _l("Diputuskan oleh"), help=_l("Nama pengguna supervisor; bukan pengusul.")),
        Column("decision_note", _l("Catatan putusan"), help=_l("Wajib bila ditolak supervisor.")),
        Column("answered_on", _l("Tanggal jawaban penerima")),
        Column("answered_by", _l("Jawaban dicatat oleh"), help=_l("Kosong: pekerja sosial kasus.")),
        Column("answer_note", _l("Catatan jawaban"), help=_l("Wajib bila ditolak penerima.")),
        Column("completed_on", _l("Tanggal selesai")),
        Column("completed_by", _l("Diselesaikan oleh"), help=_l("Kosong: yang mencatat jawaban.")),
        Column("result", _l("Hasil rujukan"), help=_l("Wajib bila selesai.")),
    )

    def natural_key(self, row):
        """The referral's number when given (unique in the agency), else None (the row's hash)."""
        return row.cell("number").upper() or None

    def check(self, ctx, rows):
        """Parses every row; numbers are checked against the agency's in one query per batch."""
        refs = resolve_cases(ctx, rows)
        taken = _taken_numbers(ctx, rows)
        for row in rows:
            if row.known:
                row.error(
                    None, _("Baris ini sudah pernah diimpor dengan isi lain; jenis data ini tidak bisa diperbarui.")
                )
                continue
            case = case_cell(row, refs)
            values = {"case": case}
            number = text_cell(row, "number", Referral.__table__.c.number.type.length)
            if number and number.upper() in taken:
                row.error("number", _("Nomor rujukan %(number)s sudah dipakai.", number=number))
            values |= {**_destination(ctx, row), **_consent(row), **_services(ctx, row)}
            values["reason"] = text_cell(row, "reason", TEXT_MAX_CHARS, is_required=True)
            values["urgency"] = enum_cell(row, "urgency", Urgency, URGENCY_LABELS) or Urgency.ROUTINE
            values.update(_history(ctx, row, case))
            if not row.ok:
                continue
            taken.add((number or "").upper())
            values["number"] = number
            row.values, row.action = values, Action.CREATE
            row.label = f"{case.number} · {number or values['status'].value}"

    def apply(self, ctx, rows):
        """Inserts the referrals, their requested services and one timeline event each."""
        records = [_record(ctx, row) for row in rows]
        ids = insert_returning_ids(Referral, records)
        links, events = [], []
        for row, record, referral_id in zip(rows, records, ids, strict=True):
            row.target_id = referral_id
            links += [{"referral_id": referral_id, "service_id": service_id} for service_id in row.values["services"]]
            details = {"referral": str(record["uuid"]), "number": record["number"], "status": record["status"].value}
            events.append(
                {
                    "case_id": record["case_id"],
                    "kind": "referral_imported",
                    "actor_id": ctx.actor.id,
                    "details": details,
                }
            )
        db.session.execute(referral_service.insert(), links)
        db.session.execute(CaseEvent.__table__.insert(), events)
        db.session.flush()


def _taken_numbers(ctx, rows):
    """The upper-cased referral numbers of the batch the agency has already, plus those of earlier batches."""
    taken = ctx.state.setdefault(_NUMBERS, set())
    numbers = sorted({row.cell("number").upper() for row in rows} - {""})
    if numbers:
        table = Referral.__table__
        found = db.session.scalars(
            sa.select(sa.func.upper(table.c.number)).where(
                table.c.agency_id == ctx.agency.id, sa.func.upper(table.c.number).in_(numbers)
            )
        )
        taken.update(found)
    return taken


def _destination(ctx, row):
    """The receiver's columns: a unit or a partner of the agency by code, or another region's agency by name."""
    kind = enum_cell(row, "destination_kind", DestinationKind, DESTINATION_LABELS, is_required=True)
    if kind in (DestinationKind.UNIT, DestinationKind.PARTNER):
        kinds = (UnitKind.PARTNER,) if kind == DestinationKind.PARTNER else NON_PARTNER_KINDS
        unit = ctx.unit(row, "to_unit", kinds=kinds, is_required=True)
        return {"destination_kind": kind, "to_unit_id": unit.id if unit else None}
    if kind == DestinationKind.AGENCY:
        name = text_cell(row, "to_agency_name", Referral.__table__.c.to_agency_name.type.length, is_required=True)
        region = ctx.region(row, "to_region", levels=AGENCY_REGION_LEVELS, is_required=True)
        if region and region == ctx.agency.region_code:
            row.error("to_region", _("Pilih wilayah lain: rujukan ke dinas di wilayah sendiri ke unitnya."))
        return {"destination_kind": kind, "to_agency_name": name, "to_region_code": region}
    return {}


def _consent(row):
    """Consent given, or the reason it could not be obtained (notes for "other"); never both."""
    given = bool_cell(row, "consent_given")
    reason = enum_cell(row, "no_consent_reason", NoConsentReason, NO_CONSENT_LABELS)
    notes = text_cell(row, "consent_notes", Referral.__table__.c.consent_notes.type.length)
    if given and reason is not None:
        row.error("no_consent_reason", _("Persetujuan sudah dicatat: kosongkan alasan tanpa persetujuan."))
    elif not given and reason is None and row.ok:
        row.error("consent_given", _("Catat persetujuan klien, atau alasan persetujuan tidak dapat diperoleh."))
    elif reason == NoConsentReason.OTHER and not notes:
        row.error("consent_notes", _("Jelaskan mengapa persetujuan tidak dapat diperoleh."))
    return {"consent_given": given, "no_consent_reason": reason, "consent_notes": notes}


def _services(ctx, row):
    """The requested services' ids, each once: codes separated by ";" or ","."""
    found = []
    for part in row.cell("services").replace(",", ";").split(";"):
        one = Row(line=row.line, cells={"services": part.strip()})
        service = ctx.service(one, "services") if part.strip() else None
        for error in one.errors:
            row.error("services", error.message)
        if service is not None and service.id not in found:
            found.append(service.id)
    if not found and row.ok:
        row.error("services", _("Pilih minimal satu layanan yang diminta."))
    return {"services": found}


def _history(ctx, row, case):
    """The status, and for each step it implies: its date (in order), who took it, its note where required."""
    status = enum_cell(row, "status", ReferralStatus, STATUS_LABELS, is_required=True)
    proposed_on = date_cell(
        row,
        "proposed_on",
        is_required=True,
        today=ctx.today,
        not_before=case.intake_date if case else None,
        not_before_message=_("Rujukan tidak bisa sebelum penerimaan kasus."),
    )
    if case and proposed_on and case.terminated_on and proposed_on > case.terminated_on:
        row.error("proposed_on", _("Rujukan tidak bisa sesudah terminasi kasus."))
    caseworker = case.caseworker_id if case else None
    proposer = ctx.user(row, "proposed_by") or caseworker
    values = {"status": status, "proposed_on": proposed_on, "proposed_by_id": proposer}
    earlier, previous_user = proposed_on, caseworker
    for date_column, user_column, note_column, statuses in STEPS:
        taken = status in statuses
        on = date_cell(
            row,
            date_column,
            is_required=taken,
            today=ctx.today,
            not_before=earlier,
            not_before_message=_("Tanggal ini tidak bisa sebelum langkah sebelumnya."),
        )
        user = ctx.user(row, user_column, is_required=taken and user_column == "decided_by")
        note = text_cell(row, note_column, TEXT_MAX_CHARS, is_required=status == NOTE_REQUIRED[note_column])
        if status is not None and not taken and any(row.cell(column) for column in (date_column, user_column)):
            row.error(
                date_column,
                _("Rujukan berstatus %(status)s tidak sampai ke langkah ini: kosongkan.", status=status.value),
            )
        if status is not None and not taken and note:
            row.error(
                note_column,
                _("Rujukan berstatus %(status)s tidak sampai ke langkah ini: kosongkan.", status=status.value),
            )
        if user_column == "decided_by" and user is not None and user == proposer:
            row.error(user_column, _("Rujukan yang diusulkan sendiri harus diputuskan supervisor lain."))
        # The answer is recorded by the case's caseworker, the completion by whoever recorded the answer.
        user = (user or previous_user) if user_column != "decided_by" else user
        values[date_column] = on if taken else None
        values[user_column] = user if taken else None
        values[note_column] = note if taken else None
        earlier = on or earlier
        if user_column != "decided_by":
            previous_user = values[user_column] or previous_user
    return values


def _noon(day):
    """A day as the instant of its local noon (the step's time is not known, its local day is)."""
    return local_midnight(day) + timedelta(hours=12) if day else None


def _record(ctx, row):
    """The referral table's values for a checked row, with a number from the counter when none was given."""
    values = row.values
    number = values["number"] or _free_number(ctx, values["proposed_on"].year)
    return {
        "uuid": uuid_module.uuid4(),
        "agency_id": ctx.agency.id,
        "case_id": values["case"].id,
        "number": number,
        "destination_kind": values["destination_kind"],
        "to_unit_id": values.get("to_unit_id"),
        "to_agency_name": values.get("to_agency_name"),
        "to_region_code": values.get("to_region_code"),
        "reason": values["reason"],
        "urgency": values["urgency"],
        "consent_given": values["consent_given"],
        "no_consent_reason": values["no_consent_reason"],
        "consent_notes": values["consent_notes"],
        "status": values["status"],
        "proposed_by_id": values["proposed_by_id"],
        "proposed_at": _noon(values["proposed_on"]),
        "decided_by_id": values["decided_by"],
        "decided_at": _noon(values["decided_on"]),
        "decision_note": values["decision_note"],
        "answered_by_id": values["answered_by"],
        "answered_at": _noon(values["answered_on"]),
        "answer_note": values["answer_note"],
        "completed_by_id": values["completed_by"],
        "completed_at": _noon(values["completed_on"]),
        "result": values["result"],
    }


def _free_number(ctx, year):
    """The agency's next referral number of ``year`` not taken by an imported one."""
    taken = ctx.state.setdefault(_NUMBERS, set())
    while True:
        number = next_referral_number(ctx.agency.id, year)
        exists = db.session.scalar(
            sa.select(Referral.id).where(Referral.agency_id == ctx.agency.id, Referral.number == number)
        )
        if exists is None and number.upper() not in taken:
            taken.add(number.upper())
            return number


REFERRALS = register(Referrals())
