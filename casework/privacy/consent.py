"""Recording and withdrawing a client's consent per purpose, shared by the client page and the API.

An answer is dated (not in the future, not before the client was
registered) and says how it was given. A retried record with the same UUID
returns the first answer. Withdrawing ends a given consent on a day; a second
withdrawal is refused (409). Each change writes an audit row naming ids,
purpose and dates only: the note may name a witness or a guardian.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.audit.services import record
from casework.core.errors import Conflict, NotFound
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.localtime import local_today, local_zone
from casework.core.validation import Problems, choice, flag, required_date, text
from casework.extensions import db
from casework.privacy.models import ClientConsent, ConsentMethod, ConsentPurpose

# What a form's or a JSON client's no may say (``flag`` reads the yeses).
NO = frozenset({"0", "false", "no", "tidak", "off", "n"})


def registered_on(client):
    """The day (local time) the client was registered."""
    return client.created_at.astimezone(local_zone()).date()


def _not_before_registration(client):
    """The refusal of a date before the client's registration."""
    day = registered_on(client).isoformat()
    return _("Tanggal tidak boleh sebelum klien didaftarkan (%(date)s).", date=day)


def client_consents(client):
    """The client's answers, newest first."""
    return db.session.scalars(
        sa.select(ClientConsent)
        .where(ClientConsent.client_id == client.id)
        .order_by(ClientConsent.recorded_on.desc(), ClientConsent.id.desc())
    ).all()


def current_consent(client, purpose):
    """The client's latest answer for ``purpose`` that is not withdrawn, or None."""
    return db.session.scalars(
        sa.select(ClientConsent)
        .where(
            ClientConsent.client_id == client.id,
            ClientConsent.purpose == purpose,
            ClientConsent.withdrawn_on.is_(None),
        )
        .order_by(ClientConsent.recorded_on.desc(), ClientConsent.id.desc())
        .limit(1)
    ).first()


def has_consent(client, purpose):
    """True when the client's current answer for ``purpose`` is yes."""
    answer = current_consent(client, purpose)
    return answer is not None and answer.given


def _answer(problems, value):
    """True for a yes, False for a no; anything else is a noted problem."""
    if value in (None, ""):
        problems.add("given", _("Wajib diisi."))
    elif flag(value):
        return True
    elif value is False or str(value).strip().lower() in NO:
        return False
    else:
        problems.add("given", _("Pilih setuju atau tidak setuju."))
    return None


def record_consent(client, actor, data, uuid=None, today=None):
    """Records an answer for one purpose; returns (consent, created). A repeated ``uuid`` returns the first."""
    today = today or local_today()
    problems = Problems()
    consent_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, ClientConsent, consent_uuid, lambda found: found.client_id == client.id)
    if existing is not None:
        return existing, False
    values = {
        "purpose": choice(problems, data.get("purpose"), "purpose", ConsentPurpose),
        "method": choice(problems, data.get("method"), "method", ConsentMethod),
        "recorded_on": required_date(
            problems, data, "recorded_on", today, registered_on(client), _not_before_registration(client)
        ),
        "note": text(problems, data, ClientConsent.__table__.c.note),
    }
    given = _answer(problems, data.get("given"))
    problems.raise_any()
    consent = ClientConsent(uuid=consent_uuid, client_id=client.id, given=given, recorded_by_id=actor.id, **values)
    db.session.add(consent)
    db.session.flush()
    record(
        "privacy.consent_recorded",
        consent,
        actor=actor,
        client_id=client.id,
        purpose=consent.purpose.value,
        given=consent.given,
        recorded_on=consent.recorded_on.isoformat(),
    )
    return consent, True


def client_consent(client, consent_id):
    """The client's answer ``consent_id`` (404 for another client's)."""
    consent = db.session.get(ClientConsent, consent_id)
    if consent is None or consent.client_id != client.id:
        raise NotFound(_("Persetujuan tidak ditemukan."))
    return consent


def withdraw_consent(consent, actor, data, today=None):
    """Withdraws an answer from a day (not in the future, not before it was recorded); twice is refused."""
    today = today or local_today()
    if consent.withdrawn_on is not None:
        message = _("Persetujuan ini sudah ditarik pada %(date)s.", date=consent.withdrawn_on.isoformat())
        raise Conflict(message)
    problems = Problems()
    earliest = _("Tanggal tidak boleh sebelum persetujuan dicatat (%(date)s).", date=consent.recorded_on.isoformat())
    withdrawn = required_date(problems, data, "withdrawn_on", today, consent.recorded_on, earliest)
    problems.raise_any()
    consent.withdrawn_on = withdrawn
    consent.withdrawn_by_id = actor.id
    db.session.flush()
    record(
        "privacy.consent_withdrawn",
        consent,
        actor=actor,
        client_id=consent.client_id,
        purpose=consent.purpose.value,
        withdrawn_on=withdrawn.isoformat(),
    )
    return consent
