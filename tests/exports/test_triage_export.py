"""The triage queue as a file: emergencies first, then the longest waiting, as the queue lists them."""

from casework.auth.models import Role
from casework.extensions import db
from tests.exports.conftest import read_csv
from tests.findings import conftest as findings

office, agency, staff, caseworker, supervisor, new_complaint = (
    findings.office,
    findings.agency,
    findings.staff,
    findings.caseworker,
    findings.supervisor,
    findings.new_complaint,
)


def test_queue_file_lists_emergencies_first_with_the_reporter(client, login, staff, new_complaint):
    routine = new_complaint(urgency="routine")
    emergency = new_complaint(urgency="emergency", person_name="Pak Darto")
    db.session.commit()
    login(staff(Role.ADMIN))
    rows = read_csv(client.get("/exports/triage.csv"))
    assert rows[0][:5] == ["Nomor", "Jenis", "Sumber", "Urgensi", "Status"]
    assert [row[0] for row in rows[1:]] == [emergency.number, routine.number]
    assert rows[1][10:13] == ["Pak Darto", "Ibu Warsini", "0812-1111-2222"]
    assert "Unduh CSV" in client.get("/triage/").get_data(as_text=True)


def test_only_triage_roles_get_the_queue_file(client, login, caseworker):
    login(caseworker)
    assert client.get("/exports/triage.csv").status_code == 403
    assert client.get("/api/v1/exports/triage?format=xlsx").status_code == 403


def test_complaint_response_and_contribution_tables_as_files(client, login, staff, new_complaint):
    new_complaint()
    db.session.commit()
    login(staff(Role.DATA_OFFICER))
    year = findings.TODAY.year
    rows = read_csv(client.get(f"/exports/complaint-response.csv?year={year}"))
    assert rows[0] == ["Periode", "Diterima", "Ditanggapi", "Persentase (%)"]
    # Twelve months, four quarters, the year.
    assert len(rows) == 1 + 12 + 4 + 1 and rows[-1][:3] == ["Jumlah", "1", "0"]
    assert "Unduh XLSX" in client.get(f"/findings/figures/complaints?year={year}").get_data(as_text=True)
    contribution = read_csv(client.get(f"/exports/findings-contribution.csv?year={year}"))
    assert contribution[0][0] == "Relawan / kecamatan" and [row[0] for row in contribution[1:]] == ["Jumlah", "Jumlah"]
    assert client.get("/exports/complaint-response.csv?year=1800").status_code == 422
