"""Attachments on a case: a photo or PDF is stored and on the timeline; anything else is refused and nothing is kept."""

import pytest
import sqlalchemy as sa

from casework.cases.attachments import add_attachment
from casework.cases.models import CaseAttachment, CaseEvent
from casework.core.errors import ValidationFailed
from casework.extensions import db
from tests.files.samples import HTML, PDF, image_bytes, multipart, stored_count


def _attachments(case):
    return db.session.scalars(sa.select(CaseAttachment).where(CaseAttachment.case_id == case.id)).all()


def test_photo_and_letter_are_attached_and_on_the_timeline(new_case, caseworker):
    case = new_case()
    _photo, created = add_attachment(case, caseworker, image_bytes(), {"caption": "Kondisi"}, filename="foto.jpg")
    assert created
    add_attachment(case, caseworker, PDF, {}, filename="surat.pdf")
    kinds = sorted(attachment.file.content_type for attachment in _attachments(case))
    assert kinds == ["application/pdf", "image/jpeg"]
    events = db.session.scalars(
        sa.select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "attachment_added")
    )
    assert len(events.all()) == 2


def test_html_is_refused_and_nothing_is_kept(new_case, caseworker):
    case = new_case()
    before = stored_count()
    with pytest.raises(ValidationFailed) as refused:
        add_attachment(case, caseworker, HTML, {}, filename="surat.pdf")
    assert "PDF" in refused.value.fields["file"][0]
    assert stored_count() == before and _attachments(case) == []


def test_too_large_is_refused(app, new_case, caseworker):
    case = new_case()
    too_big = b"%PDF-1.4\n" + b"0" * app.config["MAX_ATTACHMENT_BYTES"] + b"\n%%EOF"
    with pytest.raises(ValidationFailed) as refused:
        add_attachment(case, caseworker, too_big, {}, filename="besar.pdf")
    assert refused.value.status == 413 and "terlalu besar" in refused.value.fields["file"][0]
    assert _attachments(case) == []


def test_attachment_through_the_case_page(client, login, new_case, caseworker):
    case = new_case()
    login(caseworker)
    sent = client.post(
        f"/cases/{case.uuid}/attach",
        **multipart("attach-file", image_bytes(), "kondisi.jpg", **{"attach-caption": "Tempat ditemukan"}),
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("#attachments")
    [attachment] = _attachments(case)
    page = client.get(f"/cases/{case.uuid}").get_data(as_text=True)
    assert f"/files/{attachment.file.uuid}" in page and "Tempat ditemukan" in page


def test_refused_attachment_shows_the_reason_on_the_case_page(client, login, new_case, caseworker):
    case = new_case()
    login(caseworker)
    refused = client.post(f"/cases/{case.uuid}/attach", **multipart("attach-file", HTML, "surat.pdf"))
    assert refused.status_code == 422 and "Jenis berkas tidak didukung" in refused.get_data(as_text=True)
    assert _attachments(case) == []


def test_attachment_through_the_api_is_idempotent(client, login, new_case, caseworker):
    case = new_case()
    login(caseworker)
    fields = {"uuid": "5a0c3b1e-7d2f-4c8a-9b6e-2f1d0c9b8a7e", "caption": "Surat pengantar RT"}
    first = client.post(f"/api/v1/cases/{case.uuid}/attachments", **multipart("file", PDF, "surat.pdf", **fields))
    again = client.post(f"/api/v1/cases/{case.uuid}/attachments", **multipart("file", PDF, "surat.pdf", **fields))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["uuid"] == again.json["uuid"] == fields["uuid"]
    assert first.json["content_type"] == "application/pdf" and len(_attachments(case)) == 1
    listed = client.get(f"/api/v1/cases/{case.uuid}/attachments").json["items"]
    assert [item["caption"] for item in listed] == ["Surat pengantar RT"]


def test_api_refuses_an_executable_with_the_envelope(client, login, new_case, caseworker):
    case = new_case()
    login(caseworker)
    refused = client.post(f"/api/v1/cases/{case.uuid}/attachments", **multipart("file", HTML, "x.pdf"))
    assert refused.status_code == 422 and "file" in refused.json["error"]["fields"]
    assert _attachments(case) == []


def test_upload_is_documented_as_multipart(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    body = paths["/api/v1/cases/{case_uuid}/attachments"]["post"]["requestBody"]["content"]["multipart/form-data"]
    # One object: the text parts and the file part together (a request can satisfy it).
    schema = body["schema"]
    assert schema["properties"]["file"] == {"type": "string", "format": "binary"}
    assert "caption" in schema["properties"] and "file" in schema["required"]
