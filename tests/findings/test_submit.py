"""Filing findings and complaints through the services: numbers, queue unit, validation, photos, idempotency."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import Role, ScopeKind
from casework.core.errors import ValidationFailed
from casework.extensions import db
from casework.files.services import FileTooLarge
from casework.findings import services
from casework.findings.models import ReportKind, ReportStatus, ReportUrgency
from casework.org.models import UnitKind
from tests.files.samples import HTML, image_bytes, stored_count
from tests.findings.conftest import (
    OTHER_DISTRICT_VILLAGE,
    OUTSIDE_AGENCY_VILLAGE,
    TODAY,
    VILLAGE,
    complaint_data,
    event_kinds,
    finding_data,
    report_count,
)

REPORT_UUID = "5b0f3c2e-8d4a-4f1b-9e6c-7a2d1c0b9e8f"


def test_a_finding_is_numbered_queued_at_the_district_unit_and_recorded(agency, volunteer, district_unit):
    photo = image_bytes("PNG", (3000, 2000))
    report, created = services.submit_finding(agency, volunteer, finding_data(), [photo], uuid=REPORT_UUID)
    assert created
    assert report.number == f"TM-{TODAY.year}-000001"
    assert (report.kind, report.status, report.unit_id) == (ReportKind.FINDING, ReportStatus.RECEIVED, district_unit.id)
    assert (report.region_code, report.urgency, report.consent_given) == (VILLAGE, ReportUrgency.SOON, True)
    assert (report.person_name, report.person_age, report.reported_by_id) == ("Mbah Karto", 72, volunteer.id)
    assert event_kinds(report) == ["received"]
    [attached] = report.photos
    assert attached.file.content_type == "image/png"
    assert attached.file.size_bytes < len(photo)  # shrunk to the longest edge allowed
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "report.received"))
    assert audit.object_id == str(report.id)
    # Ids and codes only: no name, description or place in the audit row.
    assert "Mbah Karto" not in str(audit.details) and "pasar" not in str(audit.details)
    assert audit.details["photos"] == 1


def test_numbers_count_per_kind_and_year(agency, volunteer, caseworker, new_finding, new_complaint):
    assert [new_finding().number, new_finding().number] == [f"TM-{TODAY.year}-000001", f"TM-{TODAY.year}-000002"]
    assert new_complaint().number == f"ADU-{TODAY.year}-000001"
    assert services.next_report_number(agency.id, ReportKind.FINDING, TODAY.year + 1) == f"TM-{TODAY.year + 1}-000001"


def test_a_retry_with_the_same_uuid_returns_the_first_report(agency, volunteer):
    first, created = services.submit_finding(agency, volunteer, finding_data(), uuid=REPORT_UUID)
    again, created_again = services.submit_finding(
        agency, volunteer, finding_data(description="dikirim ulang"), [image_bytes()], uuid=REPORT_UUID
    )
    assert (created, created_again, again.id) == (True, False, first.id)
    assert report_count() == 1 and stored_count() == 0


def test_a_uuid_used_by_someone_else_is_refused(agency, volunteer, other_volunteer):
    services.submit_finding(agency, volunteer, finding_data(), uuid=REPORT_UUID)
    with pytest.raises(ValidationFailed) as refused:
        services.submit_finding(agency, other_volunteer, finding_data(), uuid=REPORT_UUID)
    assert "uuid" in refused.value.fields


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (OTHER_DISTRICT_VILLAGE, "di luar wilayah tugas Anda (32.75.07)"),
        (OUTSIDE_AGENCY_VILLAGE, "di luar wilayah dinas ini"),
        ("32.75.07", "harus desa/kelurahan"),
        ("99.99.99.9999", "tidak dikenal"),
        ("", "Pilih kelurahan/desa"),
    ],
)
def test_the_village_must_be_known_in_the_agency_and_in_the_volunteers_scope(agency, volunteer, code, message):
    with pytest.raises(ValidationFailed) as refused:
        services.submit_finding(agency, volunteer, finding_data(region_code=code))
    [problem] = refused.value.fields["region_code"]
    assert message.lower() in problem.lower()


def test_staff_enter_complaints_from_anywhere_in_the_agency(agency, caseworker, office):
    report, _created = services.submit_complaint(agency, caseworker, complaint_data(region_code=OTHER_DISTRICT_VILLAGE))
    # No unit covers Bekasi Timur here: the complaint waits in the queue of the staff member's own unit.
    assert (report.region_code, report.unit_id, report.source.value) == (
        OTHER_DISTRICT_VILLAGE,
        office.id,
        "call_centre",
    )
    assert report.number.startswith("ADU-")


def test_every_field_problem_is_reported_at_once(agency, volunteer):
    data = finding_data(
        description=" ",
        observed_on=(TODAY + timedelta(days=1)).isoformat(),
        urgency="kapan-kapan",
        person_sex="x",
        person_age="200",
        category_id="999999",
        latitude="abc",
        longitude="1",
    )
    with pytest.raises(ValidationFailed) as refused:
        services.submit_finding(agency, volunteer, data)
    fields = refused.value.fields
    assert set(fields) == {
        "description",
        "observed_on",
        "urgency",
        "person_sex",
        "person_age",
        "category_id",
        "latitude",
    }
    assert fields["observed_on"] == ["Tanggal tidak boleh di masa depan."]
    assert report_count() == 0


def test_a_complaint_needs_its_source_and_the_reporters_name_and_contact(agency, caseworker):
    data = complaint_data(source="", reporter_name=" ", reporter_contact="")
    with pytest.raises(ValidationFailed) as refused:
        services.submit_complaint(agency, caseworker, data)
    assert set(refused.value.fields) == {"source", "reporter_name", "reporter_contact"}


def test_gps_and_category_are_kept_when_given(agency, volunteer, category):
    homeless = category("gelandangan")
    data = finding_data(latitude="-6.3521", longitude="106.9903", category_id=str(homeless.id), urgency="")
    report, _created = services.submit_finding(agency, volunteer, data)
    assert (report.latitude, report.longitude, report.category_id) == (-6.3521, 106.9903, homeless.id)
    assert report.urgency == ReportUrgency.ROUTINE


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_written(app, agency, volunteer):
    with pytest.raises(ValidationFailed) as refused:
        services.submit_finding(agency, volunteer, finding_data(), [image_bytes(), HTML])
    assert refused.value.status == 422
    [problem] = refused.value.fields["photos"]
    assert problem.startswith("Foto ke-2: ") and "bukan foto" in problem
    db.session.rollback()
    assert report_count() == 0 and stored_count() == 0


def test_an_oversized_photo_is_a_413_naming_it(app, agency, volunteer, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 2048)
    with pytest.raises(FileTooLarge) as refused:
        services.submit_finding(agency, volunteer, finding_data(description=""), [image_bytes("JPEG", (400, 400))])
    assert refused.value.status == 413
    assert refused.value.fields["photos"][0].startswith("Foto ke-1: Berkas yang dikirim terlalu besar")
    assert "description" in refused.value.fields


def test_at_most_five_photos(agency, volunteer):
    with pytest.raises(ValidationFailed) as refused:
        services.submit_finding(agency, volunteer, finding_data(), [image_bytes()] * 6)
    assert refused.value.fields["photos"] == ["Paling banyak 5 foto untuk satu laporan."]
    assert stored_count() == 0


def test_the_most_specific_covering_unit_holds_the_queue(make, agency, volunteer, district_unit):
    # A branch office for the whole city and a rumah singgah standing in the village itself: neither wins.
    make.unit(agency=agency, code="CAB", name="Kantor Cabang", kind=UnitKind.BRANCH_OFFICE, region_code="32.75")
    make.unit(
        agency=agency, code="RS", name="Rumah Singgah", kind=UnitKind.RUMAH_SINGGAH, capacity=5, region_code=VILLAGE
    )
    report, _created = services.submit_finding(agency, volunteer, finding_data())
    assert report.unit_id == district_unit.id
    district_unit.active = False
    report, _created = services.submit_finding(agency, volunteer, finding_data())
    assert report.unit.code == "CAB"


def test_a_volunteer_limited_to_villages_files_there_only(make, agency, district_unit):
    keeper = make.user(role=Role.VOLUNTEER, unit=district_unit, scope_kind=ScopeKind.VILLAGES, regions=[VILLAGE])
    report, _created = services.submit_finding(agency, keeper, finding_data())
    assert report.region_code == VILLAGE
    with pytest.raises(ValidationFailed) as refused:
        services.submit_finding(agency, keeper, finding_data(region_code="32.75.07.1003"))
    assert "di luar wilayah tugas Anda (32.75.07.1004)" in refused.value.fields["region_code"][0]
