"""Emergency access ("break glass"): a reason, a grant until ``BREAK_GLASS_MINUTES`` from now, the supervisors told."""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from casework.access import gate
from casework.access.models import BreakGlassGrant
from casework.audit.services import record
from casework.cases.timeline import log_event
from casework.core.errors import Conflict, ValidationFailed
from casework.core.rows import append_row
from casework.core.types import utcnow

REASON_MIN = 20
EVENT_KIND = "break_glass"


def break_glass(user, case, reason, now=None):
    """Grants ``user`` emergency access to ``case``'s client for ``BREAK_GLASS_MINUTES``; returns the grant.

    The reason is required (at least ``REASON_MIN`` characters) and stays on
    the grant only: the timeline event, which tells the supervisors of the
    case's unit, and the audit row carry ids and times, never the reason.
    It opens a sensitive client's cases and a case outside the user's work
    scope alike. A record the user may read already needs no grant (409).
    """
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        message = _("Tuliskan alasan akses darurat, paling sedikit %(count)d karakter.", count=REASON_MIN)
        raise ValidationFailed(message, fields={"reason": [message]})
    if gate.refusal(user, case) is None:
        raise Conflict(_("Anda sudah dapat membaca kasus ini tanpa akses darurat."))
    now = now or utcnow()
    minutes = current_app.config["BREAK_GLASS_MINUTES"]
    grant = append_row(
        BreakGlassGrant(
            user_id=user.id,
            client_id=case.client_id,
            case_id=case.id,
            reason=reason,
            granted_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    facts = {"grant_id": grant.id, "minutes": minutes, "expires_at": grant.expires_at.isoformat()}
    log_event(case, EVENT_KIND, user, **facts)
    record("access.break_glass", case, actor=user, client_id=case.client_id, **facts)
    return grant
