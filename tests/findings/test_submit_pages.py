"""The volunteer's finding pages and the staff complaint page: forms, filing, refusals, the list and home panels."""

import io
import re

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from casework.auth.models import Role, ScopeKind
from casework.extensions import db
from casework.findings.models import Report
from tests.files.samples import image_bytes, stored_count
from tests.findings.conftest import (
    OTHER_DISTRICT_VILLAGE,
    TODAY,
    VILLAGE,
    complaint_data,
    finding_data,
    report_count,
)

FORM_UUID = "8e2d4c6a-1b3f-4d5e-9a7c-2f4e6a8c0b1d"


def form_body(fields, photos=()):
    """Request arguments for a multipart form post of text ``fields`` and ``photos`` (as the browser sends them)."""
    parts = MultiDict({name: str(value) for name, value in fields.items() if value is not None})
    for number, data in enumerate(photos, start=1):
        parts.add("photos", FileStorage(io.BytesIO(data), f"foto{number}.jpg"))
    if not photos:
        # A browser sends an empty file part when no photo was chosen.
        parts.add("photos", FileStorage(io.BytesIO(b""), ""))
    boundary, body = encode_multipart(parts)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def page_form(**changes):
    """A finding as the phone form posts it (a ticked box is "y", an unticked one absent)."""
    data = {**finding_data(**changes), "uuid": FORM_UUID, "consent_given": "y"}
    return data


def test_the_form_offers_the_villages_of_the_volunteers_district_and_the_camera(client, login, volunteer):
    login(volunteer)
    html = client.get("/findings/new").get_data(as_text=True)
    options = re.findall(r'<option value="(32\.[\d.]+)"', html)
    assert VILLAGE in options and all(code.startswith("32.75.07.") for code in options)
    assert 'accept="image/*"' in html and 'capture="environment"' in html and "multiple" in html
    assert re.search(r'name="uuid" type="hidden" value="[0-9a-f-]{36}"', html)
    assert "data-geo-button" in html


def test_a_volunteer_with_the_whole_agency_gets_the_region_search(client, login, make, district_unit):
    login(make.user(role=Role.VOLUNTEER, unit=district_unit, scope_kind=ScopeKind.AGENCY))
    html = client.get("/findings/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*data-level="4"[^>]*name="region_code"|name="region_code"[^>]*data-level="4"', html)


def test_a_filed_finding_shows_in_temuan_saya_as_received(client, login, volunteer):
    login(volunteer)
    response = client.post("/findings/new", **form_body(page_form(), [image_bytes()]))
    assert response.status_code == 302 and response.headers["Location"].endswith("/findings/")
    report = db.session.scalar(sa.select(Report))
    assert (report.number, len(report.photos), report.consent_given) == (f"TM-{TODAY.year}-000001", 1, True)
    listing = client.get("/findings/").get_data(as_text=True)
    assert report.number in listing and "Diterima" in listing and "Cikiwul" in listing
    # A second tap on "send" (the same form UUID) files nothing more.
    assert client.post("/findings/new", **form_body(page_form(), [image_bytes()])).status_code == 302
    assert (report_count(), stored_count()) == (1, 1)


def test_a_refusal_keeps_what_was_typed_and_asks_for_the_photos_again(client, login, volunteer):
    login(volunteer)
    response = client.post(
        "/findings/new", **form_body(page_form(region_code=OTHER_DISTRICT_VILLAGE, person_age="abc"), [image_bytes()])
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "berada di luar wilayah tugas Anda" in html
    assert "Umur ditulis dalam tahun" in html
    assert "pilih fotonya lagi" in html
    assert "Seorang lansia tidur di emperan toko" in html and FORM_UUID in html
    assert (report_count(), stored_count()) == (0, 0)


def test_the_home_page_counts_the_volunteers_findings(client, login, volunteer, new_finding):
    login(volunteer)
    html = client.get("/home").get_data(as_text=True)
    assert "Belum ada temuan" in html and "Segera hadir" not in html
    new_finding()
    new_finding()
    html = client.get("/home").get_data(as_text=True)
    assert re.search(r"<strong>2</strong>\s*menunggu keputusan", html)
    assert 'href="/findings/new"' in html and 'href="/findings/"' in html


def test_staff_enter_a_complaint_and_see_its_number(client, login, caseworker):
    login(caseworker)
    form = client.get("/findings/complaints/new").get_data(as_text=True)
    assert 'name="source"' in form and 'name="reporter_contact"' in form
    data = {**complaint_data(), "uuid": FORM_UUID}
    response = client.post("/findings/complaints/new", **form_body(data))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"ADU-{TODAY.year}-000001" in page and "Pengaduan dicatat" in page


def test_a_complaint_without_its_reporter_is_refused_field_by_field(client, login, caseworker):
    login(caseworker)
    data = {**complaint_data(), "reporter_name": "", "source": None}
    response = client.post("/findings/complaints/new", **form_body(data))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Pilih dari mana pengaduan ini diterima." in html and "Isi nama pelapor" in html
    assert report_count() == 0
