"""Retention of findings and complaints (text and photos stripped) and of import files (bytes and rows dropped)."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from casework.extensions import db
from casework.files import storage
from casework.files.models import StoredFile
from casework.findings.models import Report, ReportPhoto
from casework.findings.triage import close_report
from casework.imports.models import ImportJob, ImportRow, JobStatus
from casework.imports.services import upload
from casework.privacy.anonymise import MARKER
from casework.privacy.sweep import sweep_agency
from tests.files.samples import image_bytes
from tests.findings import conftest as findings
from tests.privacy.conftest import TODAY

district_unit, volunteer, new_complaint = findings.district_unit, findings.volunteer, findings.new_complaint
OLD = datetime(2019, 5, 1, 3, 0, tzinfo=UTC)


def test_old_decided_reports_lose_their_text_and_photos(agency, new_complaint, supervisor):
    old = new_complaint(photos=[image_bytes()])
    close_report(old, supervisor, old.version, {"reason": "other", "note": "Ibu Warsini menelepon lagi"})
    recent = new_complaint()
    close_report(recent, supervisor, recent.version, {"reason": "not_found"})
    pending = new_complaint()
    db.session.execute(sa.update(Report).where(Report.id.in_([old.id, pending.id])).values(received_at=OLD))
    db.session.execute(sa.update(Report).where(Report.id == old.id).values(decided_at=OLD))
    key = db.session.scalar(sa.select(StoredFile.storage_key))
    assert storage.path_of(key).is_file()
    db.session.commit()
    assert sweep_agency(agency, today=TODAY) == {"clients": 0, "reports": 1, "import_files": 0}
    row = db.session.get(Report, old.id)
    assert (row.reporter_name, row.reporter_contact, row.person_name, row.description) == (None, None, None, MARKER)
    assert row.decision_note is None and row.region_code == findings.VILLAGE
    assert not db.session.scalars(sa.select(ReportPhoto).where(ReportPhoto.report_id == old.id)).all()
    assert not storage.path_of(key).exists()
    assert db.session.get(Report, recent.id).reporter_name == "Ibu Warsini"
    assert db.session.get(Report, pending.id).reporter_name == "Ibu Warsini"
    assert sweep_agency(agency, today=TODAY)["reports"] == 0


def test_old_import_files_are_dropped(agency, caseworker):
    jobs = []
    for status, created in ((JobStatus.DONE, OLD), (JobStatus.FAILED, OLD), (JobStatus.DONE, datetime.now(UTC))):
        job = upload(agency, caseworker, "clients", b"nama,nik\nDewi Lestari,\n", filename="klien.csv")
        job.status, job.created_at = status, created
        db.session.flush()
        db.session.add(ImportRow(job_id=job.id, line=2, action="create", label="Dewi Lestari"))
        jobs.append((job, job.file.storage_key))
    db.session.commit()
    assert sweep_agency(agency, today=date.today()) == {"clients": 0, "reports": 0, "import_files": 2}
    for job, key in jobs[:2]:
        assert not storage.path_of(key).exists()
        assert not db.session.scalars(sa.select(ImportRow).where(ImportRow.job_id == job.id)).all()
        assert db.session.get(ImportJob, job.id).file.original_name == MARKER
    assert storage.path_of(jobs[2][1]).is_file()
    assert sweep_agency(agency, today=date.today())["import_files"] == 0
