"""Transfer and return pages: the whole hand-over through the forms, the gates refused with a message, the lists."""

import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import Case
from casework.extensions import db
from casework.transfers.models import CaseTransfer, ReturnPlan, ReturnStatus, TransferStatus
from tests.admin.helpers import page_text
from tests.transfers.conftest import ORIGIN_VILLAGE


def switch(client, login, user):
    """Signs out whoever is signed in, then signs ``user`` in."""
    client.post("/logout")
    return login(user)


def the_transfer(case):
    """The case's (only) transfer."""
    return db.session.scalar(sa.select(CaseTransfer).where(CaseTransfer.case_id == case.id))


def test_a_transfer_through_the_pages_hands_the_case_over(
    client, login, new_case, caseworker, supervisor, receiver, receiving_supervisor, agency
):
    case = new_case()
    old_number = case.number
    login(caseworker)
    assert "Usulkan pindah ke dinas lain" in page_text(client.get(f"/cases/{case.uuid}"))
    form = client.get(f"/cases/{case.uuid}/transfers/new")
    assert form.status_code == 200 and "Dinas Sosial Kota Bandung" in page_text(form)
    proposed = client.post(
        f"/cases/{case.uuid}/transfers/new",
        data={"uuid": "5a0f4a8e-1111-4c1d-9c4e-7d0e1f2a3b4c", "to_agency_id": receiver.id, "reason": "Warga Bandung"},
    )
    assert proposed.status_code == 302
    transfer = the_transfer(case)
    assert transfer.status == TransferStatus.PROPOSED
    timeline = page_text(client.get(f"/cases/{case.uuid}")).split('id="timeline"')[1]
    assert f'<a href="/transfers/{transfer.uuid}">lihat pemindahan</a>' in timeline

    # The proposer, even signed in again, cannot approve: a 403 with the reason, nothing decided.
    own = client.post(f"/transfers/{transfer.uuid}/approve", data={"version": transfer.version})
    assert own.status_code == 403
    switch(client, login, supervisor)
    assert "Setujui pemindahan" in page_text(client.get("/desk/"))
    approved = client.post(f"/transfers/{transfer.uuid}/approve", data={"version": transfer.version, "next": "/desk/"})
    assert approved.status_code == 302 and approved.headers["Location"].endswith("/desk/")
    assert transfer.status == TransferStatus.APPROVED
    # A second decision on the same transfer is a conflict.
    again = client.post(f"/transfers/{transfer.uuid}/reject", data={"version": 1, "decision_note": "x"})
    assert again.status_code == 409

    switch(client, login, receiving_supervisor)
    assert "Periksa dan jawab" in page_text(client.get("/desk/"))
    incoming = page_text(client.get("/transfers/?direction=in"))
    assert old_number in incoming
    accepted = client.post(
        f"/transfers/{transfer.uuid}/accept",
        data={
            "version": transfer.version,
            "unit_id": receiving_supervisor.unit_id,
            "caseworker_id": receiving_supervisor.id,
        },
    )
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith(f"/cases/{case.uuid}")
    page = page_text(client.get(f"/cases/{case.uuid}"))
    assert case.number in page and "Kasus diterima dinas lain" in page

    switch(client, login, caseworker)
    assert client.get(f"/cases/{case.uuid}").status_code == 404
    record = page_text(client.get(f"/transfers/{transfer.uuid}"))
    assert "Keadaan kasus saat diserahkan" in record and old_number in record and "tidak dapat diubah lagi" in record
    assert old_number in page_text(client.get("/transfers/"))
    assert db.session.get(Case, case.id).agency_id == receiver.id


def test_refusals_through_the_pages(client, login, new_case, caseworker, supervisor, receiver, make):
    case = new_case()
    login(caseworker)
    missing = client.post(f"/cases/{case.uuid}/transfers/new", data={"to_agency_id": "", "reason": ""})
    assert missing.status_code == 422 and "Tuliskan alasan pemindahan." in page_text(missing)
    client.post(f"/cases/{case.uuid}/transfers/new", data={"to_agency_id": receiver.id, "reason": "x"})
    transfer = the_transfer(case)
    # A caseworker may not decide at all.
    assert client.post(f"/transfers/{transfer.uuid}/approve", data={"version": transfer.version}).status_code == 403
    switch(client, login, supervisor)
    rejected = client.post(f"/transfers/{transfer.uuid}/reject", data={"version": transfer.version})
    assert rejected.status_code == 422 and "Tuliskan alasan penolakan." in page_text(rejected)
    stale = client.post(f"/transfers/{transfer.uuid}/approve", data={"version": transfer.version + 5})
    assert stale.status_code == 409
    # Another agency's supervisor: the case and the proposal do not exist for them.
    switch(client, login, make.user(role=Role.SUPERVISOR))
    assert client.get(f"/transfers/{transfer.uuid}").status_code == 404
    assert client.post(f"/transfers/{transfer.uuid}/approve", data={"version": transfer.version}).status_code == 404
    assert client.get(f"/cases/{case.uuid}/transfers/new").status_code == 404
    assert transfer.status == TransferStatus.PROPOSED


def test_the_receiver_cannot_see_a_proposal_before_approval(client, login, new_case, propose, receiving_supervisor):
    transfer = propose(new_case())
    login(receiving_supervisor)
    assert client.get(f"/transfers/{transfer.uuid}").status_code == 404
    accepted = client.post(f"/transfers/{transfer.uuid}/accept", data={"version": transfer.version})
    assert accepted.status_code == 404


def test_a_return_through_the_pages(client, login, new_case, caseworker):
    case = new_case()
    login(caseworker)
    assert "Rencanakan pemulangan" in page_text(client.get(f"/cases/{case.uuid}"))
    values = {
        "uuid": "5a0f4a8e-2222-4c1d-9c4e-7d0e1f2a3b4c",
        "from_place": "Terminal Bekasi",
        "to_region_code": ORIGIN_VILLAGE,
        "travel_date": "2026-11-20",
        "travel_mode": "bus",
        "escort_user_id": caseworker.id,
        "handover": "family",
        "family_name": "",
    }
    refused = client.post(f"/cases/{case.uuid}/returns/new", data=values)
    assert refused.status_code == 422 and "Tuliskan nama anggota keluarga yang menerima." in page_text(refused)
    planned = client.post(f"/cases/{case.uuid}/returns/new", data={**values, "family_name": "Ibu Sumarni"})
    assert planned.status_code == 302
    plan = db.session.scalar(sa.select(ReturnPlan).where(ReturnPlan.case_id == case.id))
    base = f"/cases/{case.uuid}/returns/{plan.uuid}"
    early = client.post(f"{base}/arrival", data={"arrival-version": plan.version, "arrival-arrived_on": "2026-11-21"})
    assert early.status_code == 409
    departed = client.post(
        f"{base}/departure", data={"departure-version": plan.version, "departure-departed_on": "2026-11-20"}
    )
    assert departed.status_code == 302
    arrived = client.post(
        f"{base}/arrival",
        data={
            "arrival-version": plan.version,
            "arrival-arrived_on": "2026-11-21",
            "arrival-received_by": "Ibu Sumarni",
        },
    )
    assert arrived.status_code == 302
    assert plan.status == ReturnStatus.ARRIVED
    page = page_text(client.get(f"/cases/{case.uuid}"))
    assert "Klien tiba di daerah asal" in page and "Dipulangkan ke daerah asal" in page
