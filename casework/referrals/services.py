"""The referral operations: propose, approve, reject, accept, decline, complete.

Each is a gate, checked here for the pages and the API alike: a step out of
order is a 409 (nothing is accepted or completed before a supervisor approved
it), a decision made on an older copy is a 409 (two supervisors deciding at
once: one wins), the proposer never decides their own referral, and only the
receiving side answers (a user of the receiving unit, or the case's caseworker
recording a partner's or another agency's answer): 403. Every step goes
through ``casework.cases.timeline.changing``, so it is on the case's timeline
and in the audit trail in the same transaction. The caller commits.
"""

from contextlib import contextmanager
from datetime import date

from flask_babel import gettext as _

from casework.cases.intake import next_serial
from casework.cases.proposals import mark_decided
from casework.cases.timeline import changing
from casework.core.errors import Conflict, Forbidden, check_version, flush_versioned
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.lookup import row_by_id
from casework.core.permissions import can
from casework.core.types import utcnow
from casework.core.validation import Problems, choice, flag, text
from casework.extensions import db
from casework.org.models import Unit
from casework.reference.models import Service
from casework.reference.services import checked_region_code
from casework.referrals.labels import STATUS_LABELS
from casework.referrals.models import (
    DestinationKind,
    NoConsentReason,
    Referral,
    ReferralNumberCounter,
    ReferralStatus,
    Urgency,
)

TEXT_MAX_CHARS = 4000
# Another region's Dinas Sosial is a province's (level 1) or a city's / regency's (level 2).
AGENCY_REGION_LEVELS = (1, 2)


def stale_message():
    """What a user is told when someone else decided or answered the referral first."""
    return _(
        "Rujukan ini sudah diubah orang lain sejak Anda membukanya. "
        "Lihat keadaan terbarunya, lalu ulangi langkah Anda bila masih perlu."
    )


def _long_text(problems, data, field, required):
    """The trimmed text of ``data[field]`` (None when blank), at most TEXT_MAX_CHARS long."""
    value = (data.get(field) or "").strip()
    if required and not value:
        problems.add(field, _("Wajib diisi."))
    elif len(value) > TEXT_MAX_CHARS:
        problems.add(field, _("Paling banyak %(n)d karakter.", n=TEXT_MAX_CHARS))
    return value or None


# --- Proposing -------------------------------------------------------------------------------------


def _destination(problems, case, kind, data):
    """The receiver's columns for ``kind``: a unit of the agency, a partner from its directory, or another agency."""
    if kind in (DestinationKind.UNIT, DestinationKind.PARTNER):
        unit = row_by_id(Unit, data.get("to_unit_id"))
        fits = unit is not None and unit.agency_id == case.agency_id and unit.active
        if not fits or unit.is_partner != (kind == DestinationKind.PARTNER):
            message = (
                _("Pilih unit dinas yang aktif.") if kind == DestinationKind.UNIT else _("Pilih mitra yang aktif.")
            )
            problems.add("to_unit_id", message)
            return {}
        return {"to_unit_id": unit.id}
    if kind == DestinationKind.AGENCY:
        name = text(problems, data, Referral.__table__.c.to_agency_name, required=True)
        region_code = checked_region_code(problems, data, "to_region_code", AGENCY_REGION_LEVELS)
        if region_code is None and "to_region_code" not in problems.fields:
            problems.add("to_region_code", _("Wajib diisi."))
        elif region_code is not None and region_code == case.agency.region_code:
            problems.add("to_region_code", _("Pilih wilayah lain: rujukan ke dinas di wilayah sendiri ke unitnya."))
        return {"to_agency_name": name, "to_region_code": region_code}
    return {}


def _services(problems, values):
    """The active catalogued services requested, each once; at least one."""
    found = {}
    for value in values or ():
        service = row_by_id(Service, value)
        if service is None or not service.active:
            problems.add("service_ids", _("Layanan yang dipilih tidak ada di katalog layanan."))
        else:
            found[service.id] = service
    if not found and "service_ids" not in problems.fields:
        problems.add("service_ids", _("Pilih minimal satu layanan yang diminta."))
    return list(found.values())


def _consent(problems, data):
    """(consent given, reason it could not be obtained, notes): one of the first two, notes for "other"."""
    given = flag(data.get("consent_given"))
    reason = choice(problems, data.get("no_consent_reason"), "no_consent_reason", NoConsentReason, required=False)
    notes = text(problems, data, Referral.__table__.c.consent_notes)
    if given and reason is not None:
        problems.add("no_consent_reason", _("Persetujuan sudah dicatat: kosongkan alasan tanpa persetujuan."))
    elif not given and reason is None and "no_consent_reason" not in problems.fields:
        problems.add("consent_given", _("Catat persetujuan klien, atau alasan persetujuan tidak dapat diperoleh."))
    elif reason == NoConsentReason.OTHER and not notes:
        problems.add("consent_notes", _("Jelaskan mengapa persetujuan tidak dapat diperoleh."))
    return given, reason, notes


def next_referral_number(agency_id, year):
    """The agency's next referral number for ``year`` ("RJ-2026-000012"); never shared by two referrals."""
    return f"RJ-{year}-{next_serial(ReferralNumberCounter, agency_id, year):06d}"


def propose(case, actor, data, uuid=None, today=None):
    """Proposes a referral of the case's client; returns (referral, created). A repeated ``uuid`` returns the first."""
    today = today or date.today()
    problems = Problems()
    referral_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, Referral, referral_uuid, lambda referral: referral.case_id == case.id)
    if existing is not None:
        return existing, False
    if not case.is_open:
        raise Conflict(_("Kasus sudah diterminasi: tidak bisa dirujuk lagi."))
    kind = choice(problems, data.get("destination_kind"), "destination_kind", DestinationKind, _("Pilih tujuan."))
    destination = _destination(problems, case, kind, data)
    services = _services(problems, data.get("service_ids"))
    reason = _long_text(problems, data, "reason", required=True)
    urgency = choice(problems, data.get("urgency") or Urgency.ROUTINE.value, "urgency", Urgency)
    consent_given, no_consent_reason, consent_notes = _consent(problems, data)
    problems.raise_any()
    referral = Referral(
        uuid=referral_uuid,
        agency_id=case.agency_id,
        case_id=case.id,
        number=next_referral_number(case.agency_id, today.year),
        destination_kind=kind,
        reason=reason,
        urgency=urgency,
        consent_given=consent_given,
        no_consent_reason=no_consent_reason,
        consent_notes=consent_notes,
        status=ReferralStatus.PROPOSED,
        proposed_by_id=actor.id,
        proposed_at=utcnow(),
        services=services,
        **destination,
    )
    facts = _facts(referral, destination=kind.value, urgency=urgency.value)
    with changing(case, case.version, "referral_proposed", actor, data.get("location"), **facts):
        db.session.add(referral)
        flush_versioned(stale_message)
    return referral, True


# --- Deciding and answering ------------------------------------------------------------------------


def _facts(referral, **more):
    """What every referral event carries (see the event contract): the referral, its number, proposer, receiver."""
    facts = {"referral": str(referral.uuid), "number": referral.number, "proposed_by": referral.proposed_by_id, **more}
    if referral.destination_kind == DestinationKind.UNIT:
        facts["to_unit_id"] = referral.to_unit_id
    return facts


def _require_status(referral, status):
    """Refuses a step the referral's status does not allow (409)."""
    if referral.status != status:
        status = str(STATUS_LABELS[referral.status])
        if referral.status == ReferralStatus.PROPOSED:
            message = _("Rujukan belum disetujui supervisor: langkah ini belum bisa dilakukan.")
        else:
            message = _("Langkah ini tidak bisa dilakukan: rujukan sudah berstatus %(status)s.", status=status)
        raise Conflict(message)


# Each decision: the status it starts from, who may take it (besides holding its permission), its timeline event.
_RULES = {
    "approve": (ReferralStatus.PROPOSED, Referral.can_decide, "referral_approved"),
    "reject": (ReferralStatus.PROPOSED, Referral.can_decide, "referral_rejected"),
    "accept": (ReferralStatus.APPROVED, Referral.can_answer, "referral_accepted"),
    "decline": (ReferralStatus.APPROVED, Referral.can_answer, "referral_declined"),
    "complete": (ReferralStatus.ACCEPTED, Referral.can_answer, "referral_completed"),
}


def _refusal(referral, action):
    """Why ``action`` is not the user's to take: four eyes for decisions, the receiving side for answers."""
    if action in ("approve", "reject"):
        return _("Rujukan yang Anda usulkan sendiri harus diputuskan supervisor lain.")
    if referral.destination_kind == DestinationKind.UNIT:
        return _("Hanya petugas %(unit)s yang dapat menjawab rujukan ini.", unit=referral.to_unit.name)
    return _("Jawaban penerima rujukan dicatat oleh pekerja sosial kasus ini.")


@contextmanager
def _step(referral, actor, version, data, action):
    """Guards ``action`` on the referral (its status, its version, who may take it), then records it on the timeline."""
    status, allowed, kind = _RULES[action]
    _require_status(referral, status)
    check_version(referral, version, stale_message())
    if not allowed(referral, actor):
        raise Forbidden(_refusal(referral, action))
    case = referral.case
    with changing(case, case.version, kind, actor, data.get("location"), **_facts(referral)) as facts:
        yield facts
        flush_versioned(stale_message)


def _noted(data, field, required):
    """The text of ``data[field]``, checked; a 422 when it is missing or too long."""
    problems = Problems()
    value = _long_text(problems, data, field, required)
    problems.raise_any()
    return value


def approve(referral, actor, version, data):
    """A supervisor approves the referral (proposed → approved); the letter may leave from now on."""
    note = _noted(data, "note", required=False)
    with _step(referral, actor, version, data, "approve"):
        mark_decided(referral, actor, ReferralStatus.APPROVED)
        referral.decision_note = note
    return referral


def reject(referral, actor, version, data):
    """A supervisor rejects the referral with a reason (proposed → rejected)."""
    reason = _noted(data, "reason", required=True)
    with _step(referral, actor, version, data, "reject"):
        mark_decided(referral, actor, ReferralStatus.REJECTED)
        referral.decision_note = reason
    return referral


def accept(referral, actor, version, data):
    """The receiving side accepts the approved referral (approved → accepted)."""
    note = _noted(data, "note", required=False)
    with _step(referral, actor, version, data, "accept"):
        referral.status, referral.answer_note = ReferralStatus.ACCEPTED, note
        referral.answered_by_id, referral.answered_at = actor.id, utcnow()
    return referral


def decline(referral, actor, version, data):
    """The receiving side declines the approved referral with a reason (approved → declined)."""
    reason = _noted(data, "reason", required=True)
    with _step(referral, actor, version, data, "decline"):
        referral.status, referral.answer_note = ReferralStatus.DECLINED, reason
        referral.answered_by_id, referral.answered_at = actor.id, utcnow()
    return referral


def complete(referral, actor, version, data):
    """The receiving side records the result of the accepted referral (accepted → completed)."""
    result = _noted(data, "result", required=True)
    with _step(referral, actor, version, data, "complete"):
        referral.status, referral.result = ReferralStatus.COMPLETED, result
        referral.completed_by_id, referral.completed_at = actor.id, utcnow()
    return referral


# The decisions by name, as the pages and the API offer them: (operation, permission).
DECISIONS = {
    "approve": (approve, "referrals.decide"),
    "reject": (reject, "referrals.decide"),
    "accept": (accept, "referrals.answer"),
    "decline": (decline, "referrals.answer"),
    "complete": (complete, "referrals.answer"),
}


def actions_for(referral, user):
    """The decisions ``user`` may take on ``referral`` now, in order (what the pages offer as buttons)."""
    return [
        action
        for action, (status, allowed, _kind) in _RULES.items()
        if referral.status == status and can(user, DECISIONS[action][1]) and allowed(referral, user)
    ]
