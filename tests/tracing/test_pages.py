"""The tracing section of the case page and its operation pages: the flow, refusals that save nothing, who may act."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.extensions import db
from casework.tracing.models import FollowupVisit, Reunification, TracingLead, TracingRequest, TracingStatus
from tests.admin.helpers import page_text
from tests.tracing.conftest import HOME, LEAD, REQUEST, TODAY, day, event_kinds, terminate_directly


def post(client, url, prefix, **fields):
    """Posts a section form as the case page does (fields under the form's prefix)."""
    return client.post(url, data={f"{prefix}{name}": value for name, value in fields.items()})


def base(case):
    """The address of the case's page."""
    return f"/cases/{case.uuid}"


def test_the_whole_flow_through_the_pages(client, login, caseworker, open_case):
    case = open_case()
    login(caseworker)
    page = page_text(client.get(base(case)))
    assert 'id="tracing"' in page and "Belum ada penelusuran keluarga." in page
    opened = post(client, f"{base(case)}/tracing/new", "tracing-", opened_on=day(1), **REQUEST)
    assert opened.status_code == 302 and opened.location.endswith(f"{base(case)}#tracing")
    request = db.session.scalar(sa.select(TracingRequest).where(TracingRequest.case_id == case.id))
    lead_url = f"{base(case)}/tracing/{request.uuid}/leads"
    assert post(client, lead_url, f"lead{request.id}-", followed_on=day(2), **LEAD).status_code == 302
    page = page_text(client.get(base(case)))
    assert "Surat ke kepala desa / lurah" in page and "Keluarga pindah ke Bogor" in page
    close_url = f"{base(case)}/tracing/{request.uuid}/close"
    closed = post(client, close_url, f"close{request.id}-", version=request.version, status="found", closed_on=day(3))
    assert closed.status_code == 302
    reunify = dict(HOME, reunified_on=day(10), tracing_request=str(request.uuid))
    assert post(client, f"{base(case)}/reunification", "reunify-", **reunify).status_code == 302
    page = page_text(client.get(base(case)))
    assert "Ditemukan" in page and "Rumah dinilai aman" in page
    assert page.count('data-visit="') == 3 and "terlambat 3 hari" in page
    assert f'href="/cases/{case.uuid}?outcome=reunified#closure"' in page
    visit = db.session.scalar(sa.select(FollowupVisit).order_by(FollowupVisit.day_offset))
    recorded = post(
        client,
        f"{base(case)}/reunification/visits/{visit.id}",
        f"visit{visit.id}-",
        version=visit.version,
        visited_on=day(17),
        finding="Klien tinggal bersama ibu, bersekolah.",
        client_well="yes",
    )
    assert recorded.status_code == 302
    page = page_text(client.get(base(case)))
    assert "klien baik" in page and "terlambat" not in page
    assert event_kinds(case)[1:] == ["tracing_opened", "tracing_lead", "tracing_closed", "reunified", "followup_visit"]
    assert "Penelusuran keluarga dibuka" in page and "Kunjungan lanjutan setelah reunifikasi dicatat" in page


def test_a_refused_form_is_shown_again_with_what_was_typed(client, login, caseworker, open_case):
    case = open_case()
    login(caseworker)
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = post(client, f"{base(case)}/tracing/new", "tracing-", opened_on=tomorrow, sought_name="Rahmat")
    assert response.status_code == 422
    page = page_text(response)
    assert "Tanggal tidak boleh di masa depan." in page and 'value="Rahmat"' in page
    assert "Pilih hubungan keluarga." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TracingRequest)) == 0


def test_no_lead_after_the_request_is_closed(client, login, caseworker, tracing):
    case, request = tracing()
    login(caseworker)
    close_url = f"{base(case)}/tracing/{request.uuid}/close"
    prefix = f"close{request.id}-"
    assert (
        post(client, close_url, prefix, version=request.version, status="not_found", closed_on=day(2)).status_code
        == 302
    )
    response = post(
        client, f"{base(case)}/tracing/{request.uuid}/leads", f"lead{request.id}-", followed_on=day(3), **LEAD
    )
    assert response.status_code == 409
    assert "Penelusuran ini sudah ditutup" in page_text(response)
    again = post(client, close_url, prefix, version=request.version, status="found", closed_on=day(3))
    assert again.status_code == 409
    db.session.refresh(request)
    assert request.status == TracingStatus.NOT_FOUND
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TracingLead)) == 0
    # A closed request offers no forms any more.
    assert f'id="form-lead{request.id}"' not in page_text(client.get(base(case)))


def test_closing_on_a_stale_page_is_a_conflict_offered_again(client, login, caseworker, tracing):
    case, request = tracing()
    login(caseworker)
    stale = request.version - 1
    response = post(
        client, f"{base(case)}/tracing/{request.uuid}/close", f"close{request.id}-", version=stale, status="found"
    )
    assert response.status_code == 409
    assert f'value="{request.version}"' in page_text(response)


def test_an_unsafe_home_is_refused_through_the_page(client, login, caseworker, open_case):
    case = open_case()
    login(caseworker)
    response = post(
        client, f"{base(case)}/reunification", "reunify-", **dict(HOME, home_safe="no", reunified_on=day(3))
    )
    assert response.status_code == 422
    assert "rumah dinilai tidak aman" in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reunification)) == 0


def test_a_terminated_case_offers_no_tracing_and_refuses_it(client, login, caseworker, open_case):
    case = open_case()
    terminate_directly(case)
    login(caseworker)
    page = page_text(client.get(base(case)))
    assert 'id="form-tracing"' not in page and 'id="form-reunify"' not in page
    response = post(client, f"{base(case)}/tracing/new", "tracing-", opened_on=day(1), **REQUEST)
    assert response.status_code == 409 and "Kasus sudah diterminasi" in page_text(response)


def test_another_agencys_case_and_records_are_missing(client, login, make, tracing, reunified):
    case, request = tracing()
    reunion_case, reunion = reunified()
    login(make.user(role=Role.SUPERVISOR))
    assert post(client, f"{base(case)}/tracing/new", "tracing-", opened_on=day(1), **REQUEST).status_code == 404
    leads = f"{base(case)}/tracing/{request.uuid}/leads"
    assert post(client, leads, f"lead{request.id}-", followed_on=day(2), **LEAD).status_code == 404
    visit = reunion.visits[0]
    visit_url = f"{base(reunion_case)}/reunification/visits/{visit.id}"
    assert client.get(visit_url).status_code == 404


def test_a_request_or_visit_of_another_case_is_missing(client, login, caseworker, tracing, reunified):
    case, _request = tracing()
    _other_case, other_request = tracing()
    _reunion_case, reunion = reunified()
    login(caseworker)
    assert client.get(f"{base(case)}/tracing/{other_request.uuid}/leads").status_code == 404
    assert client.get(f"{base(case)}/reunification/visits/{reunion.visits[0].id}").status_code == 404
    assert client.get(f"{base(case)}/tracing/not-a-uuid/close").status_code == 404


def test_data_officers_read_but_do_not_act(client, login, staff, tracing):
    case, _request = tracing()
    login(staff(Role.DATA_OFFICER))
    page = page_text(client.get(base(case)))
    assert "Siti Aminah" in page and 'id="form-tracing"' not in page
    assert post(client, f"{base(case)}/tracing/new", "tracing-", opened_on=day(1), **REQUEST).status_code == 403


def test_the_operation_page_returns_to_next(client, login, caseworker, reunified):
    case, reunion = reunified()
    visit = reunion.visits[0]
    login(caseworker)
    url = f"{base(case)}/reunification/visits/{visit.id}?next=/desk/"
    page = page_text(client.get(url))
    assert "Kunjungan lanjutan hari ke-7" in page and 'name="next" value="/desk/"' in page
    data = {"next": "/desk/", f"visit{visit.id}-version": visit.version, f"visit{visit.id}-visited_on": day(18)}
    data.update({f"visit{visit.id}-finding": "Baik", f"visit{visit.id}-client_well": "yes"})
    response = client.post(f"{base(case)}/reunification/visits/{visit.id}", data=data)
    assert response.status_code == 302 and response.location == "/desk/"
    outside = client.get(f"{base(case)}/reunification/visits/{visit.id}?next=//evil.example")
    assert 'name="next" value="//evil.example"' not in page_text(outside)


def test_the_supervisors_desk_lists_overdue_visits_of_their_unit(client, login, staff, make, reunified):
    case, reunion = reunified()
    login(staff(Role.SUPERVISOR))
    desk = page_text(client.get("/desk/"))
    assert "Kunjungan lanjutan reunifikasi terlambat" in desk and case.number in desk
    assert f"/reunification/visits/{reunion.visits[0].id}?next=/desk/" in desk
    client.post("/logout")
    login(make.user(role=Role.SUPERVISOR, unit=make.unit(agency=case.agency)))
    assert "Kunjungan lanjutan reunifikasi terlambat" not in page_text(client.get("/desk/"))


@pytest.mark.parametrize(("typed", "status", "stored"), [("14, 60,180", 302, "14,60,180"), ("60,14", 422, "7,30,90")])
def test_the_agency_sets_the_visit_days(client, login, staff, agency, typed, status, stored):
    login(staff(Role.ADMIN))
    assert 'name="followup_visit_days" type="text" value="7,30,90"' in page_text(client.get("/admin/agency"))
    data = {"name": agency.name, "level": "city", "region_code": "32.75", "followup_visit_days": typed}
    response = client.post("/admin/agency", data=data)
    assert response.status_code == status
    db.session.refresh(agency)
    assert agency.followup_visit_days == stored
