"""Transfer of a case to another agency: propose, approve or reject, then accept (hand-over) or decline.

Every step is a named operation with its guards, on the case's timeline
(through ``casework.cases.timeline.changing``) and in the audit trail:
- only an open case without a transfer under way can be proposed (409);
- the sending agency's supervisor decides, never the proposer (403), and the
  receiving agency answers; anyone else does not see the transfer (404);
- a decision at a stale version of the transfer, or in the wrong state, is a 409.

On acceptance the case moves to the receiving agency with its history: a new
case number from the receiver's counter, the client in the receiver's
registry (the record already there, or a copy), the unit and caseworker the
receiver chose. The transfer keeps the facts as they were at hand-over.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.access.gate import admit_case
from casework.auth.models import Role
from casework.cases.intake import case_holder, next_case_number, parse_location, responsible_unit
from casework.cases.models import CaseAttachment, Setting
from casework.cases.proposals import refuse_own
from casework.cases.timeline import changing
from casework.clients.matching import Probe, likely_duplicates
from casework.clients.models import Client, ClientCategory
from casework.clients.services import CLIENT_FIELDS, nik_holder, reindex
from casework.core.errors import Conflict, Forbidden, NotFound, check_version, flush_versioned
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.lookup import row_by_id
from casework.core.types import utcnow
from casework.core.validation import Problems
from casework.extensions import db
from casework.files.models import StoredFile
from casework.org.models import Agency
from casework.transfers.labels import TRANSFER_STATUS_LABELS
from casework.transfers.models import CaseTransfer, TransferStatus

DECIDERS = (Role.SUPERVISOR, Role.ADMIN)


def stale_message():
    """What a user is told when someone decided the transfer first."""
    return _(
        "Pemindahan ini sudah diputuskan atau diubah orang lain. Lihat keadaan terbarunya, lalu ulangi bila perlu."
    )


def _missing():
    """The refusal for a transfer the user's agency may not see."""
    return NotFound(_("Pemindahan tidak ditemukan."))


def visible_to(transfer, agency_id):
    """True when ``agency_id`` may see ``transfer``: the sender always, the receiver once it was approved."""
    if transfer.from_agency_id == agency_id:
        return True
    return transfer.to_agency_id == agency_id and transfer.status not in (
        TransferStatus.PROPOSED,
        TransferStatus.REJECTED,
    )


def readable_transfer(user, transfer_uuid):
    """The transfer ``transfer_uuid`` as ``user``'s agency may see it; otherwise as good as missing.

    While the case is still the sender's, only someone who may read it (``admit_case``) reads its transfer.
    """
    key = parse_uuid(Problems(), transfer_uuid) if transfer_uuid not in (None, "") else None
    transfer = db.session.scalar(sa.select(CaseTransfer).where(CaseTransfer.uuid == key)) if key else None
    if transfer is None or not visible_to(transfer, user.agency_id):
        raise _missing()
    if transfer.case.agency_id == user.agency_id:
        admit_case(user, transfer.case)
    return transfer


def pending_transfer(case):
    """The case's transfer under way, or None."""
    return db.session.scalar(
        sa.select(CaseTransfer).where(
            CaseTransfer.case_id == case.id,
            CaseTransfer.status.in_((TransferStatus.PROPOSED, TransferStatus.APPROVED)),
        )
    )


def _receiving_agency(problems, case, value):
    """Another agency of this deployment, named by id in ``value``."""
    agency = row_by_id(Agency, value)
    if agency is None:
        problems.add("to_agency_id", _("Pilih dinas sosial tujuan."))
        return None
    if agency.id == case.agency_id:
        problems.add("to_agency_id", _("Kasus tidak bisa dipindahkan ke dinas sendiri."))
        return None
    return agency


def propose_transfer(case, actor, data, uuid=None):
    """Proposes handing the open ``case`` to another agency; returns (transfer, created).

    A repeated call with the same ``uuid`` returns the transfer proposed the first time.
    """
    problems = Problems()
    transfer_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, CaseTransfer, transfer_uuid, lambda row: row.case_id == case.id)
    if existing is not None:
        return existing, False
    if not case.is_open:
        raise Conflict(_("Kasus yang sudah diterminasi tidak bisa dipindahkan."))
    if pending_transfer(case) is not None:
        raise Conflict(_("Kasus ini sudah dalam proses pemindahan."))
    agency = _receiving_agency(problems, case, data.get("to_agency_id"))
    reason = _note(problems, data, "reason", _("Tuliskan alasan pemindahan."))
    handover_items = _note(problems, data, "handover_items")
    location = parse_location(problems, data)
    problems.raise_any()
    transfer = CaseTransfer(
        uuid=transfer_uuid,
        case_id=case.id,
        from_agency_id=case.agency_id,
        to_agency_id=agency.id,
        reason=reason,
        handover_items=handover_items,
        from_case_number=case.number,
        proposed_by_id=actor.id,
    )
    facts = {"transfer": str(transfer_uuid), "to_agency_id": agency.id}
    with changing(case, case.version, "transfer_proposed", actor, location, **facts):
        db.session.add(transfer)
    return transfer, True


def _check(transfer, version, status):
    """Refuses a decision at a stale ``version`` of the transfer, or when it is not in ``status``."""
    check_version(transfer, version, stale_message())
    if transfer.status != status:
        raise Conflict(
            _("Langkah ini tidak bisa dilakukan: pemindahan sudah %(status)s.", status=status_label(transfer))
        )


def status_label(transfer):
    """The transfer's status as users read it."""
    return str(TRANSFER_STATUS_LABELS[transfer.status])


def _sender_decision(transfer, actor, version):
    """Guards a supervisor's decision for the sending agency: their agency, never the proposer, still proposed."""
    if actor.agency_id != transfer.from_agency_id:
        raise _missing()
    if actor.role not in DECIDERS:
        raise Forbidden(_("Hanya supervisor atau admin dinas pengirim yang dapat memutuskan pemindahan."))
    refuse_own(transfer, actor, _("Pengusul tidak boleh menyetujui atau menolak usulannya sendiri."))
    _check(transfer, version, TransferStatus.PROPOSED)


def _receiver_answer(transfer, actor, version):
    """Guards the receiving agency's answer: its supervisor or admin, on an approved transfer."""
    if actor.agency_id != transfer.to_agency_id or not visible_to(transfer, actor.agency_id):
        raise _missing()
    if actor.role not in DECIDERS:
        raise Forbidden(_("Hanya supervisor atau admin dinas penerima yang dapat menerima pemindahan."))
    _check(transfer, version, TransferStatus.APPROVED)


def _event_facts(transfer):
    """What every decision event carries, so notifications need not know this table."""
    return {
        "transfer": str(transfer.uuid),
        "to_agency_id": transfer.to_agency_id,
        "proposed_by": transfer.proposed_by_id,
    }


def _flush_transfer():
    """Flushes; a decision saved meanwhile by someone else becomes a Conflict."""
    flush_versioned(stale_message)


def _note(problems, data, field, required_message=None):
    """The trimmed note typed in ``field``; required when a message for its absence is given."""
    value = (data.get(field) or "").strip() or None
    if value is None and required_message:
        problems.add(field, required_message)
    return value


def decide_transfer(transfer, actor, version, data, approve, now=None):
    """The sending supervisor approves (the receiver then sees it) or rejects (with a reason) the transfer."""
    _sender_decision(transfer, actor, version)
    problems = Problems()
    note = _note(problems, data, "decision_note", None if approve else _("Tuliskan alasan penolakan."))
    location = parse_location(problems, data)
    problems.raise_any()
    case = transfer.case
    kind = "transfer_approved" if approve else "transfer_rejected"
    with changing(case, case.version, kind, actor, location, **_event_facts(transfer)):
        transfer.status = TransferStatus.APPROVED if approve else TransferStatus.REJECTED
        transfer.decided_by_id, transfer.decided_at, transfer.decision_note = actor.id, now or utcnow(), note
        _flush_transfer()
    return transfer


def decline_transfer(transfer, actor, version, data, now=None):
    """The receiving agency declines the transfer, with a reason; the case stays with the sender."""
    _receiver_answer(transfer, actor, version)
    problems = Problems()
    note = _note(problems, data, "answer_note", _("Tuliskan alasan tidak menerima."))
    location = parse_location(problems, data)
    problems.raise_any()
    case = transfer.case
    with changing(case, case.version, "transfer_declined", actor, location, **_event_facts(transfer)):
        transfer.status = TransferStatus.DECLINED
        transfer.answered_by_id, transfer.answered_at, transfer.answer_note = actor.id, now or utcnow(), note
        _flush_transfer()
    return transfer


def receiving_candidates(transfer):
    """The receiving registry's clients that may be the transferred client, best first (NIK holder first)."""
    client = transfer.case.client
    holder = nik_holder(transfer.to_agency_id, client.nik)
    matches = likely_duplicates(
        transfer.to_agency_id, Probe.of({name: getattr(client, name) for name in CLIENT_FIELDS})
    )
    found = [match.client for match in matches]
    return [holder, *(row for row in found if row.id != holder.id)] if holder else found


def _receiving_client(problems, transfer, actor, value):
    """The client in the receiving registry: the one chosen, the holder of the same NIK, or a copy made now."""
    client = transfer.case.client
    holder = nik_holder(transfer.to_agency_id, client.nik)
    if value not in (None, ""):
        chosen = db.session.scalar(sa.select(Client).where(Client.uuid == parse_uuid(problems, value)))
        if chosen is None or chosen.agency_id != transfer.to_agency_id or chosen.merged_into_id is not None:
            problems.add("client_uuid", _("Klien tidak ditemukan di daftar klien dinas penerima."))
            return None
        if holder is not None and chosen.id != holder.id:
            problems.add("client_uuid", _("NIK klien ini sudah terdaftar atas nama %(name)s.", name=holder.full_name))
            return None
        return chosen
    return holder or _copy_client(client, transfer.to_agency_id, actor)


def _copy_client(client, agency_id, actor):
    """A copy of ``client`` (identity, documents, categories) in agency ``agency_id``'s registry."""
    copy = Client(
        agency_id=agency_id, created_by_id=actor.id, **{name: getattr(client, name) for name in CLIENT_FIELDS}
    )
    copy.categories = [
        ClientCategory(category_id=held.category_id, since=held.since, until=held.until) for held in client.categories
    ]
    db.session.add(copy)
    db.session.flush()
    reindex(copy)
    return copy


def snapshot(case):
    """The facts of ``case`` as they are now, for the sender's read-only record (plain JSON values)."""
    client = case.client
    return {
        "number": case.number,
        "client_name": client.full_name,
        "client_nik": client.nik,
        "client_birth_year": client.birth_year,
        "stage": case.stage.value,
        "setting": case.setting.value,
        "intake_date": case.intake_date.isoformat(),
        "intake_channel": case.intake_channel.value,
        "unit": case.unit.name,
        "caseworker": case.caseworker.full_name,
        "condition": case.condition,
        "plan_goals": case.plan_goals,
        "needs": [
            {"service": need.service.name, "quantity": need.quantity, "met_on": need.met_on and need.met_on.isoformat()}
            for need in case.needs
        ],
    }


def accept_transfer(transfer, actor, version, data, today=None, now=None):
    """The receiving agency accepts: the case, with its history, becomes theirs (see the module's notes)."""
    today = today or date.today()
    _receiver_answer(transfer, actor, version)
    case = transfer.case
    if not case.is_open:
        raise Conflict(_("Kasus ini sudah diterminasi oleh dinas pengirim; pemindahan tidak bisa diterima."))
    problems = Problems()
    unit = responsible_unit(problems, transfer.to_agency_id, data.get("unit_id") or actor.unit_id)
    holder = actor.id if actor.role == Role.SUPERVISOR else None
    caseworker = case_holder(problems, transfer.to_agency_id, data.get("caseworker_id") or holder)
    note = _note(problems, data, "answer_note")
    location = parse_location(problems, data)
    client = _receiving_client(problems, transfer, actor, data.get("client_uuid")) if not problems.fields else None
    problems.raise_any()
    facts = {**_event_facts(transfer), "from_agency_id": transfer.from_agency_id, "from_number": case.number}
    with changing(case, case.version, "transfer_accepted", actor, location, **facts) as event_facts:
        number = next_case_number(transfer.to_agency_id, today.year)
        transfer.status, transfer.snapshot, transfer.to_case_number = TransferStatus.ACCEPTED, snapshot(case), number
        transfer.answered_by_id, transfer.answered_at, transfer.answer_note = actor.id, now or utcnow(), note
        _flush_transfer()
        stay, to_agency = case.current_stay, transfer.to_agency
        # The agency and the number change in one UPDATE: either alone could clash with another case's number.
        with db.session.no_autoflush:
            case.agency, case.number, case.client, case.unit, case.caseworker = (
                to_agency,
                number,
                client,
                unit,
                caseworker,
            )
            if stay is not None:
                # The client leaves the sender's residence at hand-over.
                stay.discharged_on = max(today, stay.admitted_on)
                case.setting = Setting.COMMUNITY
        # The case's photos and letters go with it.
        attached = sa.select(CaseAttachment.file_id).where(CaseAttachment.case_id == case.id)
        db.session.execute(
            sa.update(StoredFile).where(StoredFile.id.in_(attached)).values(agency_id=transfer.to_agency_id)
        )
        event_facts["to_number"] = case.number
    return transfer
