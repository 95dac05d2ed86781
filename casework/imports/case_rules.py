"""The rules an imported case keeps: its stay, its stage and the dates each stage needs, its number and SPM type.

They are the rules of the case operations (``cases.stays``, ``cases.stages``,
``closure``) and the CHECK constraints of ``case_file`` and ``case_stay``,
said per column in Indonesian, so a file never reaches a constraint error.
"""

from collections import Counter, defaultdict
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.cases.intake import next_serial
from casework.cases.models import CLOSED_STAGES, CaseNumberCounter, Setting, Stage
from casework.cases.spm import GROUP_PRIORITY
from casework.cases.stays import residential_setting
from casework.clients.models import ClientCategory
from casework.extensions import db
from casework.imports.cells import date_cell
from casework.reference.models import Category, GovLevel, SpmServiceType

_ASSESSED_STAGES = (Stage.PLANNING, Stage.INTERVENTION)


def check_stay(ctx, row, values):
    """The stay in a shelter, rumah singgah or panti the row gives, as ``case_stay`` values; None when none."""
    if not row.cell("stay_unit"):
        for column in ("admitted_on", "discharged_on"):
            if row.cell(column):
                row.error("stay_unit", _("Isi kode rumah singgah / shelter / panti untuk tanggal masuk dan keluar."))
                break
        return None
    unit = ctx.unit(row, "stay_unit")
    setting = residential_setting(unit) if unit is not None else None
    if unit is not None and setting is None:
        row.error("stay_unit", _("Unit %(code)s bukan rumah singgah, shelter, atau panti.", code=row.cell("stay_unit")))
    intake = values.get("intake_date")
    message = _("Tanggal masuk tidak boleh sebelum tanggal penerimaan.")
    admitted = date_cell(
        row, "admitted_on", is_required=True, today=ctx.today, not_before=intake, not_before_message=message
    )
    discharged = date_cell(row, "discharged_on", today=ctx.today)
    if admitted and discharged and discharged < admitted:
        row.error("discharged_on", _("Tanggal keluar tidak boleh sebelum tanggal masuk."))
    if setting is None or admitted is None or not row.ok:
        return None
    limit = ctx.agency.stay_limit_days if setting == Setting.SHELTER else None
    return {
        "unit_id": unit.id,
        "admitted_on": admitted,
        "discharged_on": discharged,
        "limit_days": limit,
        "last_allowed_day": admitted + timedelta(days=limit - 1) if limit else None,
        "setting": setting,
    }


def _check_assessment(row, values):
    """Assessment dates by stage: none before planning, both (in order, after intake) from planning on."""
    stage, started, assessed = values["stage"], values["assessment_started_on"], values["assessed_on"]
    if assessed and not started:
        values["assessment_started_on"] = started = assessed
    if stage in _ASSESSED_STAGES and assessed is None:
        row.error("assessed_on", _("Wajib diisi untuk tahap rencana intervensi dan intervensi."))
    if stage in (Stage.INTAKE, Stage.ASSESSMENT) and assessed is not None:
        row.error("assessed_on", _("Kasus di tahap ini belum selesai asesmen: kosongkan atau ubah tahapnya."))
    if stage == Stage.INTAKE and started is not None:
        row.error("assessment_started_on", _("Kasus di tahap penerimaan belum mulai asesmen."))
    if started and values["intake_date"] and started < values["intake_date"]:
        row.error("assessment_started_on", _("Asesmen tidak boleh dimulai sebelum tanggal penerimaan."))
    if started and assessed and assessed < started:
        row.error("assessed_on", _("Asesmen tidak boleh selesai sebelum dimulai."))


def _check_plan(row, values):
    """The plan: only in intervention or closed, required in intervention, not before the assessment."""
    stage, planned, assessed = values["stage"], values["planned_on"], values["assessed_on"]
    if stage == Stage.INTERVENTION and planned is None:
        row.error("planned_on", _("Wajib diisi untuk tahap intervensi."))
    if planned and stage not in (Stage.INTERVENTION, *CLOSED_STAGES):
        row.error("planned_on", _("Rencana intervensi hanya ada pada tahap intervensi atau setelahnya."))
    if planned and assessed is None and stage in CLOSED_STAGES:
        row.error("assessed_on", _("Isi tanggal asesmen selesai bila ada tanggal rencana."))
    if planned and assessed and planned < assessed:
        row.error("planned_on", _("Rencana tidak boleh sebelum asesmen selesai."))


def _check_closure(row, values):
    """Outcome and termination date iff closed; aftercare period iff in aftercare."""
    stage, closed = values["stage"], values["stage"] in CLOSED_STAGES
    for column in ("outcome", "terminated_on"):
        if closed and values[column] is None and not any(error.column == column for error in row.errors):
            row.error(column, _("Wajib diisi untuk kasus yang sudah diterminasi."))
        if not closed and values[column] is not None:
            row.error(column, _("Hanya untuk kasus yang sudah diterminasi: kosongkan atau ubah tahapnya."))
    terminated = values["terminated_on"]
    if terminated and values["intake_date"] and terminated < values["intake_date"]:
        row.error("terminated_on", _("Tanggal terminasi tidak boleh sebelum tanggal penerimaan."))
    if (stage == Stage.AFTERCARE) != (values["aftercare_until"] is not None):
        row.error("aftercare_until", _("Diisi jika dan hanya jika tahapnya bimbingan lanjut."))
    elif values["aftercare_until"] and terminated and values["aftercare_until"] <= terminated:
        row.error("aftercare_until", _("Harus setelah tanggal terminasi."))


def check_dates(row, values, setting, stay):
    """Checks the stage's dates (noting errors); returns the case's setting."""
    if values["intake_date"] is None or values["stage"] is None:
        return setting or Setting.COMMUNITY
    _check_assessment(row, values)
    _check_plan(row, values)
    _check_closure(row, values)
    if stay is None:
        return setting or Setting.COMMUNITY
    stay_setting = stay.pop("setting")
    if values["stage"] in CLOSED_STAGES and stay["discharged_on"] is None and values["terminated_on"]:
        # Closing a case ends its open stay that day, as an approved closure does.
        if values["terminated_on"] < stay["admitted_on"]:
            row.error("terminated_on", _("Tanggal terminasi tidak boleh sebelum tanggal masuk."))
        stay["discharged_on"] = values["terminated_on"]
    if stay["discharged_on"] is None:
        if setting is not None and setting != stay_setting:
            row.error(
                "setting",
                _(
                    "Klien masih tinggal di %(code)s: tempat layanan harus %(setting)s.",
                    code=row.cell("stay_unit"),
                    setting=stay_setting.value,
                ),
            )
        return stay_setting
    return setting or Setting.COMMUNITY


def reserve_numbers(agency_id, years):
    """Case numbers for cases opened in ``years`` (one per item, in order), one counter bump per year."""
    wanted = Counter(years)
    counter = CaseNumberCounter.__table__
    serials = {}
    for year, count in wanted.items():
        first = next_serial(CaseNumberCounter, agency_id, year)
        if count > 1:
            db.session.execute(
                sa.update(counter)
                .where(counter.c.agency_id == agency_id, counter.c.year == year)
                .values(last=counter.c.last + (count - 1))
            )
        serials[year] = iter(range(first, first + count))
    return [f"KS-{year}-{next(serials[year]):06d}" for year in years]


def derived_spm_types(agency, cases):
    """Per case (values), the SPM service type id ``complete_assessment`` would derive at its assessment, or None."""
    assessed = [case for case in cases if case["assessed_on"] is not None]
    if not assessed:
        return [None] * len(cases)
    held = defaultdict(list)
    select = (
        sa.select(ClientCategory.client_id, ClientCategory.since, ClientCategory.until, Category.spm_group)
        .join(Category, Category.id == ClientCategory.category_id)
        .where(ClientCategory.client_id.in_({case["client_id"] for case in assessed}), Category.spm_group.is_not(None))
    )
    for client_id, since, until, group in db.session.execute(select):
        held[client_id].append((since, until, group))
    types = dict(
        db.session.execute(
            sa.select(SpmServiceType.target_group, SpmServiceType.id).where(SpmServiceType.level == agency.level)
        ).all()
    )
    result = []
    for case in cases:
        on = case["assessed_on"]
        if on is None or (agency.level == GovLevel.CITY and case["setting"] == Setting.PANTI):
            result.append(None)
            continue
        groups = {
            group for since, until, group in held[case["client_id"]] if since <= on and (until is None or until >= on)
        }
        group = next((group for group in GROUP_PRIORITY if group in groups), None)
        result.append(types.get(group) if group else None)
    return result
