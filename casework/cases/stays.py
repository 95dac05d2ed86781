"""Where a case is served: family or community, or a residential stay in a shelter, rumah singgah or panti.

A shelter or rumah singgah stay carries the agency's stay limit from the day
of admission; a stay open beyond it is overdue (``CaseStay.overdue``).
"""

from datetime import date, timedelta

from flask_babel import gettext as _

from casework.cases.models import OPEN_STAGES, RESIDENTIAL_SETTINGS, CaseStay, Setting
from casework.cases.timeline import changing
from casework.core.errors import Conflict
from casework.core.lookup import row_by_id
from casework.core.validation import Problems, choice, date_value, required_date
from casework.org.models import PartnerType, Unit, UnitKind

SHELTER_KINDS = (UnitKind.RUMAH_SINGGAH, UnitKind.SHELTER)


def _require_open(case):
    """Refuses a change of setting on a terminated case."""
    if case.stage not in OPEN_STAGES:
        raise Conflict(_("Kasus sudah diterminasi: tempat layanan tidak bisa diubah."))


def residential_setting(unit):
    """The setting a stay in ``unit`` puts the case in, or None when the unit houses no one."""
    if unit.kind in SHELTER_KINDS:
        return Setting.SHELTER
    if unit.kind == UnitKind.PANTI or unit.partner_type == PartnerType.PANTI:
        return Setting.PANTI
    return None


def _residence(problems, agency_id, value):
    """The agency's active shelter, rumah singgah or panti (its own or a partner panti) in ``value``."""
    unit = row_by_id(Unit, value)
    if unit is None or unit.agency_id != agency_id or not unit.active or residential_setting(unit) is None:
        problems.add("unit_id", _("Pilih rumah singgah, shelter, atau panti yang aktif."))
        return None
    return unit


def admit(case, actor, version, data, today=None):
    """Admits the client to a residence from ``admitted_on``; an open stay elsewhere ends that day (a move)."""
    today = today or date.today()
    _require_open(case)
    problems = Problems()
    unit = _residence(problems, case.agency_id, data.get("unit_id"))
    current = case.current_stay
    earliest = max(case.intake_date, current.admitted_on) if current else case.intake_date
    admitted = required_date(
        problems,
        data,
        "admitted_on",
        today,
        earliest,
        _("Tanggal masuk tidak boleh sebelum penerimaan atau masuk sebelumnya."),
    )
    discharged = date_value(problems, data.get("discharged_on"), "discharged_on", today)
    if admitted and discharged and discharged < admitted:
        problems.add("discharged_on", _("Tanggal keluar tidak boleh sebelum tanggal masuk."))
    problems.raise_any()
    setting = residential_setting(unit)
    limit = case.agency.stay_limit_days if setting == Setting.SHELTER else None
    with changing(
        case, version, "setting_changed", actor, data.get("location"), setting=setting.value, unit_id=unit.id
    ):
        if current is not None:
            current.discharged_on = admitted
        last_day = admitted + timedelta(days=limit - 1) if limit else None
        stay = CaseStay(
            unit_id=unit.id, admitted_on=admitted, discharged_on=discharged, limit_days=limit, last_allowed_day=last_day
        )
        case.stays.append(stay)
        case.setting = setting if discharged is None else Setting.COMMUNITY
    return stay


def discharge(case, actor, version, data, today=None):
    """Ends the open stay on ``discharged_on``; the client goes on to a family or community setting."""
    today = today or date.today()
    _require_open(case)
    stay = case.current_stay
    if stay is None:
        raise Conflict(_("Klien tidak sedang tinggal di rumah singgah, shelter, atau panti."))
    problems = Problems()
    discharged = required_date(
        problems, data, "discharged_on", today, stay.admitted_on, _("Tanggal keluar tidak boleh sebelum tanggal masuk.")
    )
    setting = choice(problems, data.get("setting"), "setting", Setting, _("Pilih keluarga atau masyarakat."))
    if setting in RESIDENTIAL_SETTINGS:
        problems.add("setting", _("Pilih keluarga atau masyarakat."))
    problems.raise_any()
    with changing(case, version, "setting_changed", actor, data.get("location"), setting=setting.value):
        stay.discharged_on, case.setting = discharged, setting
    return case


def set_setting(case, actor, version, data):
    """Moves a case between family and community settings (a residence is entered by ``admit``)."""
    _require_open(case)
    problems = Problems()
    setting = choice(problems, data.get("setting"), "setting", Setting, _("Pilih keluarga atau masyarakat."))
    if setting in RESIDENTIAL_SETTINGS:
        problems.add("setting", _("Untuk rumah singgah, shelter, atau panti, catat tanggal masuknya."))
    problems.raise_any()
    if case.current_stay is not None:
        raise Conflict(_("Klien masih tinggal di rumah singgah, shelter, atau panti: catat tanggal keluarnya."))
    with changing(case, version, "setting_changed", actor, data.get("location"), setting=setting.value):
        case.setting = setting
    return case
