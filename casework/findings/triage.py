"""Triage of findings and complaints: start the review, then one decision, and the first visit.

A report waits (received or under review) in the queue of its unit until one
decision: open a case from it, attach it to an open case, forward it to
another agency, or close it with a reason. Forwarding it to another unit is
not a decision: it moves to that unit's queue and keeps waiting. Each
operation guards (the report is still waiting, the version the user read),
changes the report, appends one ``ReportEvent`` and one audit row (ids and
codes only) and flushes; the caller commits. A decided report refuses any
further decision with a 409. Opening or attaching a case also writes a
``report_linked`` event on the case's timeline.
"""

import uuid as uuid_module
from contextlib import contextmanager
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import to_user_timezone

from casework.audit.services import record
from casework.cases.intake import open_case
from casework.cases.models import Case, IntakeChannel
from casework.cases.proposals import mark_decided
from casework.cases.timeline import log_event
from casework.clients.models import Client
from casework.clients.services import register_client
from casework.core.errors import Conflict, ValidationFailed, check_version, flush_versioned
from casework.core.localtime import local_today
from casework.core.lookup import row_by_id
from casework.core.rows import append_row
from casework.core.types import utcnow
from casework.core.validation import Problems, choice, flag, required_date, text
from casework.extensions import db
from casework.findings.models import (
    PENDING,
    CloseReason,
    Report,
    ReportEvent,
    ReportKind,
    ReportStatus,
)
from casework.org.models import Unit

NOTE_MAX_CHARS = 4000


def stale_message():
    """What a user is told when someone else changed or decided the report first."""
    return _(
        "Laporan ini sudah diubah orang lain sejak Anda membukanya. "
        "Lihat keadaan terbarunya, lalu ulangi langkah Anda bila masih perlu."
    )


def _require_pending(report):
    """Refuses a decision on a report that was decided already (409): it is decided once."""
    if report.status not in PENDING:
        raise Conflict(_("Laporan ini sudah diputuskan. Keputusan atas satu laporan hanya diambil sekali."))


def _note(problems, data, field="note", required=False):
    """The trimmed free text of ``data[field]`` (None when blank), at most NOTE_MAX_CHARS long."""
    value = (data.get(field) or "").strip()
    if required and not value:
        problems.add(field, _("Wajib diisi."))
    elif len(value) > NOTE_MAX_CHARS:
        problems.add(field, _("Paling banyak %(n)d karakter.", n=NOTE_MAX_CHARS))
    return value or None


def _event(report, kind, actor, note=None, **data):
    """Appends one step to the report's history; ``data`` holds ids and codes only."""
    return append_row(ReportEvent(report_id=report.id, kind=kind, actor_id=actor.id, note=note, data=data))


@contextmanager
def _step(report, actor, version, kind, note=None, **data):
    """Runs a change of ``report`` read at ``version``; then flushes it and records the event and the audit row.

    The body may add facts (ids, codes) to the yielded dict; they go into the event and the audit row.
    """
    check_version(report, version, stale_message())
    facts = dict(data)
    yield facts
    flush_versioned(stale_message)
    _event(report, kind, actor, note, **facts)
    record(f"report.{kind}", report, actor=actor, **facts)
    db.session.flush()


def start_review(report, actor, version, data=None):
    """A supervisor starts looking at a received report (received → under review); the reporter sees it."""
    if report.status != ReportStatus.RECEIVED:
        _require_pending(report)
        raise Conflict(_("Laporan ini sudah mulai ditinjau."))
    with _step(report, actor, version, "review_started"):
        report.status = ReportStatus.UNDER_REVIEW
        report.review_started_at, report.review_started_by_id = utcnow(), actor.id
    return report


# --- Reaching a case --------------------------------------------------------------------------------


def _chosen_client(agency_id, value):
    """The agency's (unmerged) client with UUID ``value``; a 422 on ``client_uuid`` otherwise."""
    try:
        key = uuid_module.UUID(str(value))
    except ValueError:
        key = None
    client = db.session.scalar(sa.select(Client).where(Client.uuid == key)) if key else None
    if client is None or client.agency_id != agency_id or client.merged_into_id is not None:
        raise ValidationFailed(
            _("Periksa kembali isian yang ditandai."), fields={"client_uuid": [_("Klien tidak ditemukan.")]}
        )
    return client


def _new_client_values(report, data):
    """A new client's values: what the supervisor typed, else what the report says of the person."""
    values = {
        "full_name": data.get("full_name") or report.person_name,
        "sex": data.get("sex") or (report.person_sex.value if report.person_sex else None),
        "birth_year": data.get("birth_year"),
        "birth_year_estimated": flag(data.get("birth_year_estimated")),
        # Where the person was found: the best known domicile until someone asks.
        "domicile_region_code": report.region_code,
        "categories": [{"category_id": report.category_id, "since": report.observed_on}] if report.category_id else [],
    }
    if values["birth_year"] in (None, "") and report.person_age is not None:
        values["birth_year"], values["birth_year_estimated"] = report.observed_on.year - report.person_age, True
    return values


def _intake_values(report, data):
    """The case's intake, pre-filled from the report; the unit defaults to the report's, the holder is chosen."""
    channel = IntakeChannel.VOLUNTEER_FINDING if report.kind == ReportKind.FINDING else IntakeChannel.COMPLAINT
    circumstances = "\n\n".join(part for part in (report.description, report.person_details) if part)
    return {
        "intake_channel": channel.value,
        "intake_date": report.observed_on,
        "intake_region_code": report.region_code,
        "intake_place": report.place,
        "intake_latitude": report.latitude,
        "intake_longitude": report.longitude,
        "circumstances": circumstances,
        "unit_id": data.get("unit_id") or report.unit_id,
        "caseworker_id": data.get("caseworker_id"),
    }


def _link_case(case, report, actor):
    """Writes the case timeline's line naming the report that led to or joined it."""
    log_event(case, "report_linked", actor, report_number=report.number, report_kind=report.kind.value)


def open_case_from_report(report, actor, version, data, today=None):
    """Opens a case from the report for a chosen client (``client_uuid``) or a new one; returns the report.

    A new client is registered from the typed values or the report's person
    (name, sex, age as an estimated birth year, the village, the category
    guess); a likely duplicate is refused with the candidates unless
    ``confirm_new``. The case's intake is the report's: channel, observed
    date, village, place, GPS, description. Client, case and decision are
    one savepoint: any refusal leaves nothing behind.
    """
    today = today or date.today()
    _require_pending(report)
    check_version(report, version, stale_message())
    with db.session.begin_nested():
        if data.get("client_uuid"):
            client = _chosen_client(report.agency_id, data["client_uuid"])
        else:
            values = _new_client_values(report, data)
            client, _created = register_client(
                actor.agency, actor, values, confirm_new=flag(data.get("confirm_new")), today=today
            )
        case, _created = open_case(actor.agency, actor, client, _intake_values(report, data), today=today)
        _link_case(case, report, actor)
        with _step(report, actor, version, "case_opened", case_id=case.id, client_id=client.id):
            mark_decided(report, actor, ReportStatus.CASE_OPENED)
            report.case = case
    return report


def _case_by_number(problems, agency_id, number):
    """The agency's case numbered ``number`` ("KS-2026-000123"), noted on ``case_number`` when there is none."""
    wanted = (number or "").strip().upper()
    if not wanted:
        problems.add("case_number", _("Wajib diisi."))
        return None
    case = db.session.scalar(sa.select(Case).where(Case.agency_id == agency_id, Case.number == wanted))
    if case is None:
        problems.add("case_number", _("Nomor kasus tidak ditemukan."))
    return case


def attach_to_case(report, actor, version, data):
    """Attaches the report to the agency's open case numbered ``case_number`` (the person is already served)."""
    problems = Problems()
    case = _case_by_number(problems, report.agency_id, data.get("case_number"))
    note = _note(problems, data)
    problems.raise_any()
    _require_pending(report)
    if not case.is_open:
        raise Conflict(_("Kasus %(number)s sudah diterminasi: buka kasus baru dari laporan ini.", number=case.number))
    with _step(report, actor, version, "case_attached", note, case_id=case.id):
        mark_decided(report, actor, ReportStatus.CASE_ATTACHED)
        report.case, report.decision_note = case, note
    _link_case(case, report, actor)
    return report


# --- Forwarding and closing -------------------------------------------------------------------------


def forward_to_unit(report, actor, version, data):
    """Moves the waiting report to another unit's queue (the unit that covers the place better); still waiting."""
    problems = Problems()
    unit = row_by_id(Unit, data.get("unit_id"))
    if unit is None or unit.agency_id != report.agency_id or not unit.active or unit.is_partner:
        problems.add("unit_id", _("Pilih unit dinas yang aktif."))
    elif unit.id == report.unit_id:
        problems.add("unit_id", _("Laporan sudah ada di antrean unit ini."))
    note = _note(problems, data)
    problems.raise_any()
    _require_pending(report)
    with _step(report, actor, version, "forwarded_to_unit", note, from_unit_id=report.unit_id, to_unit_id=unit.id):
        report.unit_id = unit.id
    return report


def forward_to_agency(report, actor, version, data):
    """Decides to hand the report to another agency or service (status forwarded), named in ``name``."""
    problems = Problems()
    name = text(problems, {"forwarded_to_name": data.get("name")}, Report.__table__.c.forwarded_to_name, required=True)
    if "forwarded_to_name" in problems.fields:
        problems.fields["name"] = problems.fields.pop("forwarded_to_name")
    note = _note(problems, data)
    problems.raise_any()
    _require_pending(report)
    with _step(report, actor, version, "forwarded", note):
        mark_decided(report, actor, ReportStatus.FORWARDED)
        report.forwarded_to_name, report.decision_note = name, note
    return report


def _duplicate_of(problems, report, number):
    """The agency's other report numbered ``number``, which this one repeats; noted on ``duplicate_of``."""
    wanted = (number or "").strip().upper()
    if not wanted:
        problems.add("duplicate_of", _("Isi nomor laporan yang sama."))
        return None
    other = db.session.scalar(sa.select(Report).where(Report.agency_id == report.agency_id, Report.number == wanted))
    if other is None or other.id == report.id:
        problems.add("duplicate_of", _("Isi nomor laporan lain yang ada di dinas ini."))
        return None
    return other


def close_report(report, actor, version, data):
    """Closes the report without a case, with a reason (not found, not a PPKS, duplicate of another, other)."""
    problems = Problems()
    reason = choice(problems, data.get("reason"), "reason", CloseReason, _("Pilih alasan penutupan."))
    note = _note(problems, data, required=reason == CloseReason.OTHER)
    duplicate = _duplicate_of(problems, report, data.get("duplicate_of")) if reason == CloseReason.DUPLICATE else None
    problems.raise_any()
    _require_pending(report)
    facts = {"reason": reason.value, "duplicate_of_id": duplicate.id if duplicate else None}
    with _step(report, actor, version, "closed", note, **facts):
        mark_decided(report, actor, ReportStatus.CLOSED)
        report.close_reason, report.decision_note = reason, note
        report.duplicate_of_id = duplicate.id if duplicate else None
    return report


def received_on(report):
    """The day (Jakarta time) the report was received."""
    return to_user_timezone(report.received_at).date()


def record_first_visit(report, actor, version, data, today=None):
    """Records the day someone first went to see the person (response time: received → first visit); once."""
    # The agency's day, as the day it was received is (a visit on the evening's report day is not "future").
    today = today or local_today()
    problems = Problems()
    earliest = received_on(report)
    message = _("Kunjungan pertama tidak boleh sebelum laporan diterima (%(day)s).", day=earliest.isoformat())
    visited_on = required_date(problems, data, "visited_on", today, earliest, message)
    note = _note(problems, data)
    problems.raise_any()
    if report.first_visit_on is not None:
        raise Conflict(_("Kunjungan pertama laporan ini sudah dicatat."))
    with _step(report, actor, version, "first_visit", note, visited_on=visited_on.isoformat()):
        report.first_visit_on = visited_on
    return report


# The operations by the name the pages and the API use, each taking (report, actor, version, data).
OPERATIONS = {
    "review": start_review,
    "open-case": open_case_from_report,
    "attach": attach_to_case,
    "forward-unit": forward_to_unit,
    "forward-agency": forward_to_agency,
    "close": close_report,
    "visit": record_first_visit,
}


def actions_for(report):
    """The operations the report allows now, in page order: a waiting report's decisions, then the first visit."""
    actions = []
    if report.status in PENDING:
        reviewed = report.status != ReportStatus.RECEIVED
        actions = [action for action in OPERATIONS if action != "visit" and not (reviewed and action == "review")]
    if report.first_visit_on is None:
        actions.append("visit")
    return actions
