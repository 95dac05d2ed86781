"""Consent per purpose: recorded and withdrawn with their guards, on the client page and through the API."""

import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.core.errors import Conflict, ValidationFailed
from casework.core.localtime import local_today
from casework.extensions import db
from casework.privacy import consent as services
from casework.privacy.models import ClientConsent, ConsentPurpose


def _answer(**data):
    """A complete answer for the referral purpose, recorded today."""
    return {"purpose": "referral", "given": "yes", "recorded_on": local_today(), "method": "signed_form", **data}


def test_recording_and_withdrawing(new_client, caseworker):
    client = new_client(full_name="Rina Wati")
    answer, created = services.record_consent(client, caseworker, _answer(note="Saksi: Bu RT"))
    assert created and answer.given and answer.purpose == ConsentPurpose.REFERRAL
    assert services.has_consent(client, ConsentPurpose.REFERRAL)
    assert not services.has_consent(client, ConsentPurpose.PHOTOS)
    services.withdraw_consent(answer, caseworker, {"withdrawn_on": local_today().isoformat()})
    assert answer.withdrawn_on == local_today() and answer.withdrawn_by_id == caseworker.id
    assert not services.has_consent(client, ConsentPurpose.REFERRAL)
    with pytest.raises(Conflict, match="sudah ditarik"):
        services.withdraw_consent(answer, caseworker, {"withdrawn_on": local_today().isoformat()})
    rows = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.details).where(AuditEvent.action.like("privacy.consent_%"))
    ).all()
    assert [action for action, _details in rows] == ["privacy.consent_recorded", "privacy.consent_withdrawn"]
    # Ids, purpose and dates only: never the note, which may name a witness.
    assert all("Bu RT" not in str(details) and "note" not in details for _action, details in rows)


def test_guards(new_client, caseworker):
    client = new_client(full_name="Rina Wati")
    future = local_today() + timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        services.record_consent(client, caseworker, _answer(recorded_on=future, purpose="x", given=""))
    assert set(refused.value.fields) == {"recorded_on", "purpose", "given"}
    with pytest.raises(ValidationFailed) as early:
        services.record_consent(client, caseworker, _answer(recorded_on=date(2000, 1, 1)))
    assert "sebelum klien didaftarkan" in early.value.fields["recorded_on"][0]
    answer, _created = services.record_consent(client, caseworker, _answer())
    with pytest.raises(ValidationFailed):
        services.withdraw_consent(answer, caseworker, {"withdrawn_on": (local_today() - timedelta(days=1)).isoformat()})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientConsent)) == 1


def test_api_is_idempotent_and_checked(client, login, new_client, caseworker):
    person = new_client(full_name="Rina Wati")
    login(caseworker)
    url = f"/api/v1/clients/{person.uuid}/consents"
    body = {"uuid": str(uuid.uuid4()), "purpose": "photos", "given": False, "recorded_on": local_today().isoformat()}
    body["method"] = "guardian"
    first = client.post(url, json=body)
    assert first.status_code == 201, first.json
    assert (first.json["purpose"], first.json["given"], first.json["method"]) == ("photos", False, "guardian")
    assert client.post(url, json=body).status_code == 200
    assert len(client.get(url).json["items"]) == 1
    bad = client.post(url, json={**body, "uuid": str(uuid.uuid4()), "recorded_on": "2099-01-01", "given": "mungkin"})
    assert bad.status_code == 422 and set(bad.json["error"]["fields"]) == {"recorded_on", "given"}
    withdraw = f"{url}/{first.json['id']}/withdraw"
    assert client.post(withdraw, json={"withdrawn_on": local_today().isoformat()}).status_code == 200
    again = client.post(withdraw, json={"withdrawn_on": local_today().isoformat()})
    assert again.status_code == 409 and again.json["error"]["code"]


def test_a_viewer_is_refused_and_a_data_officer_only_reads(client, login, switch_to, new_client, staff):
    person = new_client(full_name="Rina Wati")
    url = f"/api/v1/clients/{person.uuid}/consents"
    login(staff(Role.VIEWER))
    assert client.get(url).status_code == 403
    assert client.post(url, json=_answer(recorded_on=local_today().isoformat())).status_code == 403
    switch_to(staff(Role.DATA_OFFICER))
    assert client.get(url).status_code == 200
    assert client.post(url, json=_answer(recorded_on=local_today().isoformat())).status_code == 403
    assert client.get(f"/privacy/clients/{person.uuid}/consents").status_code == 403
    page = client.get(f"/clients/{person.uuid}").get_data(as_text=True)
    assert "Persetujuan klien" in page and "Catat persetujuan" not in page


def test_the_client_page_records_and_withdraws(client, login, new_client, caseworker):
    person = new_client(full_name="Rina Wati")
    login(caseworker)
    page = client.get(f"/clients/{person.uuid}").get_data(as_text=True)
    assert "Belum ada persetujuan klien untuk dirujuk." in page
    assert "Belum ada persetujuan klien untuk difoto." in page
    form_url = f"/privacy/clients/{person.uuid}/consents"
    form_page = client.get(form_url).get_data(as_text=True)
    assert "Tidak setuju" in form_page and "Oleh wali (anak)" in form_page and 'type="date"' in form_page
    refused = client.post(form_url, data={"purpose": "referral", "recorded_on": "2099-01-01", "method": "signed_form"})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Tanggal tidak boleh di masa depan." in text and "Wajib diisi." in text
    data = {"uuid": str(uuid.uuid4()), "purpose": "referral", "given": "yes", "method": "verbal_witness"}
    data["recorded_on"] = local_today().isoformat()
    assert client.post(form_url, data=data).status_code == 302
    assert client.post(form_url, data=data).status_code == 302
    answers = db.session.scalars(sa.select(ClientConsent).where(ClientConsent.client_id == person.id)).all()
    assert len(answers) == 1
    page = client.get(f"/clients/{person.uuid}").get_data(as_text=True)
    assert "Belum ada persetujuan klien untuk dirujuk." not in page and "Tarik persetujuan" in page
    withdraw = f"/privacy/clients/{person.uuid}/consents/{answers[0].id}/withdraw"
    field = f"withdraw{answers[0].id}-withdrawn_on"
    assert client.post(withdraw, data={field: "2099-01-01"}).status_code == 422
    assert client.post(withdraw, data={field: local_today().isoformat()}).status_code == 302
    assert client.post(withdraw, data={field: local_today().isoformat()}).status_code == 409
    assert "Belum ada persetujuan klien untuk dirujuk." in client.get(f"/clients/{person.uuid}").get_data(as_text=True)
