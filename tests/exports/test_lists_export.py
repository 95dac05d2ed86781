"""Cases, service deliveries and referrals as files: the page's filters and order, every page, masked by role."""

from datetime import date

from casework.auth.models import Role
from casework.cases.deliveries import record_delivery
from casework.cases.stages import begin_assessment
from casework.extensions import db
from tests.exports.conftest import read_csv, read_xlsx


def _cases(new_case, new_client):
    """Three cases of three clients, the newest intake first in the caseload; the second moved to assessment."""
    days = (date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4))
    names = ("Ani Lestari", "Budi Santoso", "Citra Dewi")
    cases = [new_case(new_client(full_name=name), intake_date=day) for name, day in zip(names, days, strict=True)]
    return cases


def test_caseload_file_follows_tab_filters_and_order(client, login, caseworker, new_case, new_client, small_batches):
    cases = _cases(new_case, new_client)
    begin_assessment(cases[1], caseworker, cases[1].version, {"started_on": "2026-11-05"})
    db.session.commit()
    login(caseworker)
    rows = read_csv(client.get("/exports/cases.csv?per_page=1"))
    assert rows[0][:3] == ["Nomor kasus", "Klien", "NIK"] and rows[0][6] == "Tahap"
    assert [row[1] for row in rows[1:]] == ["Citra Dewi", "Budi Santoso", "Ani Lestari"]
    assert [row[0] for row in rows[1:]] == [case.number for case in reversed(cases)]
    assert rows[2][6] == "Asesmen" and rows[1][3] == "2026-11-04"
    only_intake = read_csv(client.get("/exports/cases.csv?stage=intake"))
    assert [row[1] for row in only_intake[1:]] == ["Citra Dewi", "Ani Lestari"]
    page = client.get("/cases/?stage=intake&page=1").get_data(as_text=True)
    assert 'href="/exports/cases.csv?stage=intake"' in page and 'href="/exports/cases.xlsx?stage=intake"' in page


def test_a_data_officer_reads_the_whole_caseload_with_names_masked(client, login, officer, new_case, new_client):
    _cases(new_case, new_client)
    db.session.commit()
    login(officer)
    rows = read_xlsx(client.get("/exports/cases.xlsx?scope=all"))
    assert [row[1] for row in rows[1:]] == ["C**** D***", "B*** S******", "A** L******"]
    page = client.get("/cases/?scope=all").get_data(as_text=True)
    assert "C**** D***" in page and "Citra" not in page


def test_deliveries_list_and_file_by_date_and_service(
    client, login, caseworker, officer, new_case, new_client, service
):
    first, second, _third = _cases(new_case, new_client)
    meals, support = service("permakanan"), service("dukungan-psikososial")
    for case, svc, day in (
        (first, meals, "2026-11-10"),
        (second, support, "2026-11-12"),
        (first, support, "2026-11-20"),
    ):
        record_delivery(case, caseworker, {"service_id": svc.id, "delivered_on": day}, today=date(2026, 11, 30))
    db.session.commit()
    login(caseworker)
    rows = read_csv(client.get("/exports/deliveries.csv"))
    assert rows[0][:5] == ["Tanggal", "Nomor kasus", "Klien", "Kode layanan", "Layanan"]
    assert [(row[0], row[2], row[3]) for row in rows[1:]] == [
        ("2026-11-20", "Ani Lestari", "dukungan-psikososial"),
        ("2026-11-12", "Budi Santoso", "dukungan-psikososial"),
        ("2026-11-10", "Ani Lestari", "permakanan"),
    ]
    narrowed = read_csv(client.get(f"/exports/deliveries.csv?date_from=2026-11-11&service={support.id}"))
    assert [row[0] for row in narrowed[1:]] == ["2026-11-20", "2026-11-12"]
    page = client.get(f"/services/?date_from=2026-11-11&service={support.id}")
    assert page.status_code == 200 and "Budi Santoso" in page.get_data(as_text=True)
    refused = client.get("/exports/deliveries.csv?date_from=2026-13-01")
    assert refused.status_code == 422
    api_refused = client.get("/api/v1/exports/deliveries?date_from=2026-11-20&date_to=2026-11-01")
    assert api_refused.status_code == 422 and "date_to" in api_refused.get_json()["error"]["fields"]
    client.post("/logout")
    login(officer)
    masked = read_csv(client.get("/api/v1/exports/deliveries?format=csv"))
    assert [row[2] for row in masked[1:]] == ["A** L******", "B*** S******", "A** L******"]


def test_referrals_out_and_in(client, login, caseworker, receiver, proposed, new_case, new_client):
    first = proposed(case=new_case(new_client(full_name="Ani Lestari")))
    second = proposed(case=new_case(new_client(full_name="Budi Santoso")), urgency="routine")
    db.session.commit()
    login(caseworker)
    rows = read_csv(client.get("/exports/referrals.csv"))
    assert rows[0][:3] == ["Nomor rujukan", "Nomor kasus", "Klien"]
    assert {row[0] for row in rows[1:]} == {first.number, second.number}
    assert rows[1][4] == "Rumah Singgah Harapan" and rows[1][6] == "menunggu persetujuan"
    assert read_csv(client.get("/exports/referrals.csv?status=completed"))[1:] == []
    page = client.get("/referrals/").get_data(as_text=True)
    assert first.number in page and "Unduh XLSX" in page
    client.post("/logout")
    login(receiver)
    # Incoming: referrals to the receiver's unit (the shelter) — both.
    incoming = read_csv(client.get("/exports/referrals.csv?direction=in"))
    assert len(incoming) == 3
    assert client.get("/exports/referrals.csv?direction=sideways").status_code == 422


def test_the_api_serves_the_same_files_and_refuses_other_formats(client, login, caseworker, new_case, new_client):
    _cases(new_case, new_client)
    db.session.commit()
    login(caseworker)
    page_file = read_csv(client.get("/exports/cases.csv"))
    assert read_csv(client.get("/api/v1/exports/cases?format=csv")) == page_file
    assert [row[0] for row in read_xlsx(client.get("/api/v1/exports/cases?format=xlsx"))[1:]] == [
        row[0] for row in page_file[1:]
    ]
    refused = client.get("/api/v1/exports/cases?format=pdf")
    assert refused.status_code == 422 and refused.get_json()["error"]["fields"] == {"format": ["csv atau xlsx"]}


def test_the_export_endpoints_are_documented_as_files(client):
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200, document.get_data(as_text=True)[:300]
    spec = document.get_json()
    for name in ("clients", "cases", "deliveries", "referrals", "triage"):
        operation = spec["paths"][f"/api/v1/exports/{name}"]["get"]
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["format"] == "binary"


def test_views_keep_the_lists_permissions(client, login, staff):
    login(staff(Role.VIEWER))
    for path in ("/exports/cases.csv", "/exports/deliveries.xlsx", "/exports/referrals.csv", "/services/"):
        assert client.get(path).status_code == 403, path
