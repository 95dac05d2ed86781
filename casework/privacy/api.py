"""API endpoints for a client's consent per purpose, through the same services as the client page.

Recording carries the device's UUID: a retry returns the first answer (200)
instead of recording it twice (201).
"""

from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_json
from casework.clients.queries import readable_client
from casework.core.permissions import require
from casework.extensions import db
from casework.privacy import consent as services
from casework.privacy.schemas import ConsentInputSchema, ConsentSchema, ConsentWithdrawSchema

_CONSENT = ConsentSchema()


@bp.get("/clients/<client_uuid>/consents")
@require("clients.view")
@documented(ConsentSchema, many=True)
def list_consents(client_uuid):
    """The client's consent answers per purpose, newest first (withdrawn ones too)."""
    client = readable_client(current_user, client_uuid)
    return {"items": _CONSENT.dump(services.client_consents(client), many=True)}


@bp.post("/clients/<client_uuid>/consents")
@require("clients.manage")
@documented(ConsentSchema, body=ConsentInputSchema, status=(201, 200))
def record_consent(client_uuid):
    """Records an answer (201); a retried ``uuid`` returns the first one (200)."""
    client = readable_client(current_user, client_uuid)
    data = load_json(ConsentInputSchema())
    consent, created = services.record_consent(client, current_user, data, uuid=data.pop("uuid", None))
    body = _CONSENT.dump(consent)
    db.session.commit()
    return body, 201 if created else 200


@bp.post("/clients/<client_uuid>/consents/<int:consent_id>/withdraw")
@require("clients.manage")
@documented(ConsentSchema, body=ConsentWithdrawSchema)
def withdraw_consent(client_uuid, consent_id):
    """Withdraws an answer from ``withdrawn_on``; an answer already withdrawn is a 409."""
    client = readable_client(current_user, client_uuid)
    consent = services.client_consent(client, consent_id)
    services.withdraw_consent(consent, current_user, load_json(ConsentWithdrawSchema()))
    body = _CONSENT.dump(consent)
    db.session.commit()
    return body
