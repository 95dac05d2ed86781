"""The referral pages: proposing from the case page, the gates as buttons and as refused posts, the letter."""

import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import CaseNeed, Stage
from casework.extensions import db
from casework.referrals import services
from casework.referrals.models import Referral, ReferralStatus
from tests.admin.helpers import page_text
from tests.referrals.conftest import REASON


def decide(client, referral, action, version=None, text=""):
    """POSTs decision ``action`` on ``referral`` as its page's form would."""
    data = {f"{action}-version": referral.version if version is None else version, f"{action}-text": text}
    return client.post(f"/referrals/{referral.uuid}/{action}", data=data)


def test_a_caseworker_proposes_from_the_case_page(client, sign_in, caseworker, new_case, shelter, service):
    case = new_case()
    sign_in(caseworker)
    page = page_text(client.get(f"/cases/{case.uuid}"))
    assert f'href="/cases/{case.uuid}/referrals/new"' in page and "Belum ada rujukan." in page
    form = page_text(client.get(f"/cases/{case.uuid}/referrals/new"))
    assert "Rumah Singgah Harapan" in form and "Permakanan" in form
    data = {
        "uuid": "0d3e2a1b-4c5d-4e6f-8a9b-0c1d2e3f4a5b",
        "destination_kind": "unit",
        "to_unit_id": str(shelter.id),
        "service_ids": [str(service("permakanan").id)],
        "reason": REASON,
        "urgency": "urgent",
        "consent": "child",
    }
    response = client.post(f"/cases/{case.uuid}/referrals/new", data=data)
    assert response.status_code == 302
    referral = db.session.scalar(sa.select(Referral))
    assert response.headers["Location"] == f"/referrals/{referral.uuid}"
    assert (referral.consent_given, referral.no_consent_reason.value) == (False, "child")
    # A double submit proposes nothing more.
    assert client.post(f"/cases/{case.uuid}/referrals/new", data=data).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == 1
    detail = page_text(client.get(response.headers["Location"]))
    assert "menunggu persetujuan" in detail and "menunggu keputusan supervisor lain" in detail
    assert 'action="/referrals/' not in detail
    case_page = page_text(client.get(f"/cases/{case.uuid}"))
    assert referral.number in case_page and "Rujukan diusulkan" in case_page


def test_a_refused_proposal_shows_its_problems_and_saves_nothing(client, sign_in, caseworker, new_case, hospital):
    case = new_case()
    sign_in(caseworker)
    data = {"destination_kind": "partner", "to_unit_id": "", "partner_id": "", "reason": "", "consent": "other"}
    response = client.post(f"/cases/{case.uuid}/referrals/new", data=data)
    assert response.status_code == 422
    page = page_text(response)
    assert "Pilih mitra yang aktif." in page and "Pilih minimal satu layanan yang diminta." in page
    assert "Jelaskan mengapa persetujuan tidak dapat diperoleh." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == 0


def test_the_proposer_cannot_approve_their_own(client, sign_in, proposed, staff):
    supervisor = staff(Role.SUPERVISOR)
    referral = proposed(by=supervisor)
    sign_in(supervisor)
    assert 'id="approve-' not in page_text(client.get(f"/referrals/{referral.uuid}"))
    response = decide(client, referral, "approve")
    assert response.status_code == 403
    assert "harus diputuskan supervisor lain" in page_text(response)
    assert referral.status == ReferralStatus.PROPOSED


def test_a_caseworker_may_not_decide(client, sign_in, proposed, staff):
    referral = proposed()
    sign_in(staff(Role.CASEWORKER))
    assert decide(client, referral, "approve").status_code == 403
    assert referral.status == ReferralStatus.PROPOSED


def test_a_supervisor_approves_and_the_receiving_unit_answers(client, sign_in, proposed, supervisor, receiver):
    referral = proposed()
    sign_in(supervisor)
    page = page_text(client.get(f"/referrals/{referral.uuid}"))
    assert f'id="approve-{referral.uuid}"' in page and f'id="reject-{referral.uuid}"' in page
    response = decide(client, referral, "approve", text="Setuju.")
    assert response.status_code == 302 and referral.status == ReferralStatus.APPROVED
    sign_in(receiver)
    page = page_text(client.get(f"/referrals/{referral.uuid}"))
    assert f'id="accept-{referral.uuid}"' in page and f'id="decline-{referral.uuid}"' in page
    assert decide(client, referral, "accept").status_code == 302
    response = decide(client, referral, "complete", text="")
    assert response.status_code == 422 and "Wajib diisi." in page_text(response)
    assert decide(client, referral, "complete", text="Klien tinggal 5 hari.").status_code == 302
    assert referral.status == ReferralStatus.COMPLETED and referral.result == "Klien tinggal 5 hari."
    # Every step stands on the case's timeline with the referral's number, linking to it.
    timeline = page_text(client.get(f"/cases/{referral.case.uuid}")).split('id="timeline"')[1]
    link = f'<a href="/referrals/{referral.uuid}">{referral.number}</a>'
    assert timeline.count(link) == 4


def test_a_decision_returns_to_the_desk_when_it_came_from_there(client, sign_in, proposed, supervisor):
    referral = proposed()
    sign_in(supervisor)
    data = {"approve-version": referral.version, "approve-text": "", "approve-next": "/desk/"}
    response = client.post(f"/referrals/{referral.uuid}/approve", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/desk/"
    data["approve-next"] = "https://example.org/"
    other = proposed()
    data["approve-version"] = other.version
    response = client.post(f"/referrals/{other.uuid}/approve", data=data)
    assert response.headers["Location"] == f"/referrals/{other.uuid}"


def test_gates_through_the_pages(client, sign_in, proposed, supervisor, receiver, caseworker, staff):
    referral = proposed()
    sign_in(receiver)
    response = decide(client, referral, "accept")
    assert response.status_code == 409 and "belum disetujui supervisor" in page_text(response)
    assert decide(client, referral, "complete", text="Selesai.").status_code == 409
    sign_in(supervisor)
    stale = referral.version
    assert decide(client, referral, "approve").status_code == 302
    response = decide(client, referral, "reject", version=stale, text="Terlambat.")
    assert response.status_code == 409 and referral.status == ReferralStatus.APPROVED
    sign_in(staff(Role.CASEWORKER))
    response = decide(client, referral, "accept")
    assert response.status_code == 403 and "Hanya petugas Rumah Singgah Harapan" in page_text(response)
    assert referral.status == ReferralStatus.APPROVED


def test_another_agencys_referral_is_missing(client, sign_in, proposed, make):
    referral = proposed()
    outsider = make.user(role=Role.SUPERVISOR)
    sign_in(outsider)
    assert client.get(f"/referrals/{referral.uuid}").status_code == 404
    assert decide(client, referral, "approve").status_code == 404
    assert client.get(f"/referrals/{referral.uuid}/letter").status_code == 404
    assert referral.status == ReferralStatus.PROPOSED


def test_the_letter_waits_for_approval_and_holds_only_what_is_needed(
    client, sign_in, new_case, new_client, proposed, supervisor, caseworker, agency
):
    agency.address, agency.phone, agency.head_name = "Jl. Uji No. 1", "(021) 555-0101", "Drs. Kepala Dinas"
    client_record = new_client(full_name="Sri Wahyuni", mother_name="Ibu Rahasia", phone="081299990000")
    referral = proposed(case=new_case(client=client_record))
    sign_in(caseworker)
    response = client.get(f"/referrals/{referral.uuid}/letter")
    assert response.status_code == 409 and "setelah rujukan disetujui" in page_text(response)
    services.approve(referral, supervisor, referral.version, {})
    db.session.commit()
    letter = page_text(client.get(f"/referrals/{referral.uuid}/letter"))
    for expected in (
        referral.number,
        "Sri Wahyuni",
        "Rumah Singgah Harapan",
        "Permakanan",
        "Dukungan psikososial",
        agency.name.upper(),
        "Jl. Uji No. 1",
        "(021) 555-0101",
        "Drs. Kepala Dinas",
        REASON,
        referral.case.number,
        "css/letter.css",
        "js/paper.js",
        "data-print",
    ):
        assert expected in letter, expected
    # Only the client's necessary details: not their mother's name, not their phone.
    assert "Ibu Rahasia" not in letter and "081299990000" not in letter


def test_the_print_css_is_served(client):
    with client.get("/static/css/letter.css") as css:
        text = css.get_data(as_text=True)
        assert css.status_code == 200
    assert "@media print" in text and "size: A4" in text


def test_the_agency_sets_the_referral_deadline_and_its_head(client, sign_in, staff, agency):
    sign_in(staff(Role.ADMIN))
    assert "Tenggat keputusan dan jawaban rujukan (hari)" in page_text(client.get("/admin/agency"))
    data = {
        "name": agency.name,
        "level": "city",
        "region_code": "32.75",
        "stay_limit_days": "7",
        "assessment_due_days": "7",
        "service_due_days": "14",
        "followup_visit_days": "7,30,90",
        "referral_due_days": "5",
        "head_name": "Drs. H. Kepala",
    }
    assert client.post("/admin/agency", data=data).status_code == 302
    assert (agency.referral_due_days, agency.head_name) == (5, "Drs. H. Kepala")
    assert client.post("/admin/agency", data={**data, "referral_due_days": "0"}).status_code == 422
    assert agency.referral_due_days == 5


def test_the_desk_offers_the_decisions(client, sign_in, proposed, supervisor):
    waiting, own = proposed(), proposed(by=supervisor)
    sign_in(supervisor)
    desk = page_text(client.get("/desk/"))
    assert waiting.number in desk and f'action="/referrals/{waiting.uuid}/approve"' in desk
    assert 'name="approve-next" value="/desk/"' in desk
    # Their own proposal is listed, without the buttons.
    assert own.number in desk and f'action="/referrals/{own.uuid}/approve"' not in desk


def test_the_proposal_offers_the_cases_needs_first(client, sign_in, caseworker, new_case, service):
    case = new_case()
    case.stage, case.assessment_started_on, case.assessed_on = Stage.PLANNING, case.intake_date, case.intake_date
    db.session.add(CaseNeed(case_id=case.id, service_id=service("sandang").id))
    db.session.flush()
    sign_in(caseworker)
    form = page_text(client.get(f"/cases/{case.uuid}/referrals/new"))
    assert form.index(">Sandang<") < form.index(">Akses ke layanan pendidikan dan kesehatan dasar<")
