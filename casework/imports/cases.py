"""Record type ``cases``: intake, setting, shelter/panti stay, stage and outcome, as history.

An imported case arrives at the stage the old records say, with the dates
that stage needs; the rules are those the case operations keep and the CHECK
constraints of ``case_file`` hold (see ``casework.imports.case_rules``), each
broken one reported on its column. The client is found by the clients
import's source key, by NIK, or by the client's number (its id). Each case
gets a number from the agency's counter (reserved for the whole batch at
once), its stay, its needs, the SPM service type when assessed (as
``complete_assessment`` derives it), and one timeline event "imported".
Imported cases are history: a changed row is not applied to the case again.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.cases.labels import CHANNEL_LABELS, OUTCOME_LABELS, SETTING_LABELS, STAGE_LABELS
from casework.cases.models import Case, CaseEvent, CaseNeed, CaseStay, IntakeChannel, Outcome, Setting, Stage
from casework.clients.models import Client
from casework.extensions import db
from casework.imports.bulk import insert_returning_ids
from casework.imports.case_rules import check_dates, check_stay, derived_spm_types, reserve_numbers
from casework.imports.cells import date_cell, enum_cell, text_cell
from casework.imports.types import Action, Column, key_column, register

_INTAKE_LEVELS = (3, 4)


class CasesType:
    """Cases (kasus)."""

    name = "cases"
    label = _l("Kasus")
    can_update = False
    columns = (
        key_column(),
        Column(
            "client_key", _l("Kode sumber klien"), help=_l("Kode sumber baris klien di impor klien."), example="A-0001"
        ),
        Column("client_nik", _l("NIK klien"), help=_l("Dipakai bila kode sumber klien kosong."), example=""),
        Column(
            "client_number",
            _l("Nomor klien"),
            help=_l("Nomor klien di Casework, bila dua kolom di atas kosong."),
            example="",
        ),
        Column("intake_channel", _l("Jalur penerimaan"), required=True, codes="channels", example="outreach"),
        Column("intake_date", _l("Tanggal penerimaan"), required=True, example="03/01/2025"),
        Column("intake_region", _l("Wilayah penerimaan"), help=_l("Kelurahan/desa atau kecamatan."), example=""),
        Column("intake_place", _l("Tempat penerimaan"), example="Terminal Bekasi"),
        Column("circumstances", _l("Keadaan saat ditemukan"), example=""),
        Column("unit", _l("Kode unit penanggung jawab"), codes="units", help=_l("Kosong: unit pengimpor."), example=""),
        Column(
            "caseworker",
            _l("Pekerja sosial (nama pengguna)"),
            help=_l("Kosong: pengimpor, bila ia pemegang kasus."),
            example="",
        ),
        Column("setting", _l("Tempat layanan"), codes="settings", example="community"),
        Column("stay_unit", _l("Kode rumah singgah / shelter / panti"), codes="units", example=""),
        Column("admitted_on", _l("Tanggal masuk"), example=""),
        Column("discharged_on", _l("Tanggal keluar"), example=""),
        Column("stage", _l("Tahap"), codes="stages", help=_l("Kosong: penerimaan (intake)."), example="intake"),
        Column("assessment_started_on", _l("Tanggal mulai asesmen"), example=""),
        Column("assessed_on", _l("Tanggal asesmen selesai"), example=""),
        Column("condition", _l("Kondisi klien"), example=""),
        Column(
            "needs",
            _l("Kebutuhan layanan"),
            codes="services",
            help=_l("Kode layanan dan jumlah, dipisah titik koma: makan x7; sandang."),
            example="",
        ),
        Column("planned_on", _l("Tanggal rencana intervensi"), example=""),
        Column("plan_goals", _l("Tujuan rencana"), example=""),
        Column("outcome", _l("Hasil terminasi"), codes="outcomes", example=""),
        Column("terminated_on", _l("Tanggal terminasi"), example=""),
        Column("termination_notes", _l("Catatan terminasi"), example=""),
        Column(
            "aftercare_until", _l("Bimbingan lanjut sampai"), help=_l("Hanya untuk tahap bimbingan lanjut."), example=""
        ),
    )

    def natural_key(self, row):
        """The client and the intake date and channel (one case per client, day and channel)."""
        client = row.cell("client_key") or row.cell("client_nik") or row.cell("client_number")
        return f"{client}|{row.cell('intake_date')}|{row.cell('intake_channel')}" if client else None

    # ------------------------------------------------------------------ checking

    def _clients(self, ctx, rows):
        """{row line: client id} for the rows whose client is found; notes an error on the others."""
        by_key = ctx.keyed("clients", [row.cell("client_key") for row in rows])
        niks = {row.cell("client_nik") for row in rows if not row.cell("client_key") and row.cell("client_nik")}
        numbers = {
            int(row.cell("client_number"))
            for row in rows
            if row.cell("client_number").isdigit() and not (row.cell("client_key") or row.cell("client_nik"))
        }
        found_nik, found_id = {}, set()
        agency = ctx.agency.id
        if niks:
            select = sa.select(Client.nik, Client.id).where(Client.agency_id == agency, Client.nik.in_(niks))
            found_nik = dict(db.session.execute(select).all())
        if numbers:
            select = sa.select(Client.id).where(Client.agency_id == agency, Client.id.in_(numbers))
            found_id = set(db.session.scalars(select))
        clients = {}
        for row in rows:
            if row.cell("client_key"):
                client_id, column = by_key.get(row.cell("client_key")), "client_key"
            elif row.cell("client_nik"):
                client_id, column = found_nik.get(row.cell("client_nik")), "client_nik"
            elif row.cell("client_number"):
                number = row.cell("client_number")
                client_id, column = (
                    (int(number) if number.isdigit() and int(number) in found_id else None),
                    "client_number",
                )
            else:
                row.error("client_key", _("Isi kode sumber klien, NIK klien, atau nomor klien."))
                continue
            if client_id is None:
                row.error(column, _("Klien %(value)s tidak ditemukan di dinas ini.", value=row.cell(column)))
            else:
                clients[row.line] = client_id
        return clients

    def _needs(self, ctx, row):
        """[(service id, quantity)] from "code x3; code"."""
        needs = {}
        for part in filter(None, (item.strip() for item in row.cell("needs").split(";"))):
            code, _sep, quantity = part.partition(" x")
            service, message = ctx.service_of(code.strip())
            if message:
                row.error("needs", message)
            elif quantity and not quantity.strip().isdigit():
                row.error("needs", _("Jumlah layanan %(code)s harus bilangan bulat.", code=code.strip()))
            else:
                needs[service.id] = int(quantity) if quantity else 1
        return list(needs.items())

    def _values(self, ctx, row):
        """The case's columns from the row (checked), or None."""
        today = ctx.today
        values = {
            "intake_channel": enum_cell(row, "intake_channel", IntakeChannel, CHANNEL_LABELS, is_required=True),
            "intake_date": date_cell(row, "intake_date", is_required=True, today=today),
            "intake_region_code": ctx.region(row, "intake_region", levels=_INTAKE_LEVELS),
            "intake_place": text_cell(row, "intake_place", 300),
            "circumstances": text_cell(row, "circumstances", 10_000),
            "stage": enum_cell(row, "stage", Stage, STAGE_LABELS) or Stage.INTAKE,
            "assessment_started_on": date_cell(row, "assessment_started_on", today=today),
            "assessed_on": date_cell(row, "assessed_on", today=today),
            "condition": text_cell(row, "condition", 10_000),
            "planned_on": date_cell(row, "planned_on", today=today),
            "plan_goals": text_cell(row, "plan_goals", 10_000),
            "outcome": enum_cell(row, "outcome", Outcome, OUTCOME_LABELS),
            "terminated_on": date_cell(row, "terminated_on", today=today),
            "termination_notes": text_cell(row, "termination_notes", 10_000),
            "aftercare_until": date_cell(row, "aftercare_until", today=date_max()),
        }
        unit = ctx.unit(row, "unit") if row.cell("unit") else ctx.actor.unit
        if unit is not None and unit.kind == "partner":
            row.error("unit", _("Kasus ditangani unit dinas sendiri, bukan mitra."))
        caseworker = ctx.user(row, "caseworker") if row.cell("caseworker") else ctx.default_caseworker()
        if caseworker is None and not row.cell("caseworker"):
            row.error("caseworker", _("Wajib diisi: pengimpor bukan pekerja sosial atau supervisor."))
        elif caseworker is not None and not ctx.holds_cases(caseworker):
            row.error("caseworker", _("Pengguna ini bukan pekerja sosial atau supervisor."))
        stay = check_stay(ctx, row, values)
        setting = enum_cell(row, "setting", Setting, SETTING_LABELS)
        values["setting"] = check_dates(row, values, setting, stay)
        needs = self._needs(ctx, row)
        if not row.ok:
            return None
        values.update(unit_id=unit.id, caseworker_id=caseworker)
        return {"case": values, "stay": stay, "needs": needs}

    def check(self, ctx, rows):
        """Checks a batch: client, intake, stay, stage and its dates, needs."""
        clients = self._clients(ctx, rows)
        for row in rows:
            values = self._values(ctx, row)
            if values is None or not row.ok:
                continue
            if row.known:
                row.error(
                    None, _("Baris ini sudah pernah diimpor dengan isi lain; kasus hasil impor tidak diperbarui.")
                )
                continue
            values["case"]["client_id"] = clients[row.line]
            row.values, row.action = values, Action.CREATE
            row.label = f"{values['case']['intake_date'].isoformat()} · {values['case']['stage']}"

    # ------------------------------------------------------------------ writing

    def apply(self, ctx, rows):
        """Inserts the cases, their stays, needs and "imported" events, with numbers reserved per year."""
        numbers = reserve_numbers(ctx.agency.id, [row.values["case"]["intake_date"].year for row in rows])
        spm_types = derived_spm_types(ctx.agency, [row.values["case"] for row in rows])
        cases = []
        for row, number, spm_type in zip(rows, numbers, spm_types, strict=True):
            cases.append(
                {
                    **row.values["case"],
                    "number": number,
                    "agency_id": ctx.agency.id,
                    "opened_by_id": ctx.actor.id,
                    "spm_service_type_id": spm_type,
                }
            )
        ids = insert_returning_ids(Case, cases)
        stays, needs, events = [], [], []
        for row, case_id, case in zip(rows, ids, cases, strict=True):
            row.target_id = case_id
            row.label = case["number"]
            if row.values["stay"]:
                stays.append({**row.values["stay"], "case_id": case_id})
            needs.extend({"case_id": case_id, "service_id": sid, "quantity": qty} for sid, qty in row.values["needs"])
            events.append(
                {
                    "case_id": case_id,
                    "kind": "imported",
                    "actor_id": ctx.actor.id,
                    "details": {"stage": str(case["stage"])},
                }
            )
        if stays:
            db.session.execute(CaseStay.__table__.insert(), stays)
        if needs:
            db.session.execute(CaseNeed.__table__.insert(), needs)
        db.session.execute(CaseEvent.__table__.insert(), events)


def date_max():
    """No upper bound: an aftercare period may end in the future."""
    from datetime import date

    return date.max


CASES = register(CasesType())
